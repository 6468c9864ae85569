"""SQLite connection settings: WAL, a busy timeout, enforced foreign keys, real savepoints."""
from sqlalchemy import event

from .extensions import db


def _on_connect(dbapi_connection, _record):
    # Let SQLAlchemy, not the sqlite3 module, issue BEGIN, so SAVEPOINT works as documented.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(connection):
    connection.exec_driver_sql("BEGIN")


def register_pragmas(app):
    """Configure every SQLite connection of ``app``'s engine."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _on_connect)
            event.listen(engine, "begin", _on_begin)
