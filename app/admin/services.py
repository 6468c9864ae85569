"""Head-office administration: staff, branches, tier thresholds, value-added services.

Every function takes the acting admin explicitly, checks the business rules, writes the
audit event in the same transaction as the change and commits. Rule violations raise
:class:`FieldInvalid` (naming the form field at fault when there is one).
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import access, audit
from ..database import commit_or_conflict
from ..errors import FieldInvalid, NotFound
from ..extensions import db
from ..formatting import money_short
from ..labels import TIER_LABELS
from ..models import (Branch, BranchKind, Customer, CustomerStatus, Role, Staff, Tier,
                      TierThreshold, ValueAddedService)
from ..tiers import thresholds


def changed_fields(record, values):
    """Apply ``values`` to ``record``; return ``(before, after)`` dicts of the changed fields."""
    before, after = {}, {}
    for name, value in values.items():
        old = getattr(record, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(record, name, value)
    return before, after


# --- staff -------------------------------------------------------------------------------

USERNAME_TAKEN = _l("This username is already taken.")


def list_staff(actor, *, branch_id=None, role=None, active=None, query=None, after=None,
               limit=50):
    """Return one page of staff in ``actor``'s scope, by username, and the next cursor or None."""
    stmt = (select(Staff).options(joinedload(Staff.branch)).where(access.staff_filter(actor))
            .order_by(Staff.username).limit(limit + 1))
    if branch_id:
        stmt = stmt.where(Staff.branch_id == branch_id)
    if role:
        stmt = stmt.where(Staff.role == role)
    if active is not None:
        stmt = stmt.where(Staff.active.is_(active))
    if query:
        query = query.strip().lower()
        stmt = stmt.where(func.lower(Staff.username).contains(query, autoescape=True)
                          | func.lower(Staff.display_name).contains(query, autoescape=True))
    if after:
        stmt = stmt.where(Staff.username > after)
    rows = list(db.session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].username if more else None)


def branch_options(keep_id=None):
    """Return the active branches in tree order (plus branch ``keep_id``, the current one)."""
    return [branch for branch, _depth in branch_tree() if branch.active or branch.id == keep_id]


def staff_details(actor, staff_id):
    """Return a staff member in ``actor``'s scope and how many customers they look after."""
    staff = access.get_staff(actor, staff_id)
    return staff, customer_count(staff)


def customer_count(staff):
    """Return how many customers (not closed) ``staff`` looks after."""
    return db.session.scalar(
        select(func.count()).select_from(Customer).where(
            Customer.maintainer_id == staff.id, Customer.status != CustomerStatus.CLOSED))


def _active_branch(branch_id):
    branch = db.session.get(Branch, branch_id) if branch_id else None
    if branch is None or not branch.active:
        raise FieldInvalid(_l("Choose an active branch."), "branch_id")
    return branch


def _check_role_branch(role, branch):
    if role not in Role.ALL:
        raise FieldInvalid(_l("Choose a role."), "role")
    if role == Role.ADMIN and branch.kind != BranchKind.HEAD_OFFICE:
        raise FieldInvalid(_l("Head-office administrators must belong to the head office."),
                           "branch_id")


def create_staff(actor, *, username, display_name, role, branch_id, password, daily_capacity):
    """Create a staff member with an initial password; the username is unique in any case."""
    username = username.strip().lower()
    branch = _active_branch(branch_id)
    _check_role_branch(role, branch)
    taken = db.session.scalar(select(Staff.id).where(func.lower(Staff.username) == username))
    if taken:
        raise FieldInvalid(USERNAME_TAKEN, "username")
    staff = Staff(username=username, display_name=display_name.strip(), role=role,
                  branch_id=branch.id, daily_capacity=daily_capacity)
    staff.set_password(password)
    db.session.add(staff)
    commit_or_conflict(FieldInvalid(USERNAME_TAKEN, "username"), flush=True)
    audit.record(actor, "staff.created", staff, username=username, role=role,
                 branch=branch.code, daily_capacity=daily_capacity)
    commit_or_conflict(FieldInvalid(USERNAME_TAKEN, "username"))
    return staff


