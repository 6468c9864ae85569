"""Head office manages the branch tree: creating, renaming and closing branches and outlets."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import access, audit
from ...database import commit_or_conflict
from ...errors import FieldInvalid
from ...extensions import db
from ...models import Branch, BranchKind, Customer, CustomerStatus, Staff
from .common import changed_fields


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
