"""Who may see what: the one place that scopes customers, staff, branches and audit events.

Every query that lists or loads such a record goes through these filters. A record
outside the actor's scope is reported as not found, and the refusal is audited.
"""
from functools import wraps

from flask import abort, g, has_app_context
from flask_login import current_user, login_required
from sqlalchemy import false, literal, or_, select, true

from . import audit
from .errors import NotFound
from .extensions import db
from .sqlite import expect_write
from .models import (AuditEvent, Branch, Customer, Role, ServiceRequest, Staff,
                     StaffCertification, Task, TrainingSession)

# The role groups, defined here once; views, services, the navigation and templates
# ask ``staff.has_role(*GROUP)`` rather than comparing roles inline.
CUSTOMER_ROLES = (Role.MAINTAINER, Role.SUPERVISOR, Role.ADMIN)  # customers and their requests
MANAGER_ROLES = (Role.SUPERVISOR, Role.ADMIN)  # others' books: reassign, override, report, import
CONTACT_ROLES = (Role.MAINTAINER, Role.SUPERVISOR)  # meet customers: contacts, satisfaction
TEAM_LEAD_ROLES = (Role.TRAINER, Role.SUPERVISOR)  # lead a team shown on their home page
TRAINING_VIEWER_ROLES = (Role.TRAINER, Role.SUPERVISOR, Role.ADMIN)
TRAINING_MANAGER_ROLES = (Role.TRAINER, Role.ADMIN)

ROLE_GROUPS = {
    "CUSTOMER_ROLES": CUSTOMER_ROLES,
    "MANAGER_ROLES": MANAGER_ROLES,
    "CONTACT_ROLES": CONTACT_ROLES,
    "TEAM_LEAD_ROLES": TEAM_LEAD_ROLES,
    "TRAINING_VIEWER_ROLES": TRAINING_VIEWER_ROLES,
    "TRAINING_MANAGER_ROLES": TRAINING_MANAGER_ROLES,
}


def branch_subtree_ids(branch_id):
    """Return the ids of ``branch_id`` and every branch below it (recursive query)."""
    tree = select(Branch.id).where(Branch.id == branch_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Branch.id).join(tree, Branch.parent_id == tree.c.id))
    return list(db.session.scalars(select(tree.c.id)))


def visible_branch_ids(staff):
    """Return the branch ids ``staff`` may see, or None when every branch is visible."""
    if staff.has_role(Role.ADMIN):
        return None
    cache = g.setdefault("_subtree_cache", {}) if has_app_context() else {}
    if staff.branch_id not in cache:
        cache[staff.branch_id] = branch_subtree_ids(staff.branch_id)
    return cache[staff.branch_id]


def _in_branches(column, staff):
    ids = visible_branch_ids(staff)
    return true() if ids is None else column.in_(ids)


def customer_filter(staff, indexed=True):
    """Filter customers: maintainers their own, supervisors their subtree, admins all.

    ``indexed=False`` writes the same condition so that no index serves it (``column + 0``):
    for a query another index both narrows and orders, such as a customer-number prefix, so
    the planner walks that index and stops after a page instead of sorting the whole scope.
    """
    branch = Customer.branch_id if indexed else Customer.branch_id + 0
    maintainer = Customer.maintainer_id if indexed else Customer.maintainer_id + 0
    if staff.has_role(Role.ADMIN):
        return true()
    if staff.has_role(Role.SUPERVISOR):
        return _in_branches(branch, staff)
    if staff.has_role(Role.MAINTAINER):
        return maintainer == staff.id
    return false()


def staff_filter(staff):
    """Filter staff: admins all, supervisors and trainers their subtree, maintainers themselves."""
    if staff.has_role(Role.MAINTAINER):
        return Staff.id == staff.id
    return _in_branches(Staff.branch_id, staff)


def task_filter(staff):
    """Filter tasks: maintainers their own, supervisors their subtree's customers', admins all.

    A task stores its customer's branch, so the supervisor's filter is an indexed column.
    """
    if staff.has_role(Role.ADMIN):
        return true()
    if staff.has_role(Role.SUPERVISOR):
        return _in_branches(Task.branch_id, staff)
    if staff.has_role(Role.MAINTAINER):
        return Task.maintainer_id == staff.id
    return false()