def update_staff(actor, staff_id, *, display_name, role, branch_id, daily_capacity):
    """Change a staff member's name, role, branch or capacity; return the changed fields.

    A maintainer who still looks after customers keeps role and branch until a supervisor
    has handed the customers over; an admin cannot change their own role.
    """
    staff = access.get_staff(actor, staff_id)
    branch = _active_branch(branch_id) if branch_id != staff.branch_id else staff.branch
    _check_role_branch(role, branch)
    if staff.id == actor.id and role != staff.role:
        raise FieldInvalid(_l("You cannot change your own role."), "role")
    moving = role != staff.role or branch_id != staff.branch_id
    if staff.role == Role.MAINTAINER and moving:
        count = customer_count(staff)
        if count:
            field = "role" if role != staff.role else "branch_id"
            raise FieldInvalid(lazy_ngettext(
                "%(name)s still looks after %(num)d customer. A supervisor must reassign it "
                "before the role or branch changes.",
                "%(name)s still looks after %(num)d customers. A supervisor must reassign them "
                "before the role or branch changes.", count, name=staff.display_name), field)
    old_branch = staff.branch
    before, after = changed_fields(staff, {
        "display_name": display_name.strip(), "role": role, "branch_id": branch_id,
        "daily_capacity": daily_capacity})
    if "branch_id" in after:
        del before["branch_id"], after["branch_id"]
        before["branch"], after["branch"] = old_branch.code, branch.code
    if after:
        audit.record(actor, "staff.updated", staff, before=before, after=after)
    db.session.commit()
    return after


def deactivate_staff(actor, staff_id):
    """Deactivate a staff member and end their sessions; return their customer count."""
    staff = access.get_staff(actor, staff_id)
    if staff.id == actor.id:
        raise FieldInvalid(_l("You cannot deactivate your own account."))
    count = customer_count(staff)
    if staff.active:
        staff.active = False
        staff.rotate_session_token()
        audit.record(actor, "staff.deactivated", staff, customers=count)
        db.session.commit()
    return count


def reactivate_staff(actor, staff_id):
    """Let a deactivated staff member log in again (their branch must be active)."""
    staff = access.get_staff(actor, staff_id)
    if staff.active:
        return staff
    if not staff.branch.active:
        raise FieldInvalid(_l("Their branch is closed: move them to an active branch first."))
    staff.active = True
    audit.record(actor, "staff.reactivated", staff)
    db.session.commit()
    return staff


def reset_password(actor, staff_id, password):
    """Set a new password chosen by the admin, end the staff member's sessions, lift a lock-out."""
    staff = access.get_staff(actor, staff_id)
    if staff.id == actor.id:
        raise FieldInvalid(_l("Change your own password from your account page."))
    staff.set_password(password)
    staff.failed_logins = 0
    staff.locked_until = None
    audit.record(actor, "staff.password_reset", staff)
    db.session.commit()
    return staff


# --- branches ----------------------------------------------------------------------------

PARENT_KIND = {BranchKind.BRANCH: BranchKind.HEAD_OFFICE, BranchKind.OUTLET: BranchKind.BRANCH}
CODE_TAKEN = _l("This branch code is already taken.")


def branch_tree(actor=None):
    """Return ``(branch, depth)`` pairs in tree order: head office, each branch, its outlets."""
    stmt = select(Branch).order_by(Branch.code)
    if actor is not None:
        stmt = stmt.where(access.branch_filter(actor))
    branches = list(db.session.scalars(stmt))
    children = {}
    for branch in branches:
        children.setdefault(branch.parent_id, []).append(branch)
    ids = {branch.id for branch in branches}
    roots = [b for b in branches if b.parent_id is None or b.parent_id not in ids]
    ordered, stack = [], [(root, 0) for root in reversed(roots)]
    while stack:
        branch, depth = stack.pop()
        ordered.append((branch, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(branch.id, [])))
    return ordered


