"""The maintainer's queue: today's tasks, completing and snoozing them.

Every task is loaded through ``app.access`` (a task of someone else is not found). Writes are
audited in the same transaction; a task changed meanwhile (stale version, already done) raises
:class:`app.errors.Conflict` and changes nothing.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...clock import utcnow
from ...errors import Conflict, FieldInvalid, NotAllowed
from ...extensions import db
from ...models import Channel, Outcome, Role, RuleKind, Task, TaskStatus
from ...workdays import working_days_from
from ..engine import NOTE_MAX, complete_tasks, run_completion_handler
from ..notes import render_note, rule_templates
from ..priority import effective_priority
from ...database import commit_or_conflict

UPCOMING_WORKING_DAYS = 5
SECTION_LIMIT = 200
# The queue renders a screenful: the most urgent of today and overdue, a few per later day.
QUEUE_SECTION_LIMIT = 30
UPCOMING_DAY_LIMIT = 10
SNOOZE_MAX_DAYS = 14


class TaskConflict(Conflict):
    """The task is no longer as the form showed it; carries the task as it is now."""

    def __init__(self, message, task=None):
        super().__init__(message)
        self.task = task


# --- reading the queue -------------------------------------------------------------------


def planned_on():
    """Return the stored day a pending task is planned for: ``Task.scheduled_on``.

    Snoozing sets it to the snooze day and levelling moves it, so it is one indexed column
    (``ix_task_maintainer_status_scheduled``), never an expression the index cannot serve.
    """
    return Task.scheduled_on


def actionable(today):
    """Return the condition of tasks to work on ``today``: pending and planned for no later."""
    return and_(Task.status.in_(TaskStatus.PENDING), planned_on() <= today)


@dataclass
class QueueRow:
    """One task as a queue row: the task, its priority today and why it is there."""

    task: Task
    priority: int
    why: str
    days_overdue: int

    @property
    def customer(self):
        """Return the task's customer."""
        return self.task.customer


def queue_row(task, today, templates, priority=None):
    """Return ``task`` as a queue row on ``today`` (priority grows by the days overdue)."""
    overdue = max((today - task.due_on).days, 0)
    if priority is None:
        priority = task.priority + overdue
    return QueueRow(task, priority, render_note(task, templates, today), overdue)


@dataclass
class QueueSection:
    """A titled group of queue rows (today, overdue, or one upcoming day)."""

    key: str
    rows: list
    day: Optional[object] = None
    more: bool = False


@dataclass
class TaskQueue:
    """Everything the queue page shows."""

    today: object
    kind: Optional[str]
    due: QueueSection
    overdue: QueueSection
    upcoming: list
    kind_counts: dict = field(default_factory=dict)

    @property
    def total(self):
        """Return the number of pending tasks listed across every kind."""
        return sum(self.kind_counts.values())

    @property
    def is_empty(self):
        """Tell whether no section holds a row."""
        return not (self.due.rows or self.overdue.rows or any(s.rows for s in self.upcoming))


def _rows(statement, today, templates, limit=SECTION_LIMIT):
    """Run ``statement`` (selecting Task and its effective priority); return rows and more."""
    result = db.session.execute(statement.limit(limit + 1)).all()
    rows = [queue_row(task, today, templates, priority) for task, priority in result[:limit]]
    return rows, len(result) > limit


def _base(actor, today, kind):
    """Return the select of the actor's pending tasks with their effective priority."""
    priority = effective_priority(today).label("effective_priority")
    statement = (select(Task, priority)
                 .where(access.task_filter(actor), Task.status.in_(TaskStatus.PENDING))
                 .options(joinedload(Task.customer)))
    if kind:
        statement = statement.where(Task.kind == kind)
    return statement, priority


def _kind_counts(actor, last_day):
    rows = db.session.execute(
        select(Task.kind, func.count())
        .where(access.task_filter(actor), Task.status.in_(TaskStatus.PENDING),
               planned_on() <= last_day)
        .group_by(Task.kind)).all()
    order = {kind: n for n, kind in enumerate(RuleKind.ALL)}
    return dict(sorted(rows, key=lambda row: order.get(row[0], len(order))))


def task_queue(actor, today, kind=None):
    """Return ``actor``'s queue: due now by priority, overdue, then the next working days.

    Due now means pending and planned for today or earlier (a snoozed task comes back on its
    snooze date) and not yet past its due date; overdue ones are past it. ``kind`` limits
    the queue to one follow-up kind (an unknown kind is ignored).
    """
    if not actor.has_role(Role.MAINTAINER):
        raise NotAllowed()
    kind = kind if kind in RuleKind.ALL else None
    templates = rule_templates()
    statement, priority = _base(actor, today, kind)
    now = statement.where(planned_on() <= today)
    due, due_more = _rows(now.where(Task.due_on >= today)
                          .order_by(priority.desc(), Task.due_on, Task.id), today, templates,
                          limit=QUEUE_SECTION_LIMIT)
    overdue, overdue_more = _rows(now.where(Task.due_on < today)
                                  .order_by(priority.desc(), Task.due_on, Task.id),
                                  today, templates, limit=QUEUE_SECTION_LIMIT)
    days = working_days_from(today + timedelta(days=1), UPCOMING_WORKING_DAYS)
    upcoming, after = [], today
    for day in days:  # a weekend's tasks are listed under the working day after it
        rows, more = _rows(statement.where(planned_on() > after, planned_on() <= day)
                           .order_by(priority.desc(), Task.id), today, templates,
                           limit=UPCOMING_DAY_LIMIT)
        upcoming.append(QueueSection("day", rows, day, more))
        after = day
    return TaskQueue(today, kind, QueueSection("due", due, more=due_more),
                     QueueSection("overdue", overdue, more=overdue_more),
                     upcoming, _kind_counts(actor, days[-1]))


