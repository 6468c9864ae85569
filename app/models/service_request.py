"""Service requests and complaints, their timeline, SLA targets, and in-app notifications."""
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .branch import Branch
from .customer import Customer
from .staff import Staff
from .tier import ValueAddedService


class RequestKind:
    """What the customer asks for."""

    COMPLAINT = "complaint"
    ACCOUNT_CARD = "account_card"
    WEALTH_INQUIRY = "wealth_inquiry"
    VALUE_ADDED = "value_added"
    OTHER = "other"
    ALL = (COMPLAINT, ACCOUNT_CARD, WEALTH_INQUIRY, VALUE_ADDED, OTHER)


class RequestPriority:
    """How urgent the request is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"
    ALL = (LOW, NORMAL, HIGH, URGENT)


class RequestChannel:
    """Where the request came in."""

    COUNTER = "counter"
    PHONE = "phone"
    ONLINE = "online"
    WECHAT = "wechat"
    LETTER = "letter"
    ALL = (COUNTER, PHONE, ONLINE, WECHAT, LETTER)


class RequestStatus:
    """new → in_progress → resolved → closed, or cancelled (with a reason)."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    ALL = (NEW, IN_PROGRESS, RESOLVED, CLOSED, CANCELLED)
    OPEN = (NEW, IN_PROGRESS)
    TRANSITIONS = {
        NEW: (IN_PROGRESS, CANCELLED),
        IN_PROGRESS: (RESOLVED, CANCELLED),
        RESOLVED: (CLOSED, IN_PROGRESS),
        CLOSED: (),
        CANCELLED: (),
    }


class ServiceRequest(db.Model):
    """A customer's request or complaint, with its SLA clock and escalation state."""

    __tablename__ = "service_request"
    __table_args__ = (
        Index("ix_service_request_branch_id_status", "branch_id", "status"),
        Index("ix_service_request_status_first_response_due_at", "status",
              "first_response_due_at"),
        Index("ix_service_request_status_resolution_due_at", "status", "resolution_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(4000))
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.NEW)
    assignee_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"), index=True)
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_response_due_at: Mapped[datetime]
    resolution_due_at: Mapped[datetime]
    first_responded_at: Mapped[Optional[datetime]]
    resolved_at: Mapped[Optional[datetime]]
    closed_at: Mapped[Optional[datetime]]
    cancel_reason: Mapped[Optional[str]] = mapped_column(String(500))
    response_breached: Mapped[bool] = mapped_column(default=False)
    resolution_breached: Mapped[bool] = mapped_column(default=False)
    escalation_level: Mapped[int] = mapped_column(default=0)
    value_added_service_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("value_added_service.id"))
    allowance_override_reason: Mapped[Optional[str]] = mapped_column(String(500))
    satisfaction: Mapped[Optional[int]]
    satisfaction_comment: Mapped[Optional[str]] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(default=1)

    customer: Mapped[Customer] = relationship()
    branch: Mapped[Branch] = relationship()
    assignee: Mapped[Optional[Staff]] = relationship(foreign_keys=[assignee_id])
    opened_by: Mapped[Staff] = relationship(foreign_keys=[opened_by_id])
    value_added_service: Mapped[Optional[ValueAddedService]] = relationship()
    events: Mapped[list["ServiceRequestEvent"]] = relationship(
        back_populates="request", order_by="ServiceRequestEvent.id")

    __mapper_args__ = {"version_id_col": version}


class ServiceRequestEvent(db.Model):
    """One line of a request's timeline: a status change, an assignment or a comment."""

    __tablename__ = "service_request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_request.id", ondelete="CASCADE"),
                                            index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[Optional[str]] = mapped_column(String(16))
    to_status: Mapped[Optional[str]] = mapped_column(String(16))
    comment: Mapped[Optional[str]] = mapped_column(String(2000))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    request: Mapped[ServiceRequest] = relationship(back_populates="events")
    actor: Mapped[Optional[Staff]] = relationship()


class SlaTarget(db.Model):
    """Minutes allowed for first response and resolution, by kind × priority (head office)."""

    __tablename__ = "sla_target"
    __table_args__ = (UniqueConstraint("kind", "priority"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16))
    first_response_minutes: Mapped[int]
    resolution_minutes: Mapped[int]


class SlaTierFactor(db.Model):
    """The share (percent) of the SLA targets a tier gets: higher tiers get tighter targets."""

    __tablename__ = "sla_tier_factor"

    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
    percent: Mapped[int]
