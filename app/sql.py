"""Date and JSON expressions that compile to the right SQL on SQLite and PostgreSQL.

Dates are ``DATE`` on PostgreSQL and ISO text on SQLite; these constructs hide the
difference so the set-based statements of every domain stay the same on both databases.
"""
from sqlalchemy import Date, Integer, String, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import JSON


def date_value(day):
    """Return ``day`` as a typed bind parameter (psycopg renders it as ``%(p)s::DATE``)."""
    return literal(day, Date)


def text_value(text):
    """Return ``text`` as a typed bind parameter, valid in any position (json keys, CASE)."""
    return literal(text, String)


class add_days(FunctionElement):  # noqa: N801 (reads as a SQL function)
    """``add_days(day, n)``: the date ``n`` days after ``day`` (``n`` may be an expression)."""

    type = Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return (f"date({compiler.process(day, **kw)}, "
            f"CAST({compiler.process(days, **kw)} AS TEXT) || ' days')")


@compiles(add_days, "postgresql")
def _add_days_postgresql(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + CAST({compiler.process(days, **kw)} AS INTEGER))"


class days_between(FunctionElement):  # noqa: N801
    """``days_between(later, earlier)``: whole days from ``earlier`` to ``later``."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)")


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


class seconds_between(FunctionElement):  # noqa: N801 (reads as a SQL function)
    """``seconds_between(later, earlier)``: whole seconds from ``earlier`` to ``later``."""

    type = Integer()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(ROUND((julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)})) * 86400) AS INTEGER)")


@compiles(seconds_between, "postgresql")
def _seconds_between_postgresql(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (f"CAST(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - "
            f"{compiler.process(earlier, **kw)})) AS BIGINT)")


class one_year_after(FunctionElement):  # noqa: N801
    """``one_year_after(day)``: the same date a year later; 29 February gives 1 March.

    This is when a risk assessment made on ``day`` expires, as in
    ``Customer.risk_assessment_valid_on``.
    """

    type = Date()
    inherit_cache = True
    name = "one_year_after"


@compiles(one_year_after, "sqlite")
def _one_year_after_sqlite(element, compiler, **kw):
    (day,) = list(element.clauses)
    # SQLite normalises 2025-02-29 to 2025-03-01 by itself.
    return f"date({compiler.process(day, **kw)}, '+1 years')"


@compiles(one_year_after, "postgresql")
def _one_year_after_postgresql(element, compiler, **kw):
    (day,) = list(element.clauses)
    text = compiler.process(day, **kw)
    return (f"(CAST({text} + INTERVAL '1 year' AS DATE) + CASE WHEN EXTRACT(MONTH FROM {text}) = 2 "
            f"AND EXTRACT(DAY FROM {text}) = 29 THEN 1 ELSE 0 END)")


class json_object(FunctionElement):  # noqa: N801
    """``json_object(key, value, ...)``: a JSON object built in SQL from key/value pairs."""

    type = JSON()
    inherit_cache = True
    name = "json_object"


def json_params(**values):
    """Return a ``json_object`` of ``values`` (keys are constants, values SQL expressions)."""
    args = []
    for key, value in values.items():
        args.extend((text_value(key), value))
    return json_object(*args)


@compiles(json_object, "sqlite")
def _json_object_sqlite(element, compiler, **kw):
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object, "postgresql")
def _json_object_postgresql(element, compiler, **kw):
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


def analyze(session, *tables):
    """Refresh PostgreSQL's statistics of ``tables`` after bulk set work (nothing on SQLite).

    Right after a bulk insert the planner still believes the tables are as small as before
    and picks nested loops over hundreds of thousands of rows; temporary tables are never
    analysed by autovacuum at all. SQLite plans from its indexes and needs nothing.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        for table in tables:
            connection.exec_driver_sql(f"ANALYZE {table}")
