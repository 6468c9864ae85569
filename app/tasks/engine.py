"""Raise one follow-up task: the single entry point for features outside the daily rules.

Service requests (``service_callback``), promotions (``campaign``) and any other feature call
``raise_task``; they never insert ``Task`` rows themselves, so every task gets its
maintainer, priority and idempotency the same way as the daily generation's.
"""
import logging

from sqlalchemy import DateTime, literal, select

from ..clock import today as bank_today
from ..clock import utcnow
from ..extensions import db
from ..models import Customer, CustomerStatus, FollowupRule, RuleKind, Task, TaskStatus
from ..sql import date_value, text_value
from .followups import insert_ignoring_duplicates
from .priority import tier_weight

log = logging.getLogger(__name__)


def raise_task(kind, customer_id, source_ref, due_on, note_params, today=None):
    """Raise a ``kind`` task for the customer, due on ``due_on``; return it, or None.

    The task goes to the customer's maintainer with the rule's base priority plus the
    customer's tier weight, planned for ``today`` (default: today in the bank's time zone).
    ``source_ref`` names what caused it ('sr:7', 'campaign:3'; '' for nothing) and
    ``note_params`` the values the rule's note template needs (ISO dates, amounts in fen).
    Returns None, raising nothing, when the rule is switched off, the customer is closed,
    unknown or has no maintainer, or the same task (kind, customer, source, due on) exists.
    Runs in the caller's transaction: the caller commits, with its own audit event.
    """
    if kind not in RuleKind.ALL:
        raise ValueError(f"unknown follow-up kind {kind!r}")
    rule = db.session.get(FollowupRule, kind)
    if rule is None or not rule.enabled:
        log.info("%s task for customer %s not raised: the rule is off", kind, customer_id)
        return None
    row = select(
        text_value(kind), Customer.id, Customer.maintainer_id, text_value(source_ref or ""),
        date_value(due_on), date_value(today or bank_today()),
        literal(rule.base_priority) + tier_weight(Customer.tier), text_value(TaskStatus.OPEN),
        literal(dict(note_params or {}), Task.__table__.c.note_params.type),
        literal(utcnow(), DateTime), literal(1),
    ).where(Customer.id == customer_id, Customer.status != CustomerStatus.CLOSED,
            Customer.maintainer_id.is_not(None))
    dialect_name = db.session.get_bind().dialect.name
    task_id = db.session.execute(
        insert_ignoring_duplicates(row, dialect_name).returning(Task.__table__.c.id)).scalar()
    if task_id is None:
        return None
    return db.session.get(Task, task_id)
