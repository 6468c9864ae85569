"""Import customers and holdings from core-banking CSV files; the upload page's import runs.

Rows are checked one by one in Python; the database work is set-based, chunk by chunk: one
SELECT for the keys a chunk already has, one bulk INSERT of the new rows, one bulk UPDATE by
primary key of the others, and for holdings one UPDATE recomputing the customers' AUM.
A bad row is reported with its line, column and reason and never stops the good ones.
"""
import os
import uuid
from collections import namedtuple
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, true, update

from .. import audit
from ..access import load_scoped, visible_branch_ids
from ..clock import today as bank_today
from ..clock import utcnow
from ..extensions import db
from ..models import (Branch, Customer, CustomerStatus, Holding, ImportRun, ImportStatus,
                      Product, Role, Staff, Tier, TierHistory)
from ..models.customer import CUSTOMER_RISK_LEVELS
from ..tiers import thresholds
from .csvfile import CUSTOMERS, ImportFileError, Row, RowError, read_import_file

CHUNK_SIZE = 2000
MAX_STORED_ERRORS = 1000
RECENT_RUNS = 20
GENDERS = ("M", "F")

__all__ = ["ImportFileError", "ImportResult", "RowError", "create_run", "get_run",
           "import_csv", "import_file", "read_import_file", "recent_runs", "run_import"]

_Known = namedtuple("_Known", "id branch_id")


@dataclass
class ImportResult:
    """What an import did, or would do in a dry run: counts and every problem found."""

    kind: str
    file_name: str
    dry_run: bool
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    tier_upgrades: int = 0
    errors: list = field(default_factory=list)

    @property
    def bad_rows(self):
        """Return how many rows had at least one problem (and were left out)."""
        return len({error.line for error in self.errors})


def _rank(tier):
    return Tier.ALL.index(tier) if tier in Tier.ALL else -1


def tier_for(aum_fen, limits):
    """Return the highest tier whose threshold ``aum_fen`` reaches (mass when none does)."""
    reached = [tier for tier, threshold in limits.items() if threshold.min_aum_fen <= aum_fen]
    return max(reached, key=_rank, default=Tier.MASS)


def recompute_aum(customer_ids):
    """Set each customer's AUM to the sum of their holdings, in one UPDATE."""
    total = (select(func.coalesce(func.sum(Holding.amount_fen), 0))
             .where(Holding.customer_id == Customer.id).scalar_subquery())
    db.session.execute(update(Customer).where(Customer.id.in_(customer_ids))
                       .values(aum_fen=total).execution_options(synchronize_session=False))


def raise_tiers(customer_ids, changed_on, reason="import"):
    """Move customers whose AUM reached a higher tier up to it, with a history row each.

    Downgrades are left to the nightly re-tiering, which waits before lowering a tier.
    Returns the number of customers moved up.
    """
    limits = thresholds()
    rows = db.session.execute(select(Customer.id, Customer.tier, Customer.aum_fen)
                              .where(Customer.id.in_(customer_ids))).all()
    history, changes = [], []
    for customer_id, tier, aum_fen in rows:
        target = tier_for(aum_fen, limits)
        if _rank(target) > _rank(tier):
            history.append({"customer_id": customer_id, "from_tier": tier, "to_tier": target,
                            "aum_fen": aum_fen, "changed_on": changed_on, "reason": reason})
            changes.append({"id": customer_id, "tier": target})
    if changes:
        db.session.execute(insert(TierHistory.__table__), history)
        db.session.execute(update(Customer), changes)
    return len(changes)


def _by_keys(rows):
    """Group row dictionaries by their set of keys (one bulk UPDATE per group)."""
    groups = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


class _Importer:
    """What both kinds share: the actor's scope, today, duplicate tracking."""

    def __init__(self, actor, dry_run, planned):
        self.dry_run = dry_run
        self.today = bank_today()
        ids = None if actor is None else visible_branch_ids(actor)
        self.scope = None if ids is None else set(ids)
        self.planned = planned
        self.seen = {}

    def in_scope(self, branch_id):
        """Tell whether the actor may import into ``branch_id``."""
        return self.scope is None or branch_id in self.scope

    def once(self, row, column, value):
        """Note a duplicate when ``value`` of ``column`` was already on an earlier line."""
        if value is None:
            return
        first = self.seen.setdefault((column, value), row.line)
        if first != row.line:
            row.error(column, "duplicate_in_file", line=first)


