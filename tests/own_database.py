"""An app on a database of its own: real commits and real concurrent connections.

For the tests that race two processes (schedulers, SLA checks), which cannot run inside the
rolled-back transaction of the ``db`` fixture. On PostgreSQL it is a throw-away schema of
the test database; on SQLite a file of its own.
"""
import os
import threading
import uuid
from contextlib import contextmanager

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.config import TestingConfig
from app.extensions import db

POSTGRES_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


@contextmanager
def app_on_own_database(tmp_path, seed, prefix, revision="head", **settings):
    """Yield an app migrated to ``revision`` (None: empty), its database filled by ``seed()``.

    ``settings`` override configuration values (e.g. ``SQLITE_BUSY_TIMEOUT_MS=60000``).
    """
    schema = None
    if POSTGRES_URL:
        schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))

        class OwnConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = POSTGRES_URL
            SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        class OwnConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / (prefix + '.db')}"

    for name, value in settings.items():
        setattr(OwnConfig, name, value)
    app = create_app(OwnConfig)
    with app.app_context():
        if revision is not None:
            upgrade(revision=revision)
        seed()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def run_together(app, count, work):
    """Run ``work()`` in ``count`` threads released at once, each in its own app context.

    Returns ``(results, errors)``: what the calls returned and what they raised.
    """
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                results.append(work())
            except Exception as error:  # handed to the caller to assert on
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
