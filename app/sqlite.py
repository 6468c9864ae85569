"""SQLite connection settings: WAL, a busy timeout, enforced foreign keys, real savepoints.

Write transactions start with ``BEGIN IMMEDIATE``: they take the write lock at once, and
wait their turn for it (``busy_timeout``), instead of reading first and failing with
"database is locked" when another writer got there in between. A request that only reads
(GET, HEAD, OPTIONS) starts a plain deferred ``BEGIN``, so a long read never holds up
writers; in WAL mode readers and the one writer do not block each other.
"""
import time

from flask import g, has_request_context, request
from sqlalchemy import event

from .extensions import db

# Writers waiting for the lock retry at least every 100 ms (SQLite's busy handler), so a
# long job that leaves the lock free this long between its transactions lets them in.
WRITER_PAUSE_SECONDS = 0.1
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _connection_setup(busy_timeout_ms):
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, issue BEGIN, so SAVEPOINT works as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
    return on_connect


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


def let_waiting_writers_in(held_seconds=0.0):
    """Between the transactions of long work (import chunks), let waiting writers go first.

    ``held_seconds``: how long the work just held the write lock. The pause is at least
    100 ms and half that time, so long work keeps at most two thirds of the lock and the
    branch's own writes still get through. Only SQLite has one write lock for the whole
    database; PostgreSQL needs no pause.
    """
    if db.engine.dialect.name == "sqlite":
        time.sleep(max(WRITER_PAUSE_SECONDS, held_seconds / 2))


def _on_begin(connection):
    connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write_lock() else "BEGIN")


def register_pragmas(app):
    """Configure every SQLite connection of ``app``'s engine."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect",
                         _connection_setup(app.config["SQLITE_BUSY_TIMEOUT_MS"]))
            event.listen(engine, "begin", _on_begin)