def branch_counts():
    """Return ``{branch_id: (active staff, customers not closed)}`` for the tree view."""
    staff = dict(db.session.execute(
        select(Staff.branch_id, func.count()).where(Staff.active.is_(True))
        .group_by(Staff.branch_id)).all())
    customers = dict(db.session.execute(
        select(Customer.branch_id, func.count()).where(Customer.status != CustomerStatus.CLOSED)
        .group_by(Customer.branch_id)).all())
    return {bid: (staff.get(bid, 0), customers.get(bid, 0)) for bid in set(staff) | set(customers)}


def parent_choices():
    """Return the active branches that may have children (head office and branches)."""
    return [b for b, _depth in branch_tree()
            if b.active and b.kind in (BranchKind.HEAD_OFFICE, BranchKind.BRANCH)]


def _check_parent(kind, parent_id):
    if kind == BranchKind.HEAD_OFFICE:
        if db.session.scalar(select(Branch.id).where(Branch.kind == BranchKind.HEAD_OFFICE)):
            raise FieldInvalid(_l("There is already a head office."), "kind")
        return None
    parent = db.session.get(Branch, parent_id) if parent_id else None
    if parent is None or parent.kind != PARENT_KIND[kind] or not parent.active:
        message = (_l("A branch belongs to the head office.") if kind == BranchKind.BRANCH
                   else _l("An outlet belongs to an active branch."))
        raise FieldInvalid(message, "parent_id")
    return parent


def create_branch(actor, *, code, name, kind, parent_id):
    """Create a branch or outlet under the right parent (or the one head office)."""
    code = code.strip().upper()
    if kind not in BranchKind.ALL:
        raise FieldInvalid(_l("Choose a kind."), "kind")
    parent = _check_parent(kind, parent_id)
    if db.session.scalar(select(Branch.id).where(func.upper(Branch.code) == code)):
        raise FieldInvalid(CODE_TAKEN, "code")
    branch = Branch(code=code, name=name.strip(), kind=kind,
                    parent_id=parent.id if parent else None)
    db.session.add(branch)
    commit_or_conflict(FieldInvalid(CODE_TAKEN, "code"), flush=True)
    audit.record(actor, "branch.created", branch, branch_id=branch.id, code=code, kind=kind,
                 parent_id=branch.parent_id)
    commit_or_conflict(FieldInvalid(CODE_TAKEN, "code"))
    return branch


def _check_can_close(branch):
    if branch.kind == BranchKind.HEAD_OFFICE:
        raise FieldInvalid(_l("The head office cannot be deactivated."), "active")
    open_children = db.session.scalar(select(func.count()).select_from(Branch).where(
        Branch.parent_id == branch.id, Branch.active.is_(True)))
    staff = db.session.scalar(select(func.count()).select_from(Staff).where(
        Staff.branch_id == branch.id, Staff.active.is_(True)))
    customers = db.session.scalar(select(func.count()).select_from(Customer).where(
        Customer.branch_id == branch.id, Customer.status != CustomerStatus.CLOSED))
    if open_children or staff or customers:
        raise FieldInvalid(_l(
            "This branch is still in use (active outlets: %(outlets)d, active staff: %(staff)d, "
            "customers: %(customers)d). Move them elsewhere before deactivating it.",
            outlets=open_children, staff=staff, customers=customers), "active")


def get_branch(actor, branch_id):
    """Return a branch in ``actor``'s scope or raise NotFound."""
    return access.load_scoped(actor, Branch, branch_id, access.branch_filter(actor))


def update_branch(actor, branch_id, *, name, active):
    """Rename a branch or switch it on or off; a branch still in use stays active."""
    branch = get_branch(actor, branch_id)
    if branch.active and not active:
        _check_can_close(branch)
    if active and not branch.active and branch.parent is not None and not branch.parent.active:
        raise FieldInvalid(_l("Reactivate the parent branch first."), "active")
    before, after = changed_fields(branch, {"name": name.strip(), "active": active})
    if after:
        audit.record(actor, "branch.updated", branch, branch_id=branch.id, before=before,
                     after=after)
    db.session.commit()
    return after


