"""One small bank per test module, logged-in sessions for every role, rolled-back requests.

The matrix and the fuzzing send thousands of requests; building the bank and logging in
(scrypt) once per module keeps them fast. Every request then runs inside a savepoint that
is rolled back, so no request sees what another one did. Only ids are kept between
requests, never ORM objects (the session is emptied each time).
"""
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import (AuditEvent, BranchKind, CalendarDay, DayKind, ImportRun, ImportStatus,
                        Notification, Role, TaskStatus)

from ..builders import make_branch, make_customer, make_staff
from ..conftest import BoundSession
from ..helpers import PASSWORD, PortalClient
from ..service_request_book import add_service, open_request
from ..task_book import add_task

ANONYMOUS = "anonymous"
ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.TRAINER, Role.MAINTAINER, ANONYMOUS)
REFUSAL_ACTIONS = ("access.refused", "access.forbidden")
SESSION_COOKIE = "portal_session"
# Log in again after this long, well inside the inactivity timeout (long fuzz runs).
SESSION_REFRESH = timedelta(minutes=10).total_seconds()


@dataclass
class Bank:
    """The ids of the module's bank, and the session cookie and CSRF token of each role."""

    app: object
    connection: object
    ids: dict = field(default_factory=dict)
    usernames: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)

    def client(self, role):
        """Return a fresh client carrying ``role``'s session (anonymous: a bare session).

        A fresh client per request keeps one request's effect on the session (logging out,
        switching the language) away from the next.
        """
        cookie, token, logged_at = self.sessions.get(role) or (None, None, 0)
        if cookie is None or time.monotonic() - logged_at > SESSION_REFRESH:
            cookie, token = self._log_in(role)
        client = self.app.test_client()
        client.set_cookie(SESSION_COOKIE, cookie)
        client.csrf_token = token
        return client

    def csrf_token(self, role):
        """Return the CSRF token of ``role``'s session."""
        return self.client(role).csrf_token

    def _log_in(self, role):
        client = self.app.test_client()
        with rolled_back(self):
            if role != ANONYMOUS:
                response = client.post_form("/login", {"username": self.usernames[role],
                                                       "password": PASSWORD})
                assert response.status_code == 302, f"{role} could not log in"
            client.fetch_csrf("/" if role != ANONYMOUS else "/login")
        cookie = client.get_cookie(SESSION_COOKIE).value
        self.sessions[role] = (cookie, client.csrf_token, time.monotonic())
        return cookie, client.csrf_token


@contextmanager
def rolled_back(bank):
    """Run the block in a savepoint of the module's transaction, rolled back afterwards."""
    db.session.remove()
    savepoint = bank.connection.begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        savepoint.rollback()


@contextmanager
def module_bank(app):
    """Build the bank in a transaction of its own (rolled back at the end) and yield it."""
    app.test_client_class = PortalClient
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint",
             "class_": BoundSession})
        try:
            bank = Bank(app, connection)
            build_bank(bank)
            yield bank
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


def build_bank(bank):
    """Fill ``bank.ids``: two branches with an outlet each, staff, customers and their records.

    The acting staff member of each role: ``admin``, ``supervisor_a`` (branch A),
    ``trainer_a`` and ``maint_a`` (outlet A1). Records come in threes: ``*_a`` (maint_a's,
    outlet A1), ``*_a2`` (maint_a2's, branch A) and ``*_b`` (maint_b's, branch B).
    """
    head = make_branch(BranchKind.HEAD_OFFICE, None, "Head office")
    branch_a = make_branch(BranchKind.BRANCH, head, "Branch A")
    branch_b = make_branch(BranchKind.BRANCH, head, "Branch B")
    outlet_a = make_branch(BranchKind.OUTLET, branch_a, "Outlet A1")
    outlet_b = make_branch(BranchKind.OUTLET, branch_b, "Outlet B1")
    staff = {
        "admin": make_staff(Role.ADMIN, head),
        "supervisor_a": make_staff(Role.SUPERVISOR, branch_a),
        "supervisor_b": make_staff(Role.SUPERVISOR, branch_b),
        "trainer_a": make_staff(Role.TRAINER, branch_a),
        "maint_a": make_staff(Role.MAINTAINER, outlet_a),
        "maint_a2": make_staff(Role.MAINTAINER, branch_a),
        "maint_b": make_staff(Role.MAINTAINER, outlet_b),
    }
    ids = bank.ids
    ids.update({"head": head.id, "branch_a": branch_a.id, "branch_b": branch_b.id,
                "outlet_a": outlet_a.id, "outlet_b": outlet_b.id})
    ids.update({key: member.id for key, member in staff.items()})
    bank.usernames.update({Role.ADMIN: staff["admin"].username,
                           Role.SUPERVISOR: staff["supervisor_a"].username,
                           Role.TRAINER: staff["trainer_a"].username,
                           Role.MAINTAINER: staff["maint_a"].username})
    today = clock.today()
    for suffix in ("a", "a2", "b"):
        maintainer = staff[f"maint_{suffix}"]
        customer = make_customer(maintainer=maintainer)
        ids[f"customer_{suffix}"] = customer.id
        ids[f"task_{suffix}"] = add_task(customer, today, status=TaskStatus.OPEN).id
        ids[f"request_{suffix}"] = open_request(maintainer, customer, now=clock.utcnow()).id
    ids["service"] = add_service().id
    calendar_day = CalendarDay(day=date(2031, 10, 10), kind=DayKind.HOLIDAY, name="Local day")
    db.session.add(calendar_day)
    db.session.flush()
    ids["calendar_day"] = calendar_day.id
    for key in ("admin", "supervisor_a", "trainer_a", "maint_a", "maint_b"):
        notification = Notification(staff_id=staff[key].id, kind="test", params={},
                                    link="/notifications/")
        db.session.add(notification)
        db.session.flush()
        ids[f"notification_{key}"] = notification.id
    _add_training(ids, staff, branch_a, branch_b, today)
    for key in ("supervisor_a", "supervisor_b"):
        run = ImportRun(staff_id=staff[key].id, branch_id=staff[key].branch_id,
                        file_name="customers.csv", stored_name="none.csv", kind="customers",
                        status=ImportStatus.DONE, errors=[])
        db.session.add(run)
        db.session.flush()
        ids[f"import_{key}"] = run.id
    db.session.commit()


def _add_training(ids, staff, branch_a, branch_b, today):
    """Add a course, a session today in each branch and a certificate of maint_a and maint_b."""
    from ..training_book import add_certification, add_course, add_session

    course = add_course()
    ids["course"] = course.id
    ids["session_a"] = add_session(course, branch_a, today).id
    ids["session_b"] = add_session(course, branch_b, today).id
    for key in ("a", "b"):
        expires_on = today + timedelta(days=30)
        ids[f"certification_{key}"] = add_certification(staff[f"maint_{key}"], expires_on).id


def digest(include_refusals=False):
    """Return a digest of every table (audit refusals left out): equal digests, same data."""
    sha = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        query = select(table)
        if table.name == AuditEvent.__tablename__ and not include_refusals:
            query = query.where(table.c.action.not_in(REFUSAL_ACTIONS))
        for row in db.session.execute(query.order_by(*table.primary_key.columns)):
            sha.update(repr(tuple(row)).encode())
    return sha.hexdigest()


def refusal_count():
    """Return how many refusals the audit trail holds."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action.in_(REFUSAL_ACTIONS)))
