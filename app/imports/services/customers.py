"""The customer importer: checks customer rows and upserts them by customer number."""
from sqlalchemy import insert, select, update

from ...clock import utcnow
from ...encryption import keyring
from ...extensions import db
from ...models import Branch, Customer, CustomerStatus, Role, Staff
from ...models.customer import CUSTOMER_RISK_LEVELS
from ...tasks.engine import copy_branch_to_tasks
from ...tiers import thresholds, tier_for
from ..csvfile import RowError
from .base import _by_keys, _Importer

GENDERS = ("M", "F")


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
        self.keys = keyring()

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
        owners = self._id_number_owners(chunk)
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
        if changed:
            copy_branch_to_tasks([row["id"] for row in changed])

    def _id_number_owners(self, chunk):
        """Map the chunk's ID numbers already on file to their customer number, by hash.

        Every key's hash is looked up, so a number stays unique while a rekey is under way.
        """
        clear_of = {digest: values["id_number"] for _line, values in chunk
                    for digest in self.keys.digests(values["id_number"])}
        return {clear_of[digest]: number for digest, number in db.session.execute(
            select(Customer.id_number_hash, Customer.customer_number)
            .where(Customer.id_number_hash.in_(list(clear_of))))}

    def _derived(self, values, now):
        row = {name: values[name] for name in self.REQUIRED if name != "id_number"}
        row["id_number_enc"], row["id_number_hash"] = self.keys.sealed(values["id_number"])
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
