"""The scoped list of service requests: filters, SLA state, keyset paging, CSV export.

Requests come newest first and page by keyset on the id (``after``/``before`` an id), never
by offset or count. The export streams the same filtered list in chunks, with mobiles masked
and no ID numbers.
"""
import csv
import io
from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...errors import NotAllowed
from ...exports import safe_cell
from ...extensions import db
from ...formatting import local_datetime
from ...labels import (REQUEST_CHANNEL_LABELS, REQUEST_KIND_LABELS, REQUEST_PRIORITY_LABELS,
                       REQUEST_STATUS_LABELS, label)
from ...models import (Branch, Customer, RequestKind, RequestStatus, Role, ServiceRequest,
                       Staff)
from ...paging import exists, keyset_page
from ...personal_data import mask_mobile
from ...routing import clamp_id, valid_id
from .sla import SLA_STATES, current_deadline, sla_state, sla_state_condition

OPEN = "open"
UNASSIGNED = "none"
STATUS_FILTERS = (OPEN,) + RequestStatus.ALL
EXPORT_CHUNK = 500


@dataclass
class Filters:
    """The list's filters; ``status`` 'open' (default) means new or in progress, '' any."""

    status: str = OPEN
    kind: str = ""
    assignee: str = ""
    sla: str = ""
    customer_id: Optional[int] = None

    def as_args(self):
        """Return the filters as query-string arguments (empty ones left out, status kept)."""
        args = {"status": self.status, "kind": self.kind, "assignee": self.assignee,
                "sla": self.sla, "customer_id": self.customer_id}
        return {k: v for k, v in args.items() if v not in (None, "") or k == "status"}


@dataclass
class RequestRow:
    """One request as a list row, with its SLA state and the time to its current deadline."""

    request: ServiceRequest
    sla_state: Optional[str]
    seconds_left: Optional[int]


@dataclass
class RequestPage:
    """One page of the request list, with what the filters need to redisplay."""

    rows: list
    has_next: bool
    has_prev: bool
    notices: list = field(default_factory=list)
    customer: Optional[Customer] = None
    filtered: bool = False


def scoped_assignees(actor):
    """Return the staff in ``actor``'s scope a request can be assigned to (for the filter)."""
    return list(db.session.scalars(
        select(Staff).join(Staff.branch)
        .where(access.staff_filter(actor), Staff.role.in_((Role.MAINTAINER, Role.SUPERVISOR)))
        .options(joinedload(Staff.branch)).order_by(Branch.name, Staff.display_name, Staff.id)))


def _assignee_condition(actor, assignee, notices):
    if assignee == UNASSIGNED:
        return ServiceRequest.assignee_id.is_(None)
    staff_id = valid_id(int(assignee)) if assignee.isdigit() else None
    if staff_id is None or not exists([Staff.id == staff_id, access.staff_filter(actor)]):
        notices.append(_l("The chosen assignee is not one of your colleagues; that filter was "
                          "ignored."))
        return None
    return ServiceRequest.assignee_id == staff_id


def _customer_condition(actor, customer_id, notices):
    customer = None
    if valid_id(customer_id) is not None:
        customer = db.session.scalar(select(Customer).where(
            Customer.id == customer_id, access.customer_filter(actor)))
    if customer is None:
        notices.append(_l("That customer is not one of yours; that filter was ignored."))
        return None, None
    return ServiceRequest.customer_id == customer.id, customer


def conditions_for(actor, filters, now, notices=None):
    """Return ``(conditions, customer)``: the SQL conditions of the filtered, scoped list.

    Unknown values are ignored with a message in ``notices``.
    """
    notices = [] if notices is None else notices
    conditions = [access.service_request_filter(actor)]
    if filters.status == OPEN:
        conditions.append(ServiceRequest.status.in_(RequestStatus.OPEN))
    elif filters.status in RequestStatus.ALL:
        conditions.append(ServiceRequest.status == filters.status)
    if filters.kind in RequestKind.ALL:
        conditions.append(ServiceRequest.kind == filters.kind)
    if filters.assignee:
        condition = _assignee_condition(actor, filters.assignee, notices)
        if condition is not None:
            conditions.append(condition)
    if filters.sla in SLA_STATES:
        conditions.append(sla_state_condition(filters.sla, now))
    customer = None
    if filters.customer_id is not None:
        condition, customer = _customer_condition(actor, filters.customer_id, notices)
        if condition is not None:
            conditions.append(condition)
    return conditions, customer


def row_for(request, now):
    """Return the list row of ``request`` at ``now``."""
    seconds = None
    if request.status in RequestStatus.OPEN:
        seconds = int((current_deadline(request) - now).total_seconds())
    return RequestRow(request, sla_state(request, now), seconds)