# --- tier thresholds ---------------------------------------------------------------------

def save_thresholds(actor, values):
    """Store every tier's threshold; ``values`` maps tier -> (min AUM fen, interval days).

    Mass always starts at 0; the minimum AUM must rise strictly from gold to private.
    Missing rows are created. Returns the changed fields as ``{"tier.field": after}``.
    """
    values = dict(values)
    values[Tier.MASS] = (0, values[Tier.MASS][1])
    for lower, tier in zip(Tier.ALL, Tier.ALL[1:]):
        if values[tier][0] <= values[lower][0]:
            raise FieldInvalid(_l(
                "%(tier)s must start above %(lower)s (%(amount)s CNY).",
                tier=TIER_LABELS[tier], lower=TIER_LABELS[lower],
                amount=money_short(values[lower][0])), f"{tier}_min_aum")
    rows = {row.tier: row for row in db.session.scalars(select(TierThreshold))}
    current = thresholds()
    before, after = {}, {}
    for tier in Tier.ALL:
        row = rows.get(tier)
        if row is None:
            row = TierThreshold(tier=tier)
            db.session.add(row)
        row.min_aum_fen, row.contact_interval_days = values[tier]
        for field, new in (("min_aum_fen", values[tier][0]),
                           ("contact_interval_days", values[tier][1])):
            old = getattr(current[tier], field)
            if old != new:
                before[f"{tier}.{field}"], after[f"{tier}.{field}"] = old, new
    if after:
        audit.record(actor, "tier_thresholds.updated", object_type="tier_threshold",
                     before=before, after=after)
    db.session.commit()
    return after


# --- value-added services ----------------------------------------------------------------

SERVICE_CODE_TAKEN = _l("This tier already has a service with this code.")


def services_by_tier():
    """Return ``[(tier, [services])]`` for every tier, lowest first; active services first."""
    services = db.session.scalars(select(ValueAddedService).order_by(
        ValueAddedService.active.desc(), ValueAddedService.name))
    grouped = {tier: [] for tier in Tier.ALL}
    for service in services:
        grouped.setdefault(service.tier, []).append(service)
    return list(grouped.items())


def get_service(service_id):
    """Return a value-added service or raise NotFound."""
    service = db.session.get(ValueAddedService, service_id)
    if service is None:
        raise NotFound()
    return service


def create_service(actor, *, tier, code, name, yearly_allowance):
    """Offer a new value-added service to ``tier``; the code is unique within the tier."""
    code = code.strip().lower()
    if tier not in Tier.ALL:
        raise FieldInvalid(_l("Choose a tier."), "tier")
    if db.session.scalar(select(ValueAddedService.id).where(
            ValueAddedService.tier == tier, func.lower(ValueAddedService.code) == code)):
        raise FieldInvalid(SERVICE_CODE_TAKEN, "code")
    service = ValueAddedService(tier=tier, code=code, name=name.strip(),
                                yearly_allowance=yearly_allowance)
    db.session.add(service)
    commit_or_conflict(FieldInvalid(SERVICE_CODE_TAKEN, "code"), flush=True)
    audit.record(actor, "value_added_service.created", service, tier=tier, code=code,
                 yearly_allowance=yearly_allowance)
    commit_or_conflict(FieldInvalid(SERVICE_CODE_TAKEN, "code"))
    return service


def update_service(actor, service_id, *, name, yearly_allowance):
    """Rename a value-added service or change its yearly allowance."""
    service = get_service(service_id)
    before, after = changed_fields(service, {"name": name.strip(),
                                             "yearly_allowance": yearly_allowance})
    if after:
        audit.record(actor, "value_added_service.updated", service, before=before, after=after)
    db.session.commit()
    return after


def set_service_active(actor, service_id, active):
    """Withdraw (``active`` False) or offer again a value-added service."""
    service = get_service(service_id)
    if service.active != active:
        service.active = active
        action = "reactivated" if active else "deactivated"
        audit.record(actor, f"value_added_service.{action}", service, tier=service.tier,
                     code=service.code)
        db.session.commit()
    return service
