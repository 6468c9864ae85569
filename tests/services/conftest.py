"""Fixtures for the service tests: follow-up rule settings and a look at the tasks raised."""
import pytest
from sqlalchemy import select

from app.models import FollowupRule, Task


@pytest.fixture
def set_rule(db):
    """Change a follow-up rule's settings for this test only (rolled back afterwards)."""
    def change(kind, **fields):
        rule = db.session.get(FollowupRule, kind)
        for name, value in fields.items():
            setattr(rule, name, value)
        db.session.flush()
        return rule
    return change


@pytest.fixture
def tasks_of(db):
    """Return the tasks of a customer (optionally of one kind), oldest id first."""
    def tasks(customer, kind=None):
        query = select(Task).where(Task.customer_id == customer.id).order_by(Task.id)
        if kind:
            query = query.where(Task.kind == kind)
        db.session.expire_all()
        return list(db.session.scalars(query))
    return tasks
