"""Two schedulers at once: the day is done once, with one job_run row and no duplicate task.

These tests need real commits and real concurrent connections, so they run on an app of
their own: a SQLite file, or (with PORTAL_TEST_DATABASE_URL) a schema of their own in the
PostgreSQL test database, dropped afterwards.
"""
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.followups import run_followups
from app.jobs.runner import ALREADY_DONE, DONE, catch_up_all, run_daily
from app.models import Branch, BranchKind, Customer, JobRun, Role, Staff, Task
from app.scheduler import catch_up_job

from ..own_database import app_on_own_database

DAY = date(2026, 11, 30)


@pytest.fixture
def own_app(tmp_path):
    """An app on a database of its own, migrated, with one maintainer and 20 customers."""
    with app_on_own_database(tmp_path, _seed, "jobs") as app:
        yield app


def _seed():
    branch = Branch(code="OWN", name="Own branch", kind=BranchKind.BRANCH)
    maint = Staff(username="own-maint", display_name="Own maintainer", role=Role.MAINTAINER,
                  branch=branch, password_hash="-")
    db.session.add_all([branch, maint])
    db.session.flush()
    for n in range(20):
        db.session.add(Customer(
            customer_number=f"OWN{n:05d}", name=f"客户{n}", gender="F",
            birth_on=date(1980, 12, 1), birth_mmdd="12-01", id_number=f"OWN{n:015d}",
            mobile=f"1390000{n:04d}", mobile_last4=f"{n:04d}", branch_id=branch.id,
            maintainer_id=maint.id, tier="mass", aum_fen=40_000_00,
            onboarded_on=date(2020, 1, 1), last_contact_on=date(2026, 1, 1)))
    db.session.commit()


def _race(app, job):
    """Run ``job`` for DAY in two threads started together; return their outcomes."""
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def work():
        with app.app_context():
            try:
                barrier.wait()
                outcomes.append(run_daily("followups", job, DAY).status)
            except Exception as error:  # reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return sorted(outcomes)


def test_two_concurrent_runs_do_the_day_once(own_app):
    calls = []

    def slow_followups(day):
        calls.append(day)
        time.sleep(0.5)  # hold the day while the other run arrives
        return run_followups(day)

    assert _race(own_app, slow_followups) == [ALREADY_DONE, DONE]
    assert calls == [DAY]
    with own_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 1
        keys = db.session.execute(select(Task.kind, Task.customer_id, Task.source_ref,
                                         Task.due_on)).all()
        assert len(keys) == len(set(keys)) == 40  # a birthday and a dormant task each


def test_scheduler_job_catches_up_every_daily_job(own_app):
    runs = catch_up_job(own_app)

    assert [(run.job, run.status) for run in runs] == [
        ("retier", DONE), ("followups", DONE), ("certification-reminders", DONE)]
    assert catch_up_job(own_app) == []
    with own_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(JobRun)) == 3
        assert catch_up_all(runs[0].day) == []
