"""The task engine: how features outside the daily rules raise, cancel and finish tasks.

Service requests (``service_callback``), promotions (``campaign``) and any other feature call
``raise_task``, ``cancel_source_tasks`` and ``complete_source_tasks``; they never write
``Task`` rows themselves, so every task gets its maintainer, priority and idempotency the
same way as the daily generation's. A feature that must act when the maintainer completes
one of its tasks in the queue registers a handler with ``on_completion``: the tasks never
import the features that raise them.
"""
import logging

from sqlalchemy import DateTime, and_, insert, literal, or_, select, update

from .. import audit
from ..clock import today as bank_today
from ..clock import utcnow
from ..extensions import db
from ..models import (Channel, Contact, Customer, CustomerStatus, FollowupRule, Outcome,
                      RuleKind, Task, TaskStatus)
from ..sql import date_value, text_value
from .followups import insert_ignoring_duplicates
from .priority import tier_weight

log = logging.getLogger(__name__)
NOTE_MAX = 500
SUMMARY_MAX = 1000


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
        literal(utcnow(), DateTime), literal(1), Customer.branch_id,
    ).where(Customer.id == customer_id, Customer.status != CustomerStatus.CLOSED,
            Customer.maintainer_id.is_not(None))
    dialect_name = db.session.get_bind().dialect.name
    task_id = db.session.execute(
        insert_ignoring_duplicates(row, dialect_name).returning(Task.__table__.c.id)).scalar()
    if task_id is None:
        return None
    return db.session.get(Task, task_id)


def move_last_contact(customer_ids, today, now=None):
    """Move the last contact of ``customer_ids`` (one id or several) to ``today``; never back.

    The one place that moves ``Customer.last_contact_on``: one UPDATE, whoever calls it (a
    completed task, a logged contact). The caller commits.
    """
    ids = [customer_ids] if isinstance(customer_ids, int) else sorted(set(customer_ids))
    if not ids:
        return
    db.session.execute(
        update(Customer)
        .where(Customer.id.in_(ids),
               or_(Customer.last_contact_on.is_(None), Customer.last_contact_on < today))
        .values(last_contact_on=today, updated_at=now or utcnow())
        .execution_options(synchronize_session=False))


def complete_tasks(actor, condition, outcome, channel, note, now, today, branch_id=None,
                   **detail):
    """Complete the tasks matching ``condition`` with a contact each; return what was done.

    The one place that completes tasks, whichever path (the queue, a feature's own page):
    one UPDATE (done, ``outcome``, ``note``, version bumped), one bulk INSERT of a contact
    each (``channel``, ``outcome``, the note as summary), the customers' last contact moved
    to ``today`` and a ``task.completed`` audit event each (``kind``, ``customer_id``,
    ``outcome``, ``channel``, ``contact_id`` and ``detail``; in ``branch_id``, default the
    task's). Returns ``(task_id, customer_id, contact_id)`` rows, empty when nothing
    matched (the caller decides whether that is a conflict). The caller commits.
    """
    done = db.session.execute(
        update(Task)
        .where(condition)
        .values(status=TaskStatus.DONE, outcome=outcome, completed_at=now,
                note=note[:NOTE_MAX], version=Task.version + 1)
        .returning(Task.id, Task.customer_id, Task.kind, Task.branch_id)
        .execution_options(synchronize_session=False)).all()
    if not done:
        return []
    contact_ids = dict(db.session.execute(
        insert(Contact).returning(Contact.task_id, Contact.id, sort_by_parameter_order=True),
        [{"customer_id": customer_id, "staff_id": actor.id, "task_id": task_id,
          "channel": channel, "contacted_at": now, "outcome": outcome,
          "summary": note[:SUMMARY_MAX], "products_discussed": []}
         for task_id, customer_id, _kind, _branch in done]).all())
    move_last_contact([customer_id for _task, customer_id, _kind, _branch in done], today, now)
    audit.record_many(actor, "task.completed", "task", [
        (task_id, branch_id or task_branch,
         {"kind": kind, "customer_id": customer_id, "outcome": outcome, "channel": channel,
          "contact_id": contact_ids[task_id], **detail})
        for task_id, customer_id, kind, task_branch in done])
    return [(task_id, customer_id, contact_ids[task_id])
            for task_id, customer_id, _kind, _branch in done]


def _pending_from(kind, source_ref):
    """Return the condition of the pending ``kind`` tasks raised by ``source_ref``."""
    return and_(Task.kind == kind, Task.source_ref == source_ref,
                Task.status.in_(TaskStatus.PENDING))


def cancel_source_tasks(kind, source_ref, now):
    """Cancel the pending ``kind`` tasks raised by ``source_ref`` (one UPDATE, versions bumped)."""
    return db.session.execute(
        update(Task)
        .where(_pending_from(kind, source_ref))
        .values(status=TaskStatus.CANCELLED, completed_at=now, version=Task.version + 1)
        .execution_options(synchronize_session=False)).rowcount


def complete_source_tasks(actor, kind, source_ref, note, now, today, branch_id, **detail):
    """Complete the pending ``kind`` tasks raised by ``source_ref`` by phone; return their ids.

    ``complete_tasks`` with a reached phone call, audited in ``branch_id`` with ``detail``.
    The caller commits.
    """
    done = complete_tasks(actor, _pending_from(kind, source_ref), Outcome.REACHED,
                          Channel.PHONE, note, now, today, branch_id=branch_id, **detail)
    return [task_id for task_id, _customer, _contact in done]


COMPLETION_HANDLERS = {}


def on_completion(kind):
    """Register ``handler(actor, task, value, note, now, today)`` for completed ``kind`` tasks.

    The queue calls it inside the completion's transaction when the maintainer completes a
    ``kind`` task with a value (the call-back's satisfaction score); the handler refuses
    the completion by raising ``FieldInvalid``. One handler per kind.
    """
    def register(handler):
        COMPLETION_HANDLERS[kind] = handler
        return handler
    return register


def run_completion_handler(actor, task, value, note, now, today):
    """Call the handler registered for ``task.kind``, if any, with the completion's value."""
    handler = COMPLETION_HANDLERS.get(task.kind)
    if handler is not None and value is not None:
        handler(actor, task, value, note, now, today)


def copy_branch_to_tasks(customer_ids):
    """Give the tasks of ``customer_ids`` their customer's branch again (one UPDATE).

    Call it in the transaction that moved customers to another branch (the customer import),
    so a supervisor's scope, read from ``task.branch_id``, follows the customer.
    """
    branch = (select(Customer.branch_id).where(Customer.id == Task.customer_id)
              .scalar_subquery())
    for start in range(0, len(customer_ids), 500):
        db.session.execute(
            update(Task).where(Task.customer_id.in_(customer_ids[start:start + 500]),
                               Task.branch_id != branch)
            .values(branch_id=branch).execution_options(synchronize_session=False))
