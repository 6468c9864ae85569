"""run_daily and catch_up: each day once, in one transaction with its job_run record."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.jobs import runner
from app.jobs.runner import (ALREADY_DONE, DONE, catch_up, catch_up_all, days_to_catch_up,
                             run_daily)
from app.models import JobRun, RuleKind, Task

DAY = date(2026, 11, 30)


class Recorder:
    """A job that remembers the days it ran for."""

    def __init__(self):
        self.days = []

    def __call__(self, day):
        """Run for ``day``."""
        self.days.append(day)
        return {"day": day.isoformat()}


def _runs(db, job):
    return list(db.session.scalars(select(JobRun).where(JobRun.job == job)
                                   .order_by(JobRun.run_on)))


def test_run_daily_twice_does_the_day_once(db):
    job = Recorder()

    first = run_daily("test-job", job, DAY)
    second = run_daily("test-job", job, DAY)

    assert (first.status, second.status) == (DONE, ALREADY_DONE)
    assert job.days == [DAY]
    (record,) = _runs(db, "test-job")
    assert record.run_on == DAY
    assert record.result == {"day": "2026-11-30"}
    assert record.finished_at is not None
    assert second.result is None


def test_a_failing_job_leaves_the_day_undone(db):
    def broken(day):
        db.session.execute(JobRun.__table__.insert().values(
            job="side-effect", run_on=day, started_at=datetime(2026, 11, 30), result={}))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_daily("test-job", broken, DAY)

    assert _runs(db, "test-job") == []
    assert _runs(db, "side-effect") == []
    assert run_daily("test-job", Recorder(), DAY).status == DONE


def test_catch_up_runs_exactly_the_missing_days(db):
    job = Recorder()
    run_daily("test-job", job, DAY)

    runs = catch_up("test-job", job, DAY + timedelta(days=3))

    expected = [DAY + timedelta(days=n) for n in (1, 2, 3)]
    assert [run.day for run in runs] == expected
    assert {run.status for run in runs} == {DONE}
    assert job.days == [DAY] + expected
    assert [r.run_on for r in _runs(db, "test-job")] == [DAY] + expected
    assert catch_up("test-job", job, DAY + timedelta(days=3)) == []


def test_catch_up_of_a_job_that_never_ran_does_just_today(db):
    job = Recorder()

    runs = catch_up("test-job", job, DAY)

    assert [run.day for run in runs] == [DAY]


def test_catch_up_goes_back_at_most_31_days():
    days = days_to_catch_up(DAY - timedelta(days=100), DAY)

    assert len(days) == 31
    assert days[0] == DAY - timedelta(days=30) and days[-1] == DAY
    assert days_to_catch_up(DAY, DAY) == []
    assert days_to_catch_up(None, DAY) == [DAY]


def test_daily_jobs_retier_before_generating(db, world, make_customer):
    customer = make_customer(maintainer=world["maint_a"], tier="mass", aum_fen=600_000_00)

    runs = catch_up_all(DAY)

    assert [(run.job, run.status) for run in runs] == [
        ("retier", DONE), ("followups", DONE), ("certification-reminders", DONE)]
    assert runs[0].result["upgraded"] == 1
    assert runs[1].result["created"][RuleKind.TIER_CHANGE] == 1
    assert db.session.scalar(select(func.count()).select_from(Task).where(
        Task.customer_id == customer.id, Task.kind == RuleKind.TIER_CHANGE)) == 1
    assert catch_up_all(DAY) == []


def test_the_advisory_lock_key_is_stable_and_fits_a_bigint():
    key = runner.advisory_lock_key("followups", DAY)

    assert key == runner.advisory_lock_key("followups", DAY)
    assert key != runner.advisory_lock_key("followups", DAY + timedelta(days=1))
    assert key != runner.advisory_lock_key("retier", DAY)
    assert -2 ** 63 <= key < 2 ** 63


def test_a_job_that_never_ran_can_start_on_another_day(db):
    job = Recorder()

    runs = catch_up("test-job", job, DAY - timedelta(days=1), first_day=DAY)

    assert [run.day for run in runs] == [DAY]
    assert catch_up("test-job", job, DAY + timedelta(days=2), first_day=DAY)[-1].day == (
        DAY + timedelta(days=2))
