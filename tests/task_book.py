"""Builders shared by the task tests: tasks on the ``world`` fixture's customers."""
import itertools
from datetime import timedelta

from app.extensions import db
from app.models import Task, TaskStatus

_refs = itertools.count(1)


def add_task(customer, due_on, *, kind="birthday", scheduled_on=None, status=TaskStatus.OPEN,
             priority=50, maintainer=None, **fields):
    """Add a task for ``customer`` (to their maintainer unless given) and commit it.

    Commits end a savepoint only (the test's transaction is rolled back at the end), so a
    service that rolls back after a refusal keeps the test's data.
    """
    task = Task(kind=kind, customer_id=customer.id,
                maintainer_id=(maintainer or customer.maintainer).id,
                source_ref=fields.pop("source_ref", f"test:{next(_refs)}"), due_on=due_on,
                scheduled_on=scheduled_on or due_on, priority=priority, status=status,
                note_params=fields.pop("note_params", {"date": due_on.isoformat()}), **fields)
    db.session.add(task)
    db.session.commit()
    return task


def days(n):
    """Return a timedelta of ``n`` days."""
    return timedelta(days=n)


def add_book(maintainer, make_customer, count, today):
    """Give ``maintainer`` ``count`` customers with tasks and a request each; return them.

    Each customer has a task due today, one overdue and one tomorrow, and one service
    request; everything is committed (a book the page tests can grow).
    """
    from app import clock

    from .service_request_book import open_request

    customers = []
    for _ in range(count):
        customer = make_customer(maintainer=maintainer)
        add_task(customer, today)
        add_task(customer, today - days(3))
        add_task(customer, today + days(1))
        open_request(maintainer, customer, now=clock.utcnow())
        customers.append(customer)
    db.session.commit()
    return customers
