"""Contacts with a customer: logging one, and the customer's contact history and tasks.

Customers are loaded through ``app.access`` (another's customer is not found); a logged
contact moves the customer's last-contact date and is audited in the same transaction.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...clock import utcnow
from ...errors import NotAllowed
from ...extensions import db
from ...models import Channel, Contact, Customer, Outcome, Task, TaskStatus
from ..engine import SUMMARY_MAX, move_last_contact
from ..notes import rule_templates
from .queue import _checked_choice, _checked_text, planned_on, queue_row

CONTACT_HISTORY_LIMIT = 20
RECENT_DONE_DAYS = 30
RECENT_DONE_LIMIT = 10


def may_log_contacts(actor):
    """Tell whether ``actor``'s role logs contacts (maintainers and supervisors)."""
    return actor.has_role(*access.CONTACT_ROLES)


def log_contact(actor, customer_id, channel, outcome, summary, today):
    """Log an ad-hoc contact with a customer in scope and move their last-contact date.

    Maintainers log contacts with their own customers, supervisors with any customer of
    their branches (another customer is not found). Returns the new Contact.
    """
    if not may_log_contacts(actor):
        raise NotAllowed()
    customer = access.get_customer(actor, customer_id)
    channel = _checked_choice(channel, Channel.ALL, _l("Choose how you contacted the customer."),
                              "channel")
    outcome = _checked_choice(outcome, Outcome.ALL, _l("Choose how the contact went."),
                              "outcome")
    summary = _checked_text(summary, SUMMARY_MAX, "summary", required=True)
    contact = Contact(customer_id=customer.id, staff_id=actor.id, channel=channel,
                      contacted_at=utcnow(), outcome=outcome, summary=summary,
                      products_discussed=[])
    db.session.add(contact)
    db.session.flush()
    move_last_contact(customer.id, today)
    audit.record(actor, "contact.logged", customer, contact_id=contact.id, channel=channel,
                 outcome=outcome)
    db.session.commit()
    return contact


@dataclass
class CustomerActivity:
    """A customer's recent contacts, pending tasks and recently completed tasks."""

    customer: Customer
    contacts: list
    pending: list
    recent: list
    can_log: bool


def customer_activity(actor, customer, today):
    """Return the contact history and tasks of ``customer`` (already loaded through access).

    Contacts come newest first (the last 20); pending tasks by planned day; completed or
    cancelled tasks of the last 30 days, newest first.
    """
    if not access.can_see_customers(actor):
        raise NotAllowed()
    contacts = list(db.session.scalars(
        select(Contact).where(Contact.customer_id == customer.id)
        .options(joinedload(Contact.staff))
        .order_by(Contact.contacted_at.desc(), Contact.id.desc())
        .limit(CONTACT_HISTORY_LIMIT)))
    templates = rule_templates()
    pending = db.session.scalars(
        select(Task).where(Task.customer_id == customer.id, Task.status.in_(TaskStatus.PENDING))
        .options(joinedload(Task.maintainer))
        .order_by(planned_on(), Task.due_on, Task.id))
    since = utcnow() - timedelta(days=RECENT_DONE_DAYS)
    recent = db.session.scalars(
        select(Task).where(Task.customer_id == customer.id, Task.status == TaskStatus.DONE,
                           Task.completed_at >= since)
        .options(joinedload(Task.maintainer))
        .order_by(Task.completed_at.desc(), Task.id.desc()).limit(RECENT_DONE_LIMIT))
    return CustomerActivity(
        customer=customer, contacts=contacts,
        pending=[queue_row(t, today, templates) for t in pending],
        recent=[queue_row(t, today, templates, t.priority) for t in recent],
        can_log=may_log_contacts(actor))


def activity_for(actor, customer_id, today):
    """Return the activity of the customer ``customer_id`` if ``actor`` may see it (else 404)."""
    if not access.can_see_customers(actor):
        raise NotAllowed()
    return customer_activity(actor, access.get_customer(actor, customer_id), today)