def service_request_filter(staff, customer_id=None):
    """Filter requests: maintainers their customers' and theirs, supervisors subtree, admins all.

    Give ``customer_id`` when listing one customer's requests: a maintainer's book is then
    looked up for that customer alone, never collected whole.
    """
    if staff.has_role(Role.ADMIN):
        return true()
    if staff.has_role(Role.SUPERVISOR):
        return _in_branches(ServiceRequest.branch_id, staff)
    if staff.has_role(Role.MAINTAINER):
        mine = select(Customer.id).where(Customer.maintainer_id == staff.id)
        if customer_id is not None:  # one primary-key lookup, never the maintainer's index
            mine = select(Customer.id).where(Customer.id == customer_id,
                                             Customer.maintainer_id + 0 == staff.id)
        return or_(ServiceRequest.customer_id.in_(mine), ServiceRequest.assignee_id == staff.id)
    return false()


def branch_filter(staff):
    """Filter branches to the actor's subtree (all for admins)."""
    return _in_branches(Branch.id, staff)


def audit_filter(staff):
    """Filter audit events: admins all, supervisors their subtree, others none."""
    if staff.has_role(Role.ADMIN):
        return true()
    if staff.has_role(Role.SUPERVISOR):
        return _in_branches(AuditEvent.branch_id, staff)
    return false()


def branch_ancestor_ids(branch_id):
    """Return the ids of ``branch_id`` and every branch above it (recursive query)."""
    path = select(Branch.id, Branch.parent_id).where(Branch.id == branch_id).cte(
        "path", recursive=True)
    path = path.union_all(select(Branch.id, Branch.parent_id).join(
        path, Branch.id == path.c.parent_id))
    return list(db.session.scalars(select(path.c.id)))


def training_session_filter(staff):
    """Filter sessions: trainers and supervisors their subtree's, admins all.

    Maintainers see those run by their branch or a branch above it (which they may attend).
    """
    if staff.has_role(Role.MAINTAINER):
        return TrainingSession.branch_id.in_(branch_ancestor_ids(staff.branch_id))
    return _in_branches(TrainingSession.branch_id, staff)


def certification_filter(staff):
    """Filter staff certifications to the holders ``staff`` may see."""
    if staff.has_role(Role.ADMIN):
        return true()
    return StaffCertification.staff_id.in_(select(Staff.id).where(staff_filter(staff)))


def can_manage_training(staff):
    """Tell whether ``staff`` may write training records (trainers and head office)."""
    return staff.has_role(*TRAINING_MANAGER_ROLES)


def can_see_customers(staff):
    """Tell whether the role of ``staff`` gives any access to customer data."""
    return staff.has_role(*CUSTOMER_ROLES)


def refuse(staff, object_type, object_id):
    """Audit a refused access in its own commit, then raise NotFound."""
    db.session.rollback()
    expect_write()  # a GET writes here: take the write lock when the transaction begins
    audit.record(staff, "access.refused", object_type=object_type, object_id=object_id,
                 branch_id=staff.branch_id)
    db.session.commit()
    raise NotFound()


def load_scoped(staff, model, record_id, scope):
    """Load ``model`` by id within ``scope``; out of scope or missing raises NotFound."""
    record = db.session.scalar(select(model).where(model.id == record_id, scope))
    if record is not None:
        return record
    exists = db.session.scalar(select(literal(1)).where(model.id == record_id))
    if exists:
        refuse(staff, model.__tablename__, record_id)
    raise NotFound()


def get_customer(staff, customer_id):
    """Return the customer if ``staff`` may see it, else raise NotFound (audited)."""
    return load_scoped(staff, Customer, customer_id, customer_filter(staff))


def get_task(staff, task_id):
    """Return the task if ``staff`` may see it, else raise NotFound (audited)."""
    return load_scoped(staff, Task, task_id, task_filter(staff))


def get_service_request(staff, request_id):
    """Return the service request if ``staff`` may see it, else raise NotFound (audited)."""
    return load_scoped(staff, ServiceRequest, request_id, service_request_filter(staff))


def get_staff(actor, staff_id):
    """Return the staff member if ``actor`` may see them, else raise NotFound (audited)."""
    return load_scoped(actor, Staff, staff_id, staff_filter(actor))


def get_training_session(actor, session_id):
    """Return the training session if ``actor`` may see it, else raise NotFound (audited)."""
    return load_scoped(actor, TrainingSession, session_id, training_session_filter(actor))


def get_certification(actor, certification_id):
    """Return the staff certification if ``actor`` may see it, else raise NotFound (audited)."""
    return load_scoped(actor, StaffCertification, certification_id, certification_filter(actor))


def register_role_groups(app):
    """Expose ``Role`` and the role groups to templates, for ``has_role(*MANAGER_ROLES)``."""
    app.jinja_env.globals.update(ROLE_GROUPS, Role=Role)


def roles_required(*roles):
    """View decorator: log in first, then refuse (403, audited) any role not in ``roles``."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                db.session.rollback()
                expect_write()
                audit.record(current_user, "access.forbidden", object_type="view",
                             object_id=view.__name__)
                db.session.commit()
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
