"""The supervisor's team view: workload and contact coverage per maintainer, task reassignment.

Figures come from set-based aggregate queries (one GROUP BY over tasks, one over customers),
never from a query per maintainer.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...clock import bank_timezone
from ...errors import FieldInvalid, NotAllowed
from ...extensions import db
from ...models import Customer, CustomerStatus, Role, Staff, Task, TaskStatus
from ...routing import valid_id
from ..notes import rule_templates
from ..priority import effective_priority
from ...database import commit_or_conflict
from .queue import (SECTION_LIMIT, STALE_MESSAGE, TaskConflict, check_current, planned_on,
                    queue_row)

COVERAGE_WINDOWS = (30, 90)


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def local_day_bounds(day):
    """Return the naive UTC instants at which the bank's ``day`` starts and ends."""
    zone = bank_timezone()
    start = datetime.combine(day, time.min, zone).astimezone(timezone.utc).replace(tzinfo=None)
    end = (datetime.combine(day + timedelta(days=1), time.min, zone)
           .astimezone(timezone.utc).replace(tzinfo=None))
    return start, end


@dataclass
class MemberStats:
    """One maintainer's line in the team view."""

    staff: Staff
    open: int = 0
    due_now: int = 0
    overdue: int = 0
    done_today: int = 0
    book: int = 0
    contacted_30: int = 0
    contacted_90: int = 0

    def coverage(self, days):
        """Return the % of the book contacted within ``days`` days, or None for an empty book."""
        if not self.book:
            return None
        contacted = self.contacted_30 if days == 30 else self.contacted_90
        return round(100 * contacted / self.book)

    @property
    def over_capacity(self):
        """Tell whether more tasks are due now than the maintainer's daily capacity."""
        return self.due_now > self.staff.daily_capacity


def scoped_maintainers(actor, active_only=False):
    """Return the maintainers in ``actor``'s scope, by branch and name."""
    statement = (select(Staff).where(access.staff_filter(actor), Staff.role == Role.MAINTAINER)
                 .options(joinedload(Staff.branch)))
    if active_only:
        statement = statement.where(Staff.active.is_(True))
    return sorted(db.session.scalars(statement),
                  key=lambda s: (not s.active, s.branch.code, s.display_name, s.id))


@dataclass
class _TaskFigures:
    open: int = 0
    due_now: int = 0
    overdue: int = 0
    done_today: int = 0


def _task_figures(actor, ids, today):
    """Count pending and done-today tasks per maintainer, each from an index alone.

    Pending tasks are read from ``ix_task_branch_status_maintainer`` (a supervisor) or the
    maintainer index (head office); today's completions from ``ix_task_status_completed_at``.
    """
    start, end = local_day_bounds(today)
    figures = {staff_id: _TaskFigures() for staff_id in ids}
    pending = db.session.execute(
        select(Task.maintainer_id, func.count().label("open"),
               _count_if(planned_on() <= today).label("due_now"),
               _count_if(Task.due_on < today).label("overdue"))
        .where(access.task_filter(actor), Task.status.in_(TaskStatus.PENDING))
        .group_by(Task.maintainer_id))
    for row in pending:  # a task lent to a maintainer out of scope has no line
        if row.maintainer_id in figures:
            line = figures[row.maintainer_id]
            line.open, line.due_now, line.overdue = row.open, row.due_now, row.overdue
    done = db.session.execute(
        select(Task.maintainer_id, func.count())
        .where(Task.status == TaskStatus.DONE, Task.completed_at >= start,
               Task.completed_at < end, access.task_filter(actor))
        .group_by(Task.maintainer_id))
    for maintainer_id, count in done:
        if maintainer_id in figures:
            figures[maintainer_id].done_today = count
    return figures


def _book_figures(actor, ids, today):
    windows = {days: _count_if(Customer.last_contact_on > today - timedelta(days=days))
               .label(f"contacted_{days}") for days in COVERAGE_WINDOWS}
    rows = db.session.execute(
        select(Customer.maintainer_id, func.count().label("book"), *windows.values())
        .where(Customer.maintainer_id.in_(ids), access.customer_filter(actor),
               Customer.status != CustomerStatus.CLOSED)
        .group_by(Customer.maintainer_id))
    return {row.maintainer_id: row for row in rows}


