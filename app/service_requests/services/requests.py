"""Service requests: opening one, the detail view, and what the workflow shares.

Opening computes the SLA due times and checks a value-added booking against its allowance.
Every request is loaded through ``app.access`` (out of scope: not found, audited). The
changes of an open request (status, assignment, comments, satisfaction) live in
``workflow``; the domain errors and checks they share are here.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, insert, or_, select

from ... import access, audit
from ...clock import bank_timezone
from ...errors import Conflict, FieldInvalid, NotAllowed, NotFound
from ...extensions import db
from ...models import (Branch, Customer, RequestChannel, RequestKind, RequestPriority,
                       RequestStatus, Role, ServiceRequest, ServiceRequestEvent, Staff,
                       ValueAddedService)
from ...notifications.services import notify
from ...notifications.texts import SR_ASSIGNED
from ...routing import MAX_ID, valid_id
from .sla import due_times

SUBJECT_MIN, SUBJECT_MAX = 3, 120
DESCRIPTION_MAX = 4000
COMMENT_MAX = 2000
REASON_MIN, REASON_MAX = 5, 500
SATISFACTION_COMMENT_MAX = 1000
CUSTOMER_NUMBER_MAX = 20
CALLBACK_DAYS = 2  # when the service_callback rule has no lead days
SOURCE_PREFIX = "sr:"


class AllowanceExceeded(FieldInvalid):
    """The customer has used the service's yearly allowance; a supervisor may override."""

    def __init__(self, message, used, allowance):
        super().__init__(message, "service_id")
        self.used, self.allowance = used, allowance


class RequestConflict(Conflict):
    """The request is no longer as the form showed it; carries the request as it is now."""

    def __init__(self, message, request=None):
        super().__init__(message)
        self.request = request


CHANGED_MEANWHILE = _l("This request was changed by someone else meanwhile; nothing was saved. "
                       "Here it is as it is now: check it and try again.")


def source_ref(request_id):
    """Return the task source reference of a request: 'sr:<id>'."""
    return f"{SOURCE_PREFIX}{request_id}"


def request_id_from_source(ref):
    """Return the request id of a task source reference 'sr:<id>', else None."""
    if not ref or not ref.startswith(SOURCE_PREFIX):
        return None
    number = ref[len(SOURCE_PREFIX):]
    return int(number) if number.isdigit() and 0 < int(number) <= MAX_ID else None


def checked_text(value, maximum, field_name, required_message=None, minimum=1):
    """Return ``value`` stripped; too long, or too short when required, is FieldInvalid."""
    text = (value or "").strip()
    if required_message and len(text) < minimum:
        raise FieldInvalid(required_message, field_name)
    if len(text) > maximum:
        raise FieldInvalid(_l("At most %(max)d characters.", max=maximum), field_name)
    return text


def checked_choice(value, allowed, message, field_name):
    """Return ``value`` if it is one of ``allowed``, else raise FieldInvalid."""
    if value not in allowed:
        raise FieldInvalid(message, field_name)
    return value


def conflict_for(actor, request_id):
    """Return a function giving the RequestConflict that carries the request as it is now.

    For :func:`app.database.commit_or_conflict`, which calls it after the rollback.
    """
    return lambda: RequestConflict(CHANGED_MEANWHILE, load_request(actor, request_id))


def add_event(request, actor, kind, now, **values):
    """Add one line to the request's timeline (the caller commits)."""
    event = ServiceRequestEvent(request=request, actor_id=actor.id if actor else None,
                                kind=kind, occurred_at=now, detail=values.pop("detail", {}),
                                **values)
    db.session.add(event)
    return event


def add_events(kind, now, rows, actor=None):
    """Add one timeline line of ``kind`` per ``(request_id, detail)`` row in ONE INSERT.

    The set-based form of ``add_event``, for work on many requests at once (the SLA check);
    the caller commits. Returns how many were added.
    """
    values = [{"request_id": request_id, "occurred_at": now, "kind": kind, "detail": detail,
               "actor_id": actor.id if actor else None} for request_id, detail in rows]
    if values:
        db.session.execute(insert(ServiceRequestEvent), values)
    return len(values)


# --- opening a request ---------------------------------------------------------------------


