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
