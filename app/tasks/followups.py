"""Daily follow-up generation: every rule's new tasks, planned and written in one go.

Each rule's SELECT (``app.tasks.followup_rules``) is collected with an INSERT … SELECT into a
temporary table; the candidates are then ranked with the maintainers' pending tasks, as
``level_workload`` ranks them, and written with ONE ``INSERT … SELECT … ON CONFLICT DO
NOTHING`` on the task's unique key, each on the working day it gets. Writing each new task
once, on its day, is what keeps a million-customer day fast: inserting tasks for today and
then moving most of them would write every row twice.

Running the same day again inserts nothing. Customers without a maintainer cannot be given
a task; they are counted in ``GenerationResult.unassigned`` instead.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (JSON, Column, Date, DateTime, Integer, MetaData, String, Table, func,
                        literal, select, union_all)
from sqlalchemy.dialects import postgresql, sqlite

from ..clock import utcnow
from ..extensions import db
from ..models import Customer, Staff, Task, TaskStatus
from ..sql import analyze, text_value
from .followup_rules import CANDIDATE_COLUMNS, RULE_ROWS, enabled_rule_days
from .levelling import (pending_on, slot_days, slot_number, slot_of, slot_table,
                        slots_needed)
from .priority import effective_priority

TASK_COLUMNS = ("kind", "customer_id", "maintainer_id", "source_ref", "due_on", "scheduled_on",
                "priority", "status", "note_params", "created_at", "version", "branch_id")
UNIQUE_KEY = ("kind", "customer_id", "source_ref", "due_on")
SQLITE_CACHE_KIB = 64 * 1024
# The day's new tasks before they are planned; one per connection, dropped after each run.
CANDIDATES = Table(
    "followup_candidate", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("kind", String(32)), Column("customer_id", Integer), Column("maintainer_id", Integer),
    Column("source_ref", String(64)), Column("due_on", Date), Column("priority", Integer),
    Column("note_params", JSON),
    prefixes=["TEMPORARY"])
# The working day planned for each candidate (kept apart: narrow rows are quick to write).
PLAN = Table(
    "followup_plan", MetaData(),
    Column("candidate_id", Integer, primary_key=True, autoincrement=False),
    Column("planned_on", Date),
    prefixes=["TEMPORARY"])


@dataclass
class GenerationResult:
    """What one day's generation did: tasks created per rule kind, and customers left out."""

    day: date
    created: dict = field(default_factory=dict)
    unassigned: int = 0

    @property
    def total(self):
        """Return the number of tasks created by every rule together."""
        return sum(self.created.values())

    def as_dict(self):
        """Return the result as plain JSON-ready values (for ``job_run.result``)."""
        return {"day": self.day.isoformat(), "created": dict(self.created),
                "unassigned": self.unassigned, "total": self.total}


def insert_ignoring_duplicates(rows, dialect_name):
    """Return ``INSERT INTO task … SELECT rows … ON CONFLICT (unique key) DO NOTHING``."""
    insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    # preserve_rowcount: SQLAlchemy otherwise keeps the row count for UPDATE/DELETE only.
    return (insert(Task.__table__).from_select(list(TASK_COLUMNS), rows)
            .on_conflict_do_nothing(index_elements=list(UNIQUE_KEY))
            .execution_options(preserve_rowcount=True))


