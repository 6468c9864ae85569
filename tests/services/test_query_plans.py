"""The page queries read their indexes: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL.

Each test runs a service, captures its statements and asks the database how it would run
them. On PostgreSQL sequential scans are switched off for the test's transaction, so a tiny
test table still shows which index a query *can* use (a condition the index cannot serve,
such as a CASE expression, stays a filter whatever the planner's costs).
"""
import pytest

from app import clock
from app.customers.services import list_customers
from app.service_requests.services.listing import recent_for_customer
from app.sql_count import count_statements
from app.tasks.services import count_actionable, task_queue
from app.tasks.services.team import team_overview

from ..task_book import add_book


def explain(db, statement, parameters):
    """Return the plan of ``statement`` as text, one line per step."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        return "\n".join(row[0] for row in rows)
    rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return "\n".join(row[-1] for row in rows)


def plans(db, function, table):
    """Run ``function``; return the plans of its SELECTs that read ``table``."""
    with count_statements() as counter:
        function()
    return [explain(db, statement, parameters) for statement, parameters in counter.statements
            if statement.startswith("SELECT") and f"FROM {table}" in statement]


def index_condition_lines(plan):
    """Return the plan lines that say how an index is searched (SQLite or PostgreSQL)."""
    return [line for line in plan.splitlines()
            if "USING" in line and "INDEX" in line or "Index Cond" in line]


@pytest.fixture
def book(db, world, make_customer):
    """Customers of maint_a with tasks today, overdue and tomorrow, and one request each.

    On PostgreSQL the other maintainers get bigger books and the tables are analysed, so the
    planner weighs real statistics (not whatever earlier tests left) and the selective index
    is the cheap one, as it is at scale.
    """
    mine = add_book(world["maint_a"], make_customer, 3, clock.today())
    if db.session.connection().dialect.name == "postgresql":
        others = [world[key] for key in ("maint_a2", "maint_b")]
        for other in others:
            add_book(other, make_customer, 40, clock.today())
        connection = db.session.connection()
        # Their numbers start with D, so a "C0" search stays selective as it is at scale.
        connection.exec_driver_sql(
            "UPDATE customer SET customer_number = 'D' || substr(customer_number, 2) "
            f"WHERE maintainer_id IN ({', '.join(str(other.id) for other in others)})")
        connection.exec_driver_sql("ANALYZE task; ANALYZE customer")
    return mine


def test_queue_queries_search_the_planned_day_in_the_index(db, world, book):
    maint, today = world["maint_a"], clock.today()
    found = plans(db, lambda: (task_queue(maint, today), count_actionable(maint, today)),
                  "task")
    assert len(found) == 9  # due, overdue, five days, kind counts, the counter
    for plan in found:
        searches = [line for line in index_condition_lines(plan)
                    if "ix_task_maintainer_status_scheduled" in line or "Index Cond" in line]
        assert any("scheduled_on" in line for line in searches), plan


def test_team_figures_read_tasks_by_branch_without_the_customers(db, world, book):
    found = plans(db, lambda: team_overview(world["supervisor_a"], clock.today()), "task")
    assert len(found) == 2  # pending, done today
    for plan in found:
        assert "customer" not in plan, plan
    assert "ix_task_branch_status_maintainer" in found[0], found[0]
    assert "ix_task_status_completed_at" in found[1], found[1]


def test_number_search_pages_off_the_number_index_without_sorting(db, world, book):
    if db.session.connection().dialect.name == "postgresql":
        pytest.skip("on a test book of a few dozen rows PostgreSQL's planner may sort instead of "
                    "walking the number index; SQLite checks the plan here, and "
                    "scripts/bench pages measures the search at scale")
    found = plans(db, lambda: list_customers(world["supervisor_a"], q="C0"),
                  "customer")
    page = found[0]
    assert "customer_number" in "\n".join(index_condition_lines(page)), page
    assert "TEMP B-TREE" not in page and "Sort" not in page, page


def test_customer_request_panel_looks_up_one_customer_not_the_book(db, world, book):
    customer = book[0]
    found = plans(db, lambda: recent_for_customer(world["maint_a"], customer.id,
                                                  clock.utcnow()), "service_request")
    plan = found[0]
    assert "ix_customer_maintainer_id_id" not in plan, plan
    assert "PRIMARY KEY" in plan or "pk_customer" in plan, plan
