"""SQLite connection settings: WAL, a busy timeout, enforced foreign keys, real savepoints.

Write transactions start with ``BEGIN IMMEDIATE``: they take the write lock at once, and
wait their turn for it (``busy_timeout``), instead of reading first and failing with
"database is locked" when another writer got there in between. A request that only reads
(GET, HEAD, OPTIONS) starts a plain deferred ``BEGIN``, so a long read never holds up
writers; in WAL mode readers and the one writer do not block each other.
"""
from flask import g, has_request_context, request
from sqlalchemy import event

from .extensions import db

BUSY_TIMEOUT_MS = 10000
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _on_connect(dbapi_connection, _record):
    # Let SQLAlchemy, not the sqlite3 module, issue BEGIN, so SAVEPOINT works as documented.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def wants_write_lock():
    """Tell whether a transaction starting now should take the write lock at BEGIN.

    Yes outside requests (commands, the scheduler) and for requests that change state;
    no for a reading request, unless it announced a write with ``expect_write``.
    """
    if not has_request_context():
        return True
    return request.method not in READING_METHODS or g.get("expects_write", False)


def expect_write():
    """Announce that this reading request is about to write (e.g. an audit event).

    The read transaction so far is ended (a reading request has nothing pending), so the
    next one begins by taking the write lock rather than failing to upgrade later.
    """
    if has_request_context() and not g.get("expects_write", False):
        g.expects_write = True
        session = db.session
        if not (session.new or session.dirty or session.deleted):
            session.rollback()


def _on_begin(connection):
    connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write_lock() else "BEGIN")


def register_pragmas(app):
    """Configure every SQLite connection of ``app``'s engine."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
