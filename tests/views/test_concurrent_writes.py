"""Overlapping writes wait their turn: 16 staff log in, complete a task and log a contact at once.

On SQLite a transaction that read first and wanted the write lock later failed at once with
"database is locked"; write transactions now take the lock at BEGIN and wait for it. Real
threads and real commits, so the app runs on a database of its own (a SQLite file, or a
throw-away schema of the PostgreSQL test database).
"""
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Branch, BranchKind, Contact, Customer, Role, Staff, Task
from app.models import TaskStatus

from app.imports.services import importing
from app.imports.services import import_csv

from ..helpers import PASSWORD, PortalClient, resident_id
from ..import_data import CUSTOMER_HEADER
from ..own_database import app_on_own_database

WRITERS = 16
IMPORTED = 600


def _import_file():
    """Return a customers file of IMPORTED new customers of the writers' branch."""
    lines = [CUSTOMER_HEADER]
    for n in range(IMPORTED):
        birth = date(1950, 1, 1) + timedelta(days=n)
        lines.append(f"IM{n:08d},导入{n},M,{birth},{resident_id(n, birth)},1380000{n:04d},CW,"
                     f"cw{n % WRITERS},C3,2026-03-01,2020-01-01,,active,Y")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _seed():
    branch = Branch(code="CW", name="Concurrent branch", kind=BranchKind.BRANCH)
    db.session.add(branch)
    db.session.flush()
    today = clock.today()
    for n in range(WRITERS):
        maint = Staff(username=f"cw{n}", display_name=f"Writer {n}", role=Role.MAINTAINER,
                      branch_id=branch.id)
        maint.set_password(PASSWORD)
        db.session.add(maint)
        db.session.flush()
        customers = [Customer(
            customer_number=f"CW{n:03d}{k}", name=f"客户{n}-{k}", gender="F",
            birth_on=date(1980, 1, 1), birth_mmdd="01-01", id_number=f"CW{n:03d}{k:013d}",
            mobile=f"1390001{n:02d}{k:02d}", mobile_last4=f"{n:02d}{k:02d}",
            branch_id=branch.id, maintainer_id=maint.id, tier="mass", aum_fen=0,
            onboarded_on=date(2020, 1, 1)) for k in range(2)]
        db.session.add_all(customers)
        db.session.flush()
        db.session.add(Task(kind="birthday", customer_id=customers[0].id, maintainer_id=maint.id,
                            source_ref=f"cw:{n}", due_on=today, scheduled_on=today, priority=50,
                            note_params={"date": today.isoformat()}))
    db.session.commit()


@pytest.fixture
def own_app(tmp_path):
    """An app on a database of its own with 16 maintainers, each with a task and a customer."""
    # 17 threads share one interpreter (and here a busy machine): allow a longer wait than
    # production's 10 s. Before BEGIN IMMEDIATE, writers failed at once whatever the timeout.
    with app_on_own_database(tmp_path, _seed, "writes", SQLITE_BUSY_TIMEOUT_MS=60000) as app:
        app.test_client_class = PortalClient
        yield app


def _work(app, n, barrier, failures):
    """Log in as writer ``n``, then complete the task and log a contact, all at once."""
    client = app.test_client()
    try:
        client.fetch_csrf("/login")
        with app.app_context():
            maint = db.session.scalar(select(Staff).where(Staff.username == f"cw{n}"))
            task = db.session.scalar(select(Task).where(Task.maintainer_id == maint.id))
            other = db.session.scalar(select(Customer).where(
                Customer.maintainer_id == maint.id, Customer.id != task.customer_id))
            task_id, version, other_id = task.id, task.version, other.id
            db.session.remove()
        barrier.wait()
        answers = [client.post_form("/login", {"username": f"cw{n}", "password": PASSWORD})]
        client.fetch_csrf("/")
        answers.append(client.post_form(f"/tasks/{task_id}/complete", {
            "version": version, "outcome": "reached", "channel": "phone", "note": f"done {n}"},
            htmx=True))
        answers.append(client.post_form(f"/tasks/customers/{other_id}/contacts", {
            "contact-channel": "visit", "contact-outcome": "appointment",
            "contact-summary": f"visit {n}"}, htmx=True))
        failures.extend(f"writer {n}: {answer.status_code}" for answer, expected
                        in zip(answers, (302, 200, 200)) if answer.status_code != expected)
    except Exception as error:  # reported by the test's assertion
        failures.append(f"writer {n}: {error!r}")


def _import(app, barrier, failures, results):
    """Import IMPORTED customers chunk by chunk while the writers work."""
    with app.app_context():
        try:
            barrier.wait()
            results.append(import_csv(_import_file(), actor=None))
        except Exception as error:  # reported by the test's assertion
            failures.append(f"import: {error!r}")
        finally:
            db.session.remove()


def test_sixteen_writers_and_an_import_overlap_and_each_write_lands_once(own_app, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_SIZE", 50)  # many chunks, each its own transaction
    barrier, failures, results = threading.Barrier(WRITERS + 1), [], []
    threads = [threading.Thread(target=_work, args=(own_app, n, barrier, failures))
               for n in range(WRITERS)]
    threads.append(threading.Thread(target=_import, args=(own_app, barrier, failures, results)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert failures == []
    assert [(r.inserted, r.bad_rows, r.errors) for r in results] == [(IMPORTED, 0, [])]
    with own_app.app_context():
        done = db.session.execute(select(Task.note, Task.status)).all()
        assert sorted(done) == sorted((f"done {n}", TaskStatus.DONE) for n in range(WRITERS))
        summaries = db.session.scalars(select(Contact.summary)).all()
        assert sorted(s for s in summaries if s.startswith("visit ")) == sorted(
            f"visit {n}" for n in range(WRITERS))
        assert len(summaries) == 2 * WRITERS
        logins = db.session.scalars(select(AuditEvent.actor_name).where(
            AuditEvent.action == "login.succeeded")).all()
        assert sorted(logins) == sorted(f"cw{n}" for n in range(WRITERS))
        assert db.session.scalar(select(func.count()).select_from(Staff).where(
            Staff.last_login_at.is_not(None))) == WRITERS
        imported = db.session.scalars(select(Customer.customer_number).where(
            Customer.customer_number.like("IM%"))).all()
        assert sorted(imported) == [f"IM{n:08d}" for n in range(IMPORTED)]