def team_overview(actor, today):
    """Return one MemberStats per maintainer in ``actor``'s scope (supervisors and admins).

    Open counts every pending task, due now those planned for today or earlier, overdue those
    past their due date; coverage is the share of the non-closed book whose last contact lies
    within the last 30 or 90 days.
    """
    if not actor.has_role(*access.MANAGER_ROLES):
        raise NotAllowed()
    members = scoped_maintainers(actor)
    ids = [s.id for s in members]
    tasks = _task_figures(actor, ids, today) if ids else {}
    books = _book_figures(actor, ids, today) if ids else {}
    stats = []
    for staff in members:
        line = MemberStats(staff)
        if staff.id in tasks:
            row = tasks[staff.id]
            line.open, line.due_now = row.open, row.due_now
            line.overdue, line.done_today = row.overdue, row.done_today
        if staff.id in books:
            row = books[staff.id]
            line.book, line.contacted_30, line.contacted_90 = (
                row.book, row.contacted_30, row.contacted_90)
        stats.append(line)
    return stats


@dataclass
class MemberTasks:
    """A maintainer's pending tasks as a supervisor sees them, with reassignment targets."""

    staff: Staff
    rows: list
    more: bool
    targets: list


def member_tasks(actor, staff_id, today):
    """Return the pending tasks of maintainer ``staff_id`` (in scope, else 404) by planned day."""
    if not actor.has_role(*access.MANAGER_ROLES):
        raise NotAllowed()
    staff = access.get_staff(actor, staff_id)
    if not staff.has_role(Role.MAINTAINER):
        raise FieldInvalid(_l("Only maintainers have a task queue."))
    priority = effective_priority(today).label("effective_priority")
    result = db.session.execute(
        select(Task, priority)
        .where(Task.maintainer_id == staff.id, access.task_filter(actor),
               Task.status.in_(TaskStatus.PENDING))
        .options(joinedload(Task.customer))
        .order_by(planned_on(), priority.desc(), Task.id).limit(SECTION_LIMIT + 1)).all()
    templates = rule_templates()
    rows = [queue_row(task, today, templates, p) for task, p in result[:SECTION_LIMIT]]
    targets = [s for s in scoped_maintainers(actor, active_only=True) if s.id != staff.id]
    return MemberTasks(staff, rows, len(result) > SECTION_LIMIT, targets)


def task_row(actor, task_id, today):
    """Return a task in scope as a member-page row, with the maintainers it may go to."""
    if not actor.has_role(*access.MANAGER_ROLES):
        raise NotAllowed()
    task = access.get_task(actor, task_id)
    targets = [s for s in scoped_maintainers(actor, active_only=True)
               if s.id != task.maintainer_id]
    return queue_row(task, today, rule_templates()), targets


def reassign_task(actor, task_id, version, maintainer_id):
    """Give a pending task in scope to another active maintainer in scope; audited.

    The customer stays with their maintainer: this is for cover (leave, workload). A task
    changed since ``version`` raises TaskConflict; a bad target FieldInvalid.
    """
    if not actor.has_role(*access.MANAGER_ROLES):
        raise NotAllowed()
    task = access.get_task(actor, task_id)
    target = db.session.scalar(select(Staff).where(
        Staff.id == maintainer_id, access.staff_filter(actor), Staff.role == Role.MAINTAINER,
        Staff.active.is_(True))) if valid_id(maintainer_id) else None
    if target is None:
        raise FieldInvalid(_l("Choose an active maintainer of your branches."), "maintainer_id")
    if target.id == task.maintainer_id:
        raise FieldInvalid(_l("The task is already with %(name)s.", name=target.display_name),
                           "maintainer_id")
    check_current(task, version)
    before = task.maintainer_id
    task.maintainer_id = target.id
    audit.record(actor, "task.reassigned", task, branch_id=task.customer.branch_id,
                 kind=task.kind, customer_id=task.customer_id, from_maintainer_id=before,
                 to_maintainer_id=target.id)
    commit_or_conflict(TaskConflict(STALE_MESSAGE))
    return task, target
