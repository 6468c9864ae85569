"""Follow-up rules, the tasks they raise in a maintainer's queue, and logged contacts."""
from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import (JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint, event,
                        select)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .customer import Customer
from .staff import Staff


class RuleKind:
    """What makes a task appear (DESIGN §2, Follow-up rule)."""

    BIRTHDAY = "birthday"
    MATURITY = "maturity"
    CADENCE = "cadence"
    DORMANT = "dormant"
    TIER_CHANGE = "tier_change"
    RISK_REVIEW = "risk_review"
    WELCOME = "welcome"
    SERVICE_CALLBACK = "service_callback"
    CAMPAIGN = "campaign"
    GENERATED = (BIRTHDAY, MATURITY, CADENCE, DORMANT, TIER_CHANGE, RISK_REVIEW, WELCOME)
    RAISED = (SERVICE_CALLBACK, CAMPAIGN)
    ALL = GENERATED + RAISED


class TaskStatus:
    """Lifecycle of a task."""

    OPEN = "open"
    DONE = "done"
    SNOOZED = "snoozed"
    CANCELLED = "cancelled"
    ALL = (OPEN, DONE, SNOOZED, CANCELLED)
    PENDING = (OPEN, SNOOZED)


class Outcome:
    """How a contact went."""

    REACHED = "reached"
    NOT_REACHED = "not_reached"
    PRODUCT_SOLD = "product_sold"
    APPOINTMENT = "appointment"
    DECLINED = "declined"
    COMPLAINT = "complaint"
    ALL = (REACHED, NOT_REACHED, PRODUCT_SOLD, APPOINTMENT, DECLINED, COMPLAINT)


class Channel:
    """How a customer was contacted."""

    PHONE = "phone"
    VISIT = "visit"
    WECHAT = "wechat"
    SMS = "sms"
    VIDEO = "video"
    ALL = (PHONE, VISIT, WECHAT, SMS, VIDEO)


class FollowupRule(db.Model):
    """One kind of follow-up and its settings; head office edits them."""

    __tablename__ = "followup_rule"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    lead_days: Mapped[int] = mapped_column(default=0)
    base_priority: Mapped[int] = mapped_column(default=50)
    note_template: Mapped[str] = mapped_column(String(200))
    threshold_days: Mapped[Optional[int]]
    min_aum_fen: Mapped[Optional[int]] = mapped_column(BigInteger)


class Task(db.Model):
    """A customer to contact, why, and by when; unique on (kind, customer, source, due on)."""

    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("kind", "customer_id", "source_ref", "due_on"),
        Index("ix_task_maintainer_status_scheduled", "maintainer_id", "status", "scheduled_on"),
        Index("ix_task_customer_id_status", "customer_id", "status"),
        # The supervisor's scope and team figures: read from the index alone, no customer join.
        Index("ix_task_branch_status_maintainer", "branch_id", "status", "maintainer_id",
              "scheduled_on", "due_on"),
        Index("ix_task_status_completed_at", "status", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    maintainer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    # The customer's branch, stored so a supervisor's scope is an indexed column of the task.
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    source_ref: Mapped[str] = mapped_column(String(64), default="")
    due_on: Mapped[date]
    scheduled_on: Mapped[date]
    priority: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.OPEN)
    snoozed_until: Mapped[Optional[date]]
    note_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    outcome: Mapped[Optional[str]] = mapped_column(String(32))
    note: Mapped[Optional[str]] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[Optional[datetime]]
    version: Mapped[int] = mapped_column(default=1)

    customer: Mapped[Customer] = relationship()
    maintainer: Mapped[Staff] = relationship()

    __mapper_args__ = {"version_id_col": version}


@event.listens_for(Task, "before_insert")
def copy_customer_branch(mapper, connection, task):
    """Give a task added through the ORM its customer's branch (set-based inserts pass it)."""
    if task.branch_id is None:
        task.branch_id = connection.scalar(
            select(Customer.branch_id).where(Customer.id == task.customer_id))


class Contact(db.Model):
    """A logged interaction with a customer."""

    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_customer_id_contacted_at", "customer_id", "contacted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    task_id: Mapped[Optional[int]] = mapped_column(ForeignKey("task.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    contacted_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(String(1000), default="")
    products_discussed: Mapped[list[Any]] = mapped_column(JSON, default=list)

    customer: Mapped[Customer] = relationship()
    staff: Mapped[Staff] = relationship()
