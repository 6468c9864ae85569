"""Health answers for load balancers and monitors: is the process up, can it serve pages.

``/livez`` says only that the process answers. ``/healthz`` says whether pages can work:
the schema is at the migrations' head and a real table answers within a short timeout.
Reasons are fixed phrases; no error text, revision or table name leaves the process.
"""
import os
from functools import lru_cache

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

HEALTH_TIMEOUT_MS = 2000
UNREACHABLE = "database unreachable or too slow"
NOT_MIGRATED = "database schema is not at the current version"


@lru_cache(maxsize=None)
def migration_heads(directory):
    """Return the head revision ids of the migrations in ``directory``."""
    config = AlembicConfig()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _short_timeout(session, dialect):
    if dialect == "postgresql":
        session.execute(text(f"SET LOCAL statement_timeout = {HEALTH_TIMEOUT_MS}"))
    elif dialect == "sqlite":
        session.execute(text(f"PRAGMA busy_timeout = {HEALTH_TIMEOUT_MS}"))


def _restore_timeout(session, dialect):
    if dialect == "sqlite":
        restored = int(current_app.config["SQLITE_BUSY_TIMEOUT_MS"])
        session.execute(text(f"PRAGMA busy_timeout = {restored}"))


def _probe(session, dialect):
    """Return the database's revisions (None: never migrated).

    Raises SQLAlchemyError when the database, or a real table, does not answer in time.
    """
    _short_timeout(session, dialect)
    try:
        if not inspect(session.connection()).has_table("alembic_version"):
            return None
        revisions = {row[0] for row in session.execute(
            text("SELECT version_num FROM alembic_version"))}
        session.execute(text("SELECT id FROM staff LIMIT 1"))
        return revisions
    finally:
        _restore_timeout(session, dialect)


def check_health():
    """Return ``(healthy, reason)``: schema at the migrations' head and a table answering."""
    session = db.session
    dialect = db.engine.dialect.name
    try:
        revisions = _probe(session, dialect)
    except SQLAlchemyError:
        session.rollback()
        return False, UNREACHABLE
    finally:
        session.rollback()
    directory = current_app.extensions["migrate"].directory
    if revisions != migration_heads(os.path.abspath(directory)):
        return False, NOT_MIGRATED
    return True, None
