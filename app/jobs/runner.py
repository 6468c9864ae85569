"""Run daily jobs once per day: the ``job_run`` record, catch-up, and the list of daily jobs.

``run_daily`` does one job for one day in ONE transaction that also inserts the job's
``job_run`` row (unique on job and day), so a day is either done and recorded, or not done
at all. The row is claimed first, with ``INSERT … ON CONFLICT DO NOTHING``: a second run of
the same day, started at the same moment by another process, waits for the first one's
transaction and then finds the row there, so it does nothing. On PostgreSQL a transaction
advisory lock on (job, day) is taken before that; on SQLite the claiming INSERT is the
transaction's first statement, so it takes the database's single writer lock at once.
"""
import logging
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from ..clock import utcnow
from ..extensions import db
from ..models import JobRun
from .certifications import certification_reminders
from .followups import run_followups
from .retier import run_retier

log = logging.getLogger(__name__)

MAX_CATCH_UP_DAYS = 31
DONE = "done"
ALREADY_DONE = "already_done"
BUSY = "busy"


@dataclass
class DayRun:
    """The outcome of one job for one day: done now, done before, or busy elsewhere."""

    job: str
    day: object
    status: str
    result: Optional[dict] = field(default=None)


# Order matters: tier_change follow-ups read the tier history that re-tiering writes.
DAILY_JOBS = (("retier", run_retier), ("followups", run_followups),
              ("certification-reminders", certification_reminders))


def advisory_lock_key(job_name, day):
    """Return a stable signed 64-bit key for (job, day), for ``pg_advisory_xact_lock``."""
    return zlib.crc32(f"{job_name}:{day.isoformat()}".encode()) - 2 ** 31


def _claim(job_name, day, dialect_name):
    """Insert the (job, day) row unless it exists; tell whether this transaction got it."""
    insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    claimed = db.session.execute(
        insert(JobRun.__table__)
        .values(job=job_name, run_on=day, started_at=utcnow(), result={})
        .on_conflict_do_nothing(index_elements=["job", "run_on"])
        .returning(JobRun.__table__.c.id)).scalar()
    return claimed


def _finish_transaction():
    """End a transaction left open by the caller, so the claim starts a fresh one."""
    db.session.commit()


def run_daily(job_name, func_, day):
    """Run ``func_(day)`` for ``job_name`` once: in one transaction with its ``job_run`` row.

    Returns a ``DayRun`` whose status is ``done`` (with the job's result), ``already_done``
    (the row existed: nothing was run) or ``busy`` (SQLite only: another process held the
    database longer than the busy timeout; nothing was run, a later tick retries). An error
    in the job rolls everything back and propagates; the day stays undone.
    """
    _finish_transaction()
    dialect_name = db.session.get_bind().dialect.name
    try:
        if dialect_name == "postgresql":
            db.session.execute(select(func.pg_advisory_xact_lock(
                advisory_lock_key(job_name, day))))
        run_id = _claim(job_name, day, dialect_name)
    except OperationalError as error:
        db.session.rollback()
        if "locked" not in str(error.orig):
            raise
        log.warning("%s for %s: the database is busy, will retry", job_name, day)
        return DayRun(job_name, day, BUSY)
    if run_id is None:
        db.session.rollback()
        return DayRun(job_name, day, ALREADY_DONE)
    try:
        result = func_(day)
        job_run = db.session.get(JobRun, run_id)
        job_run.result = result
        job_run.finished_at = utcnow()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    log.info("%s for %s: %s", job_name, day, result)
    return DayRun(job_name, day, DONE, result)


def last_success(job_name):
    """Return the last day ``job_name`` was done, or None if it never ran."""
    return db.session.scalar(select(func.max(JobRun.run_on)).where(JobRun.job == job_name))


def days_to_catch_up(last_day, today, max_days=MAX_CATCH_UP_DAYS):
    """Return the days after ``last_day`` up to ``today``, at most ``max_days`` (none: today)."""
    if last_day is None:
        return [today]
    first = max(last_day + timedelta(days=1), today - timedelta(days=max_days - 1))
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def catch_up(job_name, func_, today, first_day=None):
    """Run ``job_name`` for every day since its last success up to ``today``, a day at a time.

    A job that never ran runs for ``first_day`` only (default ``today``). Each day runs in
    its own transaction through ``run_daily``; returns the list of ``DayRun`` (empty when
    nothing was missing). Stops at the first busy day.
    """
    last_day = last_success(job_name)
    days = days_to_catch_up(last_day, today) if last_day else [first_day or today]
    _finish_transaction()
    runs = []
    for day in days:
        run = run_daily(job_name, func_, day)
        runs.append(run)
        if run.status == BUSY:
            break
    return runs


def catch_up_all(today, first_day=None):
    """Catch up every daily job (in ``DAILY_JOBS`` order) up to ``today``; return the runs."""
    runs = []
    for job_name, func_ in DAILY_JOBS:
        runs.extend(catch_up(job_name, func_, today, first_day))
    return runs
