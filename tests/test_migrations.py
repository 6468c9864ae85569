"""Migrations: a single head, upgrade and downgrade from empty, and agreement with the models."""
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import PROJECT_ROOT, create_app
from app.config import TestingConfig
from app.extensions import db as _db

MIGRATIONS = os.path.join(PROJECT_ROOT, "migrations")


def test_there_is_exactly_one_head():
    script = ScriptDirectory(MIGRATIONS)
    assert len(script.get_heads()) == 1, script.get_heads()


def test_models_and_migrations_agree(app):
    with app.app_context(), _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == []


@pytest.fixture
def empty_database_url(tmp_path):
    """A URL of an empty database of the same kind as the suite's."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base, suite_database = url.rsplit("/", 1)
    name = f"{suite_database}_migration_check"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{base}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_then_downgrade_and_upgrade_again(empty_database_url):
    class EmptyConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(EmptyConfig)
    with app.app_context():
        upgrade()
        tables = set(inspect(_db.engine).get_table_names())
        assert {"branch", "staff", "customer", "holding", "audit_event"} <= tables
        thresholds = _db.session.execute(text("SELECT COUNT(*) FROM tier_threshold")).scalar()
        _db.session.remove()  # end the read transaction before tables are dropped
        assert thresholds == 5
        downgrade(revision="base")
        assert set(inspect(_db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "customer" in inspect(_db.engine).get_table_names()
        _db.session.remove()
        _db.engine.dispose()


CLEAR_IDS = ["310101197503140117", "11010519491231002X", "440305198801015511"]


def _columns(table):
    return {column["name"] for column in inspect(_db.engine).get_columns(table)}


def test_id_numbers_are_encrypted_by_the_upgrade_and_decrypted_by_the_downgrade(
        empty_database_url):
    from app.encryption import keyring

    class EmptyConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(EmptyConfig)
    with app.app_context():
        upgrade(revision="0005")
        with _db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO branch (id, code, name, kind, active) "
                "VALUES (1, 'HO', 'Head office', 'head_office', :yes)"), {"yes": True})
            connection.execute(text(
                "INSERT INTO customer (id, customer_number, name, gender, birth_on, birth_mmdd,"
                " id_number, mobile, mobile_last4, branch_id, tier, aum_fen, onboarded_on,"
                " status, marketing_consent, updated_at) VALUES (:id, :number, 'X', 'M',"
                " '1975-03-14', '03-14', :id_number, '13900001234', '1234', 1, 'mass', 0,"
                " '2020-01-01', 'active', :no, '2020-01-01 00:00:00')"),
                [{"id": n + 1, "number": f"C{n}", "id_number": value, "no": False}
                 for n, value in enumerate(CLEAR_IDS)])
        upgrade()
        assert "id_number" not in _columns("customer")
        with _db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT id, id_number_enc, id_number_hash FROM customer ORDER BY id")).all()
        keys = keyring()
        assert [keys.decrypt(enc) for _id, enc, _hash in rows] == CLEAR_IDS
        assert [digest for _id, _enc, digest in rows] == [keys.digest(v) for v in CLEAR_IDS]
        assert not any(value in enc for value in CLEAR_IDS for _id, enc, _hash in rows)
        downgrade(revision="0005")
        assert {"id_number_enc", "id_number_hash"}.isdisjoint(_columns("customer"))
        with _db.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT id_number FROM customer ORDER BY id")).scalars().all() == CLEAR_IDS
        downgrade(revision="base")
        _db.session.remove()
        _db.engine.dispose()