def count_actionable(actor, today):
    """Return how many tasks ``actor`` has to work on ``today`` (due now and overdue)."""
    if not actor.has_role(Role.MAINTAINER):
        return 0
    return db.session.scalar(
        select(func.count()).select_from(Task)
        .where(access.task_filter(actor), actionable(today))) or 0


def find_task(actor, task_id, today):
    """Return the queue row of a task ``actor`` may see, else raise NotFound (audited)."""
    return queue_row(access.get_task(actor, task_id), today, rule_templates())


def pending_task(actor, task_id, today):
    """Return the queue row of a pending task to act on; a done one raises TaskConflict."""
    row = find_task(actor, task_id, today)
    check_current(row.task, row.task.version)
    return row


# --- changing a task ---------------------------------------------------------------------


def check_current(task, version):
    """Raise TaskConflict unless ``task`` is still pending at the ``version`` the form showed."""
    if task.status == TaskStatus.DONE:
        raise TaskConflict(_l("This task was already completed; nothing was changed."), task)
    if task.status == TaskStatus.CANCELLED:
        raise TaskConflict(_l("This task was cancelled meanwhile; nothing was changed."), task)
    if version != task.version:
        raise TaskConflict(_l("This task was changed meanwhile (rescheduled or reassigned); "
                              "nothing was saved. Check it and try again."), task)


STALE_MESSAGE = _l("This task was changed by someone else at the same time; nothing was "
                   "saved. Check it and try again.")


def _checked_choice(value, allowed, message, field_name):
    if value not in allowed:
        raise FieldInvalid(message, field_name)
    return value


def _checked_text(value, maximum, field_name, required=False):
    text = (value or "").strip()
    if required and not text:
        raise FieldInvalid(_l("Write a short summary of the contact."), field_name)
    if len(text) > maximum:
        raise FieldInvalid(_l("At most %(max)d characters.", max=maximum), field_name)
    return text


def complete_task(actor, task_id, version, outcome, channel, note, today, satisfaction=None):
    """Complete a task: record the contact, mark it done, move the customer's last contact.

    Only the task's maintainer completes it (another's task is not found). A task already
    done, cancelled or changed since ``version`` raises TaskConflict; bad input FieldInvalid.
    A ``satisfaction`` (1–5) goes to the handler the task's feature registered with
    ``engine.on_completion`` (a service call-back stores it on the request).
    """
    if not actor.has_role(Role.MAINTAINER):
        raise NotAllowed()
    task = access.get_task(actor, task_id)
    outcome = _checked_choice(outcome, Outcome.ALL, _l("Choose how the contact went."),
                              "outcome")
    channel = _checked_choice(channel, Channel.ALL, _l("Choose how you contacted the customer."),
                              "channel")
    note = _checked_text(note, NOTE_MAX, "note")
    check_current(task, version)
    now = utcnow()
    done = complete_tasks(actor, and_(Task.id == task.id, Task.version == version,
                                      Task.status.in_(TaskStatus.PENDING)),
                          outcome, channel, note, now, today)
    if not done:
        db.session.rollback()
        raise TaskConflict(STALE_MESSAGE)
    db.session.refresh(task)
    run_completion_handler(actor, task, satisfaction, note, now, today)
    commit_or_conflict(TaskConflict(STALE_MESSAGE))
    return task


def snooze_bounds(today):
    """Return the first and last day a task may be snoozed to from ``today``."""
    return today + timedelta(days=1), today + timedelta(days=SNOOZE_MAX_DAYS)


def default_snooze_day(today):
    """Return the day the snooze form proposes: the next working day."""
    return working_days_from(today + timedelta(days=1), 1)[0]


def snooze_task(actor, task_id, version, until, today):
    """Put a task aside until ``until`` (tomorrow up to 14 days ahead); it returns that day."""
    if not actor.has_role(Role.MAINTAINER):
        raise NotAllowed()
    task = access.get_task(actor, task_id)
    first, last = snooze_bounds(today)
    if until is None:
        raise FieldInvalid(_l("Choose the day the task should come back."), "until")
    if not first <= until <= last:
        raise FieldInvalid(_l("Choose a day from tomorrow up to %(days)d days ahead.",
                              days=SNOOZE_MAX_DAYS), "until")
    check_current(task, version)
    before = task.scheduled_on
    task.status, task.snoozed_until, task.scheduled_on = TaskStatus.SNOOZED, until, until
    audit.record(actor, "task.snoozed", task, branch_id=task.customer.branch_id,
                 kind=task.kind, customer_id=task.customer_id, until=until.isoformat(),
                 scheduled_before=before.isoformat())
    commit_or_conflict(TaskConflict(STALE_MESSAGE))
    return task