def find_customer_by_number(actor, customer_number):
    """Return the id of the customer with this number if ``actor`` may serve them.

    An unknown number, or a customer outside scope (refusal audited), raises FieldInvalid
    on the ``customer_number`` field: the opening form says so instead of a 404 page.
    """
    if not actor.has_role(*access.CUSTOMER_ROLES):
        raise NotAllowed()
    number = (customer_number or "").strip().upper()
    unknown = FieldInvalid(_l("No customer you serve has this customer number."),
                           "customer_number")
    if not number or len(number) > CUSTOMER_NUMBER_MAX:
        raise unknown
    customer_id = db.session.scalar(select(Customer.id).where(
        Customer.customer_number == number))
    if customer_id is None:
        raise unknown
    try:
        return access.get_customer(actor, customer_id).id
    except NotFound:
        raise unknown from None


def year_bounds(now):
    """Return the naive UTC instants where the bank's calendar year of ``now`` starts and ends."""
    zone = bank_timezone()
    year = now.replace(tzinfo=timezone.utc).astimezone(zone).year
    start, end = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    return (start.astimezone(timezone.utc).replace(tzinfo=None),
            end.astimezone(timezone.utc).replace(tzinfo=None))


def bookings_this_year(customer_id, service_id, now):
    """Return how many non-cancelled bookings of the service the customer made this year."""
    start, end = year_bounds(now)
    return db.session.scalar(select(func.count()).select_from(ServiceRequest).where(
        ServiceRequest.customer_id == customer_id,
        ServiceRequest.kind == RequestKind.VALUE_ADDED,
        ServiceRequest.value_added_service_id == service_id,
        ServiceRequest.status != RequestStatus.CANCELLED,
        ServiceRequest.opened_at >= start, ServiceRequest.opened_at < end)) or 0


@dataclass
class ServiceOption:
    """A value-added service of the customer's tier and how much of it is used this year."""

    service: ValueAddedService
    used: int

    @property
    def left(self):
        """Return the bookings left this year (never below 0)."""
        return max(0, self.service.yearly_allowance - self.used)


@dataclass
class OpeningContext:
    """What the opening form needs to know about the customer."""

    customer: Customer
    services: list
    may_override: bool


def opening_context(actor, customer_id, now):
    """Return the customer (in scope, else NotFound) and their tier's active services."""
    if not actor.has_role(*access.CUSTOMER_ROLES):
        raise NotAllowed()
    if valid_id(customer_id) is None:
        raise NotFound()
    customer = access.get_customer(actor, customer_id)
    services = db.session.scalars(select(ValueAddedService).where(
        ValueAddedService.tier == customer.tier, ValueAddedService.active.is_(True))
        .order_by(ValueAddedService.name, ValueAddedService.id))
    options = [ServiceOption(s, bookings_this_year(customer.id, s.id, now)) for s in services]
    return OpeningContext(customer, options, actor.has_role(*access.MANAGER_ROLES))


@dataclass
class OpenInput:
    """What the opening form asks for."""

    kind: str
    channel: str
    priority: str
    subject: str
    description: str
    service_id: Optional[int] = None
    override: bool = False
    override_reason: str = ""


def _checked_input(data):
    checked_choice(data.kind, RequestKind.ALL, _l("Choose what the request is about."), "kind")
    checked_choice(data.channel, RequestChannel.ALL, _l("Choose how the request came in."),
                   "channel")
    checked_choice(data.priority, RequestPriority.ALL, _l("Choose a priority."), "priority")
    data.subject = checked_text(data.subject, SUBJECT_MAX, "subject", _l(
        "Give the request a subject of at least %(min)d characters.", min=SUBJECT_MIN),
        SUBJECT_MIN)
    data.description = checked_text(data.description, DESCRIPTION_MAX, "description",
                                    _l("Describe what the customer asks for."))
    return data


def _checked_service(customer, data):
    """Return the value-added service a booking names (None for other kinds)."""
    if data.kind != RequestKind.VALUE_ADDED:
        return None
    service = db.session.get(ValueAddedService, valid_id(data.service_id) or 0)
    if service is None or not service.active or service.tier != customer.tier:
        raise FieldInvalid(_l("Choose one of the services of the customer's tier."),
                           "service_id")
    return service