class _CustomerImporter(_Importer):
    """Checks and upserts customer rows, keyed by customer number."""

    REQUIRED = ("customer_number", "name", "gender", "birth_on", "id_number", "mobile",
                "branch_id", "onboarded_on")
    OPTIONAL = ("maintainer_id", "risk_level", "risk_assessed_on", "status",
                "marketing_consent")

    def __init__(self, actor, dry_run, planned):
        super().__init__(actor, dry_run, planned)
        branches = db.session.execute(
            select(Branch.id, Branch.code, Branch.parent_id, Branch.active)).all()
        self.branches = {branch.code: branch for branch in branches}
        self.parents = {branch.id: branch.parent_id for branch in branches}
        self.staff = {staff.username: staff for staff in db.session.execute(
            select(Staff.id, Staff.username, Staff.role, Staff.active, Staff.branch_id))}
        self.default_tier = tier_for(0, thresholds())

    def within(self, branch_id, ancestor_id):
        """Tell whether ``branch_id`` is ``ancestor_id`` or lies below it."""
        for _depth in range(len(self.parents) + 1):
            if branch_id is None:
                return False
            if branch_id == ancestor_id:
                return True
            branch_id = self.parents.get(branch_id)
        return False

    def check(self, row):
        """Read one row into column values, or return None when it has problems."""
        if not row.ok:
            return None
        birth_on = row.date("birth_date", required=True, latest=self.today)
        values = {
            "customer_number": row.text("customer_number", required=True, max_length=20),
            "name": row.text("name", required=True, max_length=64),
            "gender": row.choice("gender", GENDERS, "bad_gender", required=True),
            "birth_on": birth_on,
            "id_number": row.id_number("id_number", birth_on),
            "mobile": row.mobile("mobile"),
            "branch_id": self._branch(row),
            "onboarded_on": row.date("onboarded_on", required=True, latest=self.today),
            "last_contact_on": row.date("last_contact_on", latest=self.today),
            "status": row.choice("status", CustomerStatus.ALL, "bad_status"),
            "marketing_consent": row.flag("marketing_consent"),
        }
        values["maintainer_id"] = self._maintainer(row, values["branch_id"])
        values["risk_level"], values["risk_assessed_on"] = self._risk(row)
        self.once(row, "customer_number", values["customer_number"])
        self.once(row, "id_number", values["id_number"])
        return values if row.ok else None

    def _branch(self, row):
        code = row.text("branch_code", required=True, max_length=16)
        branch = self.branches.get(code) if code else None
        if code is None:
            return None
        if branch is None:
            row.error("branch_code", "unknown_branch", code=code)
        elif not branch.active:
            row.error("branch_code", "branch_closed", code=code)
        elif not self.in_scope(branch.id):
            row.error("branch_code", "branch_out_of_scope")
        else:
            return branch.id
        return None

    def _maintainer(self, row, branch_id):
        username = row.text("maintainer_username", max_length=64)
        if username is None:
            return None
        staff = self.staff.get(username)
        if staff is None:
            row.error("maintainer_username", "unknown_maintainer", username=username)
        elif staff.role != Role.MAINTAINER or not staff.active:
            row.error("maintainer_username", "not_a_maintainer", username=username)
        elif branch_id is not None and not self.within(staff.branch_id, branch_id):
            row.error("maintainer_username", "maintainer_elsewhere", username=username,
                      code=row.cells["branch_code"])
        else:
            return staff.id
        return None

    def _risk(self, row):
        level = row.choice("risk_level", CUSTOMER_RISK_LEVELS, "bad_risk_level")
        assessed_on = row.date("risk_assessed_on", latest=self.today)
        if level and not row.cells.get("risk_assessed_on"):
            row.error("risk_assessed_on", "risk_date_required")
        if assessed_on and not row.cells.get("risk_level"):
            row.error("risk_level", "risk_level_required")
        return level, assessed_on

    def write(self, chunk, result):
        """Insert the chunk's new customers and update the existing ones."""
        numbers = [values["customer_number"] for _line, values in chunk]
        existing = {row.customer_number: row for row in db.session.execute(
            select(Customer.id, Customer.customer_number, Customer.branch_id,
                   Customer.last_contact_on).where(Customer.customer_number.in_(numbers)))}
        owners = dict(db.session.execute(
            select(Customer.id_number, Customer.customer_number).where(
                Customer.id_number.in_([values["id_number"] for _line, values in chunk]))).all())
        now = utcnow()
        new, changed = [], []
        for line, values in chunk:
            number = values["customer_number"]
            current = existing.get(number)
            if owners.get(values["id_number"], number) != number:
                result.errors.append(RowError(line, "id_number", "id_number_taken"))
            elif current is not None and not self.in_scope(current.branch_id):
                result.errors.append(RowError(line, "customer_number", "customer_out_of_scope"))
            elif current is None:
                new.append(self._new_row(values, now))
            else:
                changed.append(self._changed_row(current, values, now))
        result.inserted += len(new)
        result.updated += len(changed)
        if self.dry_run:
            self.planned.update({row["customer_number"]: row["branch_id"] for row in new})
            return
        if new:
            db.session.execute(insert(Customer.__table__), new)
        for group in _by_keys(changed):
            db.session.execute(update(Customer), group)

    def _derived(self, values, now):
        row = {name: values[name] for name in self.REQUIRED}
        row.update(birth_mmdd=f"{values['birth_on']:%m-%d}", mobile_last4=values["mobile"][-4:],
                   updated_at=now)
        return row

    def _new_row(self, values, now):
        row = self._derived(values, now)
        row.update({name: values[name] for name in self.OPTIONAL})
        row.update(tier=self.default_tier, aum_fen=0, last_contact_on=values["last_contact_on"],
                   status=values["status"] or CustomerStatus.ACTIVE,
                   marketing_consent=bool(values["marketing_consent"]))
        return row

    def _changed_row(self, current, values, now):
        """Update what the file says; empty optional cells keep what the portal holds."""
        row = self._derived(values, now)
        row["id"] = current.id
        row.update({name: values[name] for name in self.OPTIONAL if values[name] is not None})
        contact_on = values["last_contact_on"]
        if contact_on and (current.last_contact_on is None or contact_on > current.last_contact_on):
            row["last_contact_on"] = contact_on
        return row


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


