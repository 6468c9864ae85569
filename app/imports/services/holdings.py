"""The holding importer: upserts holdings by reference, then recomputes AUM and tiers."""
from sqlalchemy import insert, select, update

from ...extensions import db
from ...models import Customer, Holding, Product
from ..csvfile import RowError
from .base import _Importer, _Known, raise_tiers, recompute_aum


class _HoldingImporter(_Importer):
    """Checks and upserts holding rows keyed by reference, then recomputes AUM and tiers."""

    def __init__(self, actor, dry_run, planned):
        super().__init__(actor, dry_run, planned)
        self.products = dict(db.session.execute(select(Product.code, Product.id)).all())

    def check(self, row):
        """Read one row into column values, or return None when it has problems."""
        if not row.ok:
            return None
        opened_on = row.date("opened_on", required=True, latest=self.today)
        matures_on = row.date("matures_on")
        if opened_on and matures_on and matures_on < opened_on:
            row.error("matures_on", "matures_before_opened")
        values = {
            "reference": row.text("reference", required=True, max_length=32),
            "customer_number": row.text("customer_number", required=True, max_length=20),
            "product_id": self._product(row),
            "amount_fen": row.amount_fen("amount"),
            "opened_on": opened_on,
            "matures_on": matures_on,
        }
        self.once(row, "reference", values["reference"])
        return values if row.ok else None

    def _product(self, row):
        code = row.text("product_code", required=True, max_length=32)
        if code is not None and code not in self.products:
            row.error("product_code", "unknown_product", code=code)
        return self.products.get(code)

    def _lookups(self, chunk):
        numbers = {values["customer_number"] for _line, values in chunk}
        customers = {row.customer_number: _Known(row.id, row.branch_id) for row in
                     db.session.execute(select(Customer.id, Customer.customer_number,
                                               Customer.branch_id)
                                        .where(Customer.customer_number.in_(numbers)))}
        holdings = {row.reference: row for row in db.session.execute(
            select(Holding.id, Holding.reference, Holding.customer_id, Customer.branch_id)
            .join(Customer, Holding.customer_id == Customer.id)
            .where(Holding.reference.in_([values["reference"] for _line, values in chunk])))}
        return customers, holdings

    def _owner(self, line, values, customers, result):
        number = values["customer_number"]
        customer = customers.get(number)
        if customer is None and number in self.planned:
            customer = _Known(None, self.planned[number])
        if customer is None:
            result.errors.append(RowError(line, "customer_number", "unknown_customer",
                                          {"number": number[:40]}))
        elif not self.in_scope(customer.branch_id):
            result.errors.append(RowError(line, "customer_number", "customer_out_of_scope"))
        else:
            return customer
        return None

    def write(self, chunk, result):
        """Insert the chunk's new holdings, update the others, refresh AUM and tiers."""
        customers, holdings = self._lookups(chunk)
        new, changed, affected = [], [], set()
        for line, values in chunk:
            customer = self._owner(line, values, customers, result)
            current = holdings.get(values["reference"])
            if customer is None:
                continue
            if current is not None and not self.in_scope(current.branch_id):
                result.errors.append(RowError(line, "reference", "customer_out_of_scope"))
                continue
            row = {name: value for name, value in values.items() if name != "customer_number"}
            row["customer_id"] = customer.id
            affected.add(customer.id)
            if current is None:
                new.append(row)
            else:
                row["id"] = current.id
                changed.append(row)
                affected.add(current.customer_id)
        result.inserted += len(new)
        result.updated += len(changed)
        if self.dry_run or not affected:
            return
        if new:
            db.session.execute(insert(Holding.__table__), new)
        if changed:
            db.session.execute(update(Holding), changed)
        recompute_aum(affected)
        result.tier_upgrades += raise_tiers(affected, self.today)
