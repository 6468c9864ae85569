"""Shared fixtures: a migrated database, a rolled-back transaction per test, builders, logins."""
import os
from datetime import date

import pytest
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession

from app import create_app
from app.config import TestingConfig
from app.extensions import db as _db
from app.models import BranchKind, Holding, Product, Role
from app.sql_count import count_statements

from . import builders
from .helpers import PASSWORD, PortalClient

POSTGRES_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


class BoundSession(FlaskSession):
    """Flask-SQLAlchemy's session, but honouring an explicit ``bind`` (the test connection).

    Flask-SQLAlchemy 3.1 picks the engine even when the session is bound to a connection
    (pallets-eco/flask-sqlalchemy#1167), which would let commits escape the test transaction.
    """

    def get_bind(self, *args, **kwargs):
        """Return the test connection the session is bound to."""
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


def _reset_database(app):
    with app.app_context():
        with _db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        upgrade()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The portal, configured for tests, on a freshly migrated database."""
    if not POSTGRES_URL:
        path = tmp_path_factory.mktemp("db") / "portal.db"
        TestingConfig.SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
    app = create_app(TestingConfig)
    _reset_database(app)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, with each test inside a transaction rolled back at the end."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint",
             "class_": BoundSession})
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db):
    """A test client for the portal."""
    app.test_client_class = PortalClient
    return app.test_client()


@pytest.fixture
def runner(app, db):
    """A CLI runner for the portal's commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_branch(db):
    """Build a branch; ``parent`` puts it in the tree."""
    return builders.make_branch


@pytest.fixture
def make_staff(db):
    """Build a staff member with the test password."""
    return builders.make_staff


@pytest.fixture
def make_customer(db):
    """Build a customer with valid personal data in ``branch``, looked after by ``maintainer``."""
    return builders.make_customer


@pytest.fixture
def make_product(db):
    """Build a product."""
    def make(**fields):
        n = builders.next_number()
        product = Product(code=fields.pop("code", f"P{n:04d}"), name=fields.pop("name", f"产品{n}"),
                          category=fields.pop("category", "wealth"),
                          risk_level=fields.pop("risk_level", "R2"),
                          on_sale_from=fields.pop("on_sale_from", date(2020, 1, 1)), **fields)
        db.session.add(product)
        db.session.flush()
        return product
    return make


@pytest.fixture
def make_holding(db, make_product):
    """Build a holding of ``customer``; the customer's AUM is left as it is."""
    def make(customer, product=None, amount_fen=10_000_00, **fields):
        n = builders.next_number()
        holding = Holding(reference=fields.pop("reference", f"H{n:08d}"), customer=customer,
                          product=product or make_product(), amount_fen=amount_fen,
                          opened_on=fields.pop("opened_on", date(2025, 1, 1)), **fields)
        db.session.add(holding)
        db.session.flush()
        return holding
    return make


@pytest.fixture
def world(db, make_branch, make_staff):
    """A small bank: head office, two branches with an outlet each, staff in every role.

    Committed (to the test's savepoint), so a refusal's rollback in a service keeps it.

    Keys: head, branch_a, outlet_a, branch_b, outlet_b, admin, supervisor_a, supervisor_b,
    trainer_a, maint_a (outlet_a), maint_a2 (branch_a), maint_b (outlet_b).
    """
    head = make_branch(BranchKind.HEAD_OFFICE, name="Head office")
    branch_a = make_branch(parent=head, name="Branch A")
    branch_b = make_branch(parent=head, name="Branch B")
    outlet_a = make_branch(BranchKind.OUTLET, parent=branch_a, name="Outlet A1")
    outlet_b = make_branch(BranchKind.OUTLET, parent=branch_b, name="Outlet B1")
    world = {
        "head": head, "branch_a": branch_a, "branch_b": branch_b,
        "outlet_a": outlet_a, "outlet_b": outlet_b,
        "admin": make_staff(Role.ADMIN, head),
        "supervisor_a": make_staff(Role.SUPERVISOR, branch_a),
        "supervisor_b": make_staff(Role.SUPERVISOR, branch_b),
        "trainer_a": make_staff(Role.TRAINER, branch_a),
        "maint_a": make_staff(Role.MAINTAINER, outlet_a),
        "maint_a2": make_staff(Role.MAINTAINER, branch_a),
        "maint_b": make_staff(Role.MAINTAINER, outlet_b),
    }
    db.session.commit()
    return world


@pytest.fixture
def request_context(app, db):
    """A request's context around a service test: notes and domain errors are translated."""
    with app.test_request_context():
        yield


@pytest.fixture
def get_counting(client):
    """GET a page and return ``(response, StatementCounter)`` for that one request."""
    def get(url, **kwargs):
        with count_statements() as counter:
            response = client.get(url, **kwargs)
        return response, counter
    return get


@pytest.fixture
def login_as(client):
    """Log ``client`` in as a staff member (or the first of ``world`` with that role)."""
    def login(staff):
        client.csrf_token = None
        response = client.post_form("/login", {"username": staff.username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        client.fetch_csrf("/")
        return client
    return login
