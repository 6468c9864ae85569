"""Head office manages staff: accounts, roles, branches, capacity, passwords, deactivation."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...database import commit_or_conflict
from ...errors import FieldInvalid
from ...extensions import db
from ...models import Branch, BranchKind, Customer, CustomerStatus, Role, Staff
from .branches import branch_tree
from .common import changed_fields


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
    if staff.has_role(Role.MAINTAINER) and moving:
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
