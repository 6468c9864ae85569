"""Task priority: rule base + tier weight (stored), plus days overdue (computed in queries).

``Task.priority`` holds the follow-up rule's base priority plus the customer's tier weight,
fixed when the task is raised. How urgent a task is *today* also grows by one point for
every day it is overdue, so neglected tasks climb the queue; that part changes daily and is
never stored. Use ``effective_priority(today)`` wherever tasks are ordered::

    select(Task).order_by(effective_priority(today).desc(), Task.id)
"""
from sqlalchemy import case

from ..models import Task, Tier
from ..sql import date_value, days_between

TIER_WEIGHTS = {
    Tier.MASS: 0,
    Tier.GOLD: 10,
    Tier.PLATINUM: 20,
    Tier.DIAMOND: 30,
    Tier.PRIVATE: 40,
}


def tier_weight(tier_column):
    """Return a SQL expression giving the weight of the tier in ``tier_column`` (unknown: 0)."""
    return case(TIER_WEIGHTS, value=tier_column, else_=0)


def days_overdue(today, due_column=None):
    """Return a SQL expression: days from the task's due date to ``today``, 0 if not overdue."""
    due_on = Task.due_on if due_column is None else due_column
    return case((due_on < date_value(today), days_between(date_value(today), due_on)), else_=0)


def effective_priority(today, priority_column=None, due_column=None):
    """Return a SQL expression: a task's priority on ``today`` (stored priority + days overdue).

    By default it reads ``Task.priority`` and ``Task.due_on``; pass the columns of an aliased
    or derived table to use it there. Higher means more urgent; order by it descending, and
    ``.label(...)`` it to select it.
    """
    priority = Task.priority if priority_column is None else priority_column
    return priority + days_overdue(today, due_column)