IMPORTERS = {CUSTOMERS: _CustomerImporter}


def _import(parsed, actor, dry_run, progress, planned, run_id):
    """Check and write ``parsed`` chunk by chunk, committing each; audit; the caller commits."""
    importer_class = IMPORTERS.get(parsed.kind, _HoldingImporter)
    importer = importer_class(actor, dry_run, {} if planned is None else planned)
    result = ImportResult(parsed.kind, parsed.file_name, dry_run, rows=parsed.total)
    done = 0
    for start in range(0, parsed.total, CHUNK_SIZE):
        chunk = parsed.rows[start:start + CHUNK_SIZE]
        good = []
        for line, cells in chunk:
            row = Row(line, parsed.header, cells)
            values = importer.check(row)
            result.errors.extend(row.errors)
            if values is not None:
                good.append((line, values))
        if good:
            importer.write(good, result)
        done += len(chunk)
        if progress is not None:
            progress(done, parsed.total)
        db.session.commit()
    result.errors.sort(key=lambda error: error.line)
    audit.record(actor, "import.completed", object_type="import_run", object_id=run_id,
                 file=parsed.file_name, kind=parsed.kind, rows=result.rows,
                 inserted=result.inserted, updated=result.updated, bad_rows=result.bad_rows,
                 problems=len(result.errors), tier_upgrades=result.tier_upgrades,
                 dry_run=dry_run)
    return result


def import_file(parsed, *, actor=None, dry_run=False, progress=None, planned=None):
    """Import an already read file (see ``read_import_file``) and return an ImportResult.

    ``actor`` is the staff member importing (None for the command line: every branch);
    ``progress(processed_rows, total_rows)`` is called after each chunk; ``dry_run`` checks
    everything and counts what would be inserted or updated but writes no customer data.
    ``planned`` (a dict shared by several dry runs) lets a holdings dry run accept customers
    that a customers dry run before it would have inserted.
    """
    result = _import(parsed, actor, dry_run, progress, planned, None)
    db.session.commit()
    return result