def plan_candidates(today):
    """Plan every candidate on the working day levelling would give it (in ``PLAN``).

    The candidates are ranked with every maintainer's pending tasks exactly as
    ``level_workload`` ranks them (effective priority, then older first; a candidate counts
    as younger than every task), so each new task is written once, on its day; the pending
    tasks it pushes further are moved by ``level_workload`` afterwards.
    """
    pending = select(literal(0).label("is_new"), Task.id.label("ref"),
                     Task.maintainer_id.label("maintainer_id"),
                     effective_priority(today).label("urgency")).where(pending_on(today))
    new = select(literal(1), CANDIDATES.c.id, CANDIDATES.c.maintainer_id,
                 effective_priority(today, CANDIDATES.c.priority, CANDIDATES.c.due_on))
    pool = union_all(pending, new).subquery("pool")
    count = slots_needed(pool)
    slots = slot_table(slot_days(today, count))
    position = func.row_number().over(partition_by=pool.c.maintainer_id + 0,
                                      order_by=(pool.c.urgency.desc(), pool.c.is_new, pool.c.ref))
    ranked = (select(pool.c.is_new, pool.c.ref, slot_number(position).label("day_number"))
              .join(Staff, Staff.id == pool.c.maintainer_id)
              .subquery("ranked"))
    db.session.execute(PLAN.insert().from_select(
        ["candidate_id", "planned_on"],
        select(ranked.c.ref, slots.c.day)
        .join(slots, slot_of(slots, ranked.c.day_number, count))
        .where(ranked.c.is_new == 1)
        .order_by(ranked.c.ref)))  # appending in key order is much quicker than at random


def planned_new_tasks(created_at):
    """Return the SELECT of the planned candidates as task rows, in collection order.

    Collection order is customer by customer, as the task indexes are ordered (so the
    insert is fast), and gives the new ids the ranking's order among equally urgent tasks.
    """
    candidate = CANDIDATES.c
    return (select(candidate.kind, candidate.customer_id, candidate.maintainer_id,
                   candidate.source_ref, candidate.due_on, PLAN.c.planned_on,
                   candidate.priority, text_value(TaskStatus.OPEN), candidate.note_params,
                   literal(created_at, DateTime), literal(1), Customer.branch_id)
            .join(PLAN, PLAN.c.candidate_id == candidate.id)
            .join(Customer, Customer.id == candidate.customer_id)
            .where(PLAN.c.planned_on.is_not(None))
            .order_by(candidate.id))


def _count_unassigned(orphans):
    if not orphans:
        return 0
    union = orphans[0].union(*orphans[1:]).subquery()
    return db.session.scalar(select(func.count()).select_from(union))


def generate_followups(today):
    """Raise every enabled rule's tasks for ``today``; return a ``GenerationResult``.

    Each rule's INSERT … SELECT collects its new tasks in a temporary table; one
    INSERT … SELECT … ON CONFLICT DO NOTHING then writes them all to ``task``, each planned
    on its working day. Runs in the caller's transaction (the caller commits); running the
    same day again creates nothing.
    """
    connection = db.session.connection()
    dialect_name = connection.dialect.name
    if dialect_name == "sqlite":
        # Room for the task indexes in memory: a million-customer day inserts 1.5x faster.
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    result = GenerationResult(today)
    created_at = utcnow()
    before = db.session.scalar(select(func.coalesce(func.max(Task.id), 0)))
    for table in (CANDIDATES, PLAN):
        table.drop(connection, checkfirst=True)
        table.create(connection)
    found, orphans = 0, []
    for rule_day in enabled_rule_days(today):
        result.created[rule_day.rule.kind] = 0
        rows = RULE_ROWS[rule_day.rule.kind](rule_day)
        if rows is None:
            continue
        assigned = rows.where(Customer.maintainer_id.is_not(None)).order_by(Customer.id)
        collected = db.session.execute(
            CANDIDATES.insert().from_select(list(CANDIDATE_COLUMNS), assigned)
            .execution_options(preserve_rowcount=True))
        found += max(collected.rowcount, 0)
        orphans.append(rows.with_only_columns(Customer.id.label("customer_id"))
                       .where(Customer.maintainer_id.is_(None)))
    if found:
        analyze(db.session, CANDIDATES.name)
        plan_candidates(today)
        analyze(db.session, PLAN.name)
        db.session.execute(insert_ignoring_duplicates(planned_new_tasks(created_at),
                                                      dialect_name))
        analyze(db.session, Task.__tablename__)
        result.created.update(db.session.execute(
            select(Task.kind, func.count())
            .where(Task.id > before, Task.created_at == literal(created_at, DateTime))
            .group_by(Task.kind)).all())
    for table in (CANDIDATES, PLAN):
        table.drop(connection)
    result.unassigned = _count_unassigned(orphans)
    return result