def list_requests(actor, filters, now, after=None, before=None, page_size=50):
    """Return one page of the requests ``actor`` may see, filtered, newest first.

    ``scoped_assignees`` gives the assignee filter's choices.
    """
    if not actor.has_role(*access.CUSTOMER_ROLES):
        raise NotAllowed()
    notices = []
    conditions, customer = conditions_for(actor, filters, now, notices)
    page = keyset_page(
        select(ServiceRequest).options(joinedload(ServiceRequest.customer),
                                       joinedload(ServiceRequest.assignee),
                                       joinedload(ServiceRequest.branch)),
        ServiceRequest, conditions, descending=True, after=clamp_id(after),
        before=clamp_id(before), size=page_size)
    default = Filters()
    filtered = (filters.kind, filters.assignee, filters.sla, customer) != (
        default.kind, default.assignee, default.sla, None) or filters.status != OPEN
    return RequestPage([row_for(r, now) for r in page.rows], page.has_next, page.has_prev,
                       notices, customer, filtered)


RECENT_LIMIT = 5


def recent_for_customer(actor, customer_id, now, limit=RECENT_LIMIT):
    """Return the latest requests of one customer that ``actor`` may see, newest first."""
    if not actor.has_role(*access.CUSTOMER_ROLES) or valid_id(customer_id) is None:
        return []
    rows = db.session.scalars(
        select(ServiceRequest)
        .where(access.service_request_filter(actor, customer_id),
               ServiceRequest.customer_id == customer_id)
        .options(joinedload(ServiceRequest.assignee))
        .order_by(ServiceRequest.id.desc()).limit(limit))
    return [row_for(request, now) for request in rows]


# --- CSV export ------------------------------------------------------------------------------


def export_header():
    """Return the CSV header row, in the reader's language."""
    return [_("Request no."), _("Opened at"), _("Customer no."), _("Customer"), _("Mobile"),
            _("Branch"), _("Kind"), _("Channel"), _("Priority"), _("Status"), _("Subject"),
            _("Assignee"), _("First response due"), _("First responded at"),
            _("Resolution due"), _("Resolved at"), _("First response breached"),
            _("Resolution breached"), _("Escalation level"), _("Satisfaction")]


def export_row(request):
    """Return one CSV row: masked mobile, no ID number, labels in the reader's language."""
    yes, no = _("yes"), _("no")
    return [safe_cell(v) for v in (
        request.id, local_datetime(request.opened_at, "yyyy-MM-dd HH:mm"),
        request.customer.customer_number, request.customer.name,
        mask_mobile(request.customer.mobile), request.branch.name,
        label(REQUEST_KIND_LABELS, request.kind),
        label(REQUEST_CHANNEL_LABELS, request.channel),
        label(REQUEST_PRIORITY_LABELS, request.priority),
        label(REQUEST_STATUS_LABELS, request.status), request.subject,
        request.assignee.display_name if request.assignee else "",
        local_datetime(request.first_response_due_at, "yyyy-MM-dd HH:mm"),
        local_datetime(request.first_responded_at, "yyyy-MM-dd HH:mm"),
        local_datetime(request.resolution_due_at, "yyyy-MM-dd HH:mm"),
        local_datetime(request.resolved_at, "yyyy-MM-dd HH:mm"),
        yes if request.response_breached else no, yes if request.resolution_breached else no,
        request.escalation_level, request.satisfaction or "")]


def start_export(actor, filters, now):
    """Audit an export of the filtered list and return the conditions to stream it with."""
    if not actor.has_role(*access.CUSTOMER_ROLES):
        raise NotAllowed()
    conditions, _customer = conditions_for(actor, filters, now)
    audit.record(actor, "service_request.exported", object_type="service_request",
                 filters=filters.as_args())
    db.session.commit()
    return conditions


def export_lines(conditions):
    """Yield the CSV text of the export: a BOM and header, then rows in chunks by id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(export_header())
    yield "\ufeff" + buffer.getvalue()
    last_id = None
    while True:
        stmt = (select(ServiceRequest).where(*conditions)
                .options(joinedload(ServiceRequest.customer), joinedload(ServiceRequest.assignee),
                         joinedload(ServiceRequest.branch))
                .order_by(ServiceRequest.id.desc()).limit(EXPORT_CHUNK))
        if last_id is not None:
            stmt = stmt.where(ServiceRequest.id < last_id)
        chunk = list(db.session.scalars(stmt))
        if not chunk:
            return
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(export_row(request) for request in chunk)
        yield buffer.getvalue()
        last_id = chunk[-1].id
