"""The detail page of a service request: its timeline, SLA clocks and what the actor may do."""
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import access
from ...extensions import db
from ...models import Customer, RequestStatus, ServiceRequest, ServiceRequestEvent, Task
from .callbacks import open_callback_task
from .requests import eligible_assignees, load_request
from .sla import sla_clocks, sla_state


@dataclass
class RequestView:
    """Everything the detail page shows about a request."""

    request: ServiceRequest
    events: list
    clocks: list
    sla_state: Optional[str]
    transitions: tuple
    assignees: list = field(default_factory=list)
    may_record_satisfaction: bool = False
    callback_task: Optional[Task] = None
    customer_visible: bool = False


def request_view(actor, request_id, now, request=None):
    """Return the detail view of a request ``actor`` may see (else NotFound, audited)."""
    request = request or load_request(actor, request_id)
    events = list(db.session.scalars(
        select(ServiceRequestEvent).where(ServiceRequestEvent.request_id == request.id)
        .options(selectinload(ServiceRequestEvent.actor))
        .order_by(ServiceRequestEvent.occurred_at.desc(), ServiceRequestEvent.id.desc())))
    final = request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED)
    return RequestView(
        request=request, events=events, clocks=sla_clocks(request, now),
        sla_state=sla_state(request, now),
        transitions=RequestStatus.TRANSITIONS.get(request.status, ()),
        assignees=[] if final else eligible_assignees(actor, request),
        may_record_satisfaction=(actor.has_role(*access.CONTACT_ROLES)
                                 and request.status in (RequestStatus.RESOLVED,
                                                        RequestStatus.CLOSED)
                                 and request.satisfaction is None),
        callback_task=open_callback_task(request.id),
        customer_visible=db.session.scalar(select(Customer.id).where(
            Customer.id == request.customer_id, access.customer_filter(actor))) is not None)