def _check_allowance(actor, customer, service, data, now):
    """Refuse a booking beyond the yearly allowance unless a supervisor overrides it.

    Returns ``(used, reason)``: the bookings so far and the override reason (None when the
    allowance is not reached). The customer row is locked (PostgreSQL) so two bookings at
    once cannot both take the last one.
    """
    db.session.execute(select(Customer.id).where(Customer.id == customer.id).with_for_update())
    used = bookings_this_year(customer.id, service.id, now)
    if used < service.yearly_allowance:
        return used, None
    message = _l("%(service)s: this customer has used %(used)d of %(allowance)d bookings "
                 "this year.", service=service.name, used=used,
                 allowance=service.yearly_allowance)
    if not data.override:
        raise AllowanceExceeded(message, used, service.yearly_allowance)
    if not actor.has_role(*access.MANAGER_ROLES):
        raise AllowanceExceeded(_l("%(message)s Only a supervisor can override the allowance.",
                                   message=message), used, service.yearly_allowance)
    reason = (data.override_reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise FieldInvalid(_l("Give the reason for overriding the allowance (%(min)d to "
                              "%(max)d characters).", min=REASON_MIN, max=REASON_MAX),
                           "override_reason")
    return used, reason


def open_request(actor, customer_id, data, now):
    """Open a request for a customer ``actor`` serves; return it.

    ``data`` is an :class:`OpenInput`. Due times come from the SLA target of kind ×
    priority scaled by the customer's tier. The request is assigned to the customer's
    maintainer (when active), who is notified if someone else opened it. A value-added
    booking must name an active service of the customer's tier, within its yearly allowance
    unless a supervisor or admin overrides it with a reason (audited).
    """
    context = opening_context(actor, customer_id, now)
    customer = context.customer
    data = _checked_input(data)
    service = _checked_service(customer, data)
    used, override_reason = (_check_allowance(actor, customer, service, data, now)
                             if service else (0, None))
    first_due, resolution_due = due_times(data.kind, data.priority, customer.tier, now)
    maintainer = customer.maintainer
    request = ServiceRequest(
        customer_id=customer.id, branch_id=customer.branch_id, kind=data.kind,
        channel=data.channel, priority=data.priority, subject=data.subject,
        description=data.description, status=RequestStatus.NEW, opened_by_id=actor.id,
        assignee_id=maintainer.id if maintainer is not None and maintainer.active else None,
        opened_at=now, first_response_due_at=first_due, resolution_due_at=resolution_due,
        value_added_service_id=service.id if service else None,
        allowance_override_reason=override_reason)
    db.session.add(request)
    add_event(request, actor, "opened", now, to_status=RequestStatus.NEW,
              detail={"kind": data.kind, "priority": data.priority, "tier": customer.tier})
    db.session.flush()
    audit.record(actor, "service_request.opened", request, customer_id=customer.id,
                 kind=data.kind, priority=data.priority,
                 first_response_due_at=first_due.isoformat(),
                 resolution_due_at=resolution_due.isoformat())
    if override_reason:
        add_event(request, actor, "override", now, comment=override_reason,
                  detail={"service": service.name, "used": used,
                          "allowance": service.yearly_allowance})
        audit.record(actor, "service_request.allowance_overridden", request,
                     service_id=service.id, used=used, allowance=service.yearly_allowance,
                     reason=override_reason)
    if request.assignee_id and request.assignee_id != actor.id:
        notify_assignee(request, actor, now)
    db.session.commit()
    return request


def notify_assignee(request, actor, now):
    """Tell the request's assignee that ``actor`` gave it to them."""
    notify([request.assignee_id], SR_ASSIGNED,
           {"request_id": request.id, "subject": request.subject, "by": actor.display_name},
           link=f"/service-requests/{request.id}", now=now)


# --- the detail page -------------------------------------------------------------------------


def branch_ancestor_ids(branch_id):
    """Return the ids of the branches above ``branch_id``, nearest first."""
    parents = dict(db.session.execute(select(Branch.id, Branch.parent_id)).all())
    ids, current = [], parents.get(branch_id)
    while current is not None and current not in ids:
        ids.append(current)
        current = parents.get(current)
    return ids


def eligible_assignees(actor, request):
    """Return the staff a request may be assigned to, by branch then name.

    Active maintainers and supervisors of the request's branch subtree, and the active
    supervisors of the branches above it that ``actor`` can see (so a branch manager can
    take over a request of one of their outlets).
    """
    subtree = access.branch_subtree_ids(request.branch_id)
    visible = access.visible_branch_ids(actor)
    above = [b for b in branch_ancestor_ids(request.branch_id) if visible is None or b in visible]
    stmt = (select(Staff).join(Staff.branch)
            .where(Staff.active.is_(True), Staff.role.in_(access.CONTACT_ROLES),
                   or_(Staff.branch_id.in_(subtree),
                       and_(Staff.role == Role.SUPERVISOR, Staff.branch_id.in_(above))))
            .order_by(Branch.name, Staff.display_name, Staff.id))
    return list(db.session.scalars(stmt))


def load_request(actor, request_id):
    """Return the request if ``actor`` may see it, else raise NotFound (audited)."""
    if not actor.has_role(*access.CUSTOMER_ROLES):
        raise NotAllowed()
    if valid_id(request_id) is None:
        raise NotFound()
    return access.get_service_request(actor, request_id)
