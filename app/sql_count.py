"""Count the SQL statements a request runs: for the page benchmark and the statement tests.

``count_statements()`` counts every statement any engine runs while it is open. With
``PORTAL_BENCH_SQL_COUNT`` set (only ``scripts/bench pages`` sets it), every response carries
its request's count in an ``X-SQL-Count`` header; without it nothing is registered.
"""
import os
from contextlib import contextmanager

from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

HEADER = "X-SQL-Count"
ENV_VARIABLE = "PORTAL_BENCH_SQL_COUNT"
# Savepoints are the tests' transaction housekeeping (a request runs none of its own).
HOUSEKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class StatementCounter:
    """How many statements ran, with their text and parameters (to explain or to show)."""

    def __init__(self):
        self.statements = []

    @property
    def count(self):
        """Return the number of statements counted."""
        return len(self.statements)

    def _before_cursor_execute(self, conn, cursor, statement, parameters, *args):
        if not statement.startswith(HOUSEKEEPING):
            self.statements.append((statement, parameters))


@contextmanager
def count_statements():
    """Yield a StatementCounter that counts every statement run until the block ends."""
    counter = StatementCounter()
    event.listen(Engine, "before_cursor_execute", counter._before_cursor_execute)
    try:
        yield counter
    finally:
        event.remove(Engine, "before_cursor_execute", counter._before_cursor_execute)


def _count_in_request(conn, cursor, statement, *args):
    if has_app_context():
        g._sql_count = g.get("_sql_count", 0) + 1


def register_sql_count(app):
    """Report each request's statement count in a header, only when the bench asks for it."""
    if not os.environ.get(ENV_VARIABLE):
        return
    event.listen(Engine, "before_cursor_execute", _count_in_request)

    @app.after_request
    def add_sql_count(response):
        response.headers[HEADER] = str(g.get("_sql_count", 0))
        return response