def import_csv(source, *, actor=None, dry_run=False, progress=None, file_name=None,
               planned=None):
    """Read and import a CSV file (path, binary stream or bytes); see ``import_file``.

    Raises ImportFileError when the file is unreadable or of an unknown kind.
    """
    parsed = read_import_file(source, file_name=file_name)
    return import_file(parsed, actor=actor, dry_run=dry_run, progress=progress,
                       planned=planned)


def upload_folder():
    """Return the folder where uploaded files wait for their run."""
    return os.path.join(current_app.instance_path, "imports")


def _display_name(file_name):
    name = os.path.basename((file_name or "").replace("\\", "/")).strip()
    return name[-255:] or "upload.csv"


def create_run(actor, stream, file_name, dry_run):
    """Check an uploaded file, keep it under a generated name and queue an ImportRun for it.

    Raises ImportFileError (nothing kept) when the file is empty, not UTF-8 CSV or of an
    unknown kind.
    """
    data = stream.read()
    parsed = read_import_file(data, file_name=_display_name(file_name))
    folder = upload_folder()
    os.makedirs(folder, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}.csv"
    with open(os.path.join(folder, stored_name), "wb") as out:
        out.write(data)
    run = ImportRun(staff_id=actor.id, branch_id=actor.branch_id, file_name=parsed.file_name,
                    stored_name=stored_name, kind=parsed.kind, dry_run=bool(dry_run),
                    status=ImportStatus.QUEUED, total_rows=parsed.total, errors=[])
    db.session.add(run)
    db.session.commit()
    return run


def _run_scope(actor):
    ids = visible_branch_ids(actor)
    return true() if ids is None else ImportRun.branch_id.in_(ids)


def get_run(actor, run_id):
    """Return the run if ``actor`` may see it (started in their subtree), else NotFound."""
    return load_scoped(actor, ImportRun, run_id, _run_scope(actor))


def recent_runs(actor, limit=RECENT_RUNS):
    """Return the latest runs ``actor`` may see, newest first."""
    return list(db.session.scalars(
        select(ImportRun).where(_run_scope(actor))
        .order_by(ImportRun.created_at.desc(), ImportRun.id.desc()).limit(limit)))


def _claim(run_id):
    """Move a queued run to running; tell whether this caller got it."""
    claimed = db.session.execute(
        update(ImportRun).where(ImportRun.id == run_id, ImportRun.status == ImportStatus.QUEUED)
        .values(status=ImportStatus.RUNNING, started_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return claimed == 1


def _finish(run, status, result=None, failure=None):
    run.status = status
    run.finished_at = utcnow()
    run.failure = failure
    if result is not None:
        run.processed_rows = result.rows
        run.inserted, run.updated = result.inserted, result.updated
        run.error_count, run.bad_rows = len(result.errors), result.bad_rows
        run.errors = [error.as_dict() for error in result.errors[:MAX_STORED_ERRORS]]
    db.session.commit()


def _process(run, path):
    parsed = read_import_file(path, file_name=run.file_name)
    run.kind, run.total_rows = parsed.kind, parsed.total

    def progress(done, _total):
        run.processed_rows = done

    result = _import(parsed, run.staff, run.dry_run, progress, None, run.id)
    _finish(run, ImportStatus.DONE, result)


def run_import(actor, run_id):
    """Process a queued run, committing its progress after each chunk; return the run.

    Idempotent: a run that is not queued (already running or finished) is returned as it is.
    Rows are checked within the scope of the staff member who uploaded the file.
    """
    run = get_run(actor, run_id)
    if not _claim(run.id):
        db.session.refresh(run)
        return run
    path = os.path.join(upload_folder(), run.stored_name)
    try:
        _process(run, path)
    except ImportFileError as error:
        db.session.rollback()
        _finish(run, ImportStatus.FAILED, failure=str(error.message)[:255])
    except Exception:  # noqa: BLE001 - the run must end as failed, never stay running
        db.session.rollback()
        current_app.logger.exception("Import run %s failed", run.id)
        _finish(run, ImportStatus.FAILED, failure=_(
            "The import stopped because of an unexpected error. Rows of chunks already "
            "processed are kept; importing the file again is safe."))
    finally:
        if os.path.exists(path):
            os.remove(path)
    return run
