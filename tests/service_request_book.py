"""Builders shared by the service-request tests: customers of ``world``, requests at a set time."""
from datetime import datetime, timedelta

from app.extensions import db
from app.models import Role, ValueAddedService
from app.service_requests import services
from app.service_requests.services import workflow
from app.service_requests.services import OpenInput

from .helpers import reload

# A fixed instant (UTC) for the tests that freeze the clock: 1 June 2026, 10:00 in Shanghai.
NOW = datetime(2026, 6, 1, 2, 0)


def minutes(n):
    """Return a timedelta of ``n`` minutes."""
    return timedelta(minutes=n)


def hours(n):
    """Return a timedelta of ``n`` hours."""
    return timedelta(hours=n)


def open_request(actor, customer, now=NOW, kind="complaint", priority="urgent",
                 channel="phone", subject="Card fee charged twice", description="Please refund.",
                 **extra):
    """Open a request through the service (commits) and return it."""
    data = OpenInput(kind=kind, channel=channel, priority=priority, subject=subject,
                     description=description, **extra)
    return services.open_request(actor, customer.id, data, now)


def add_service(tier="gold", code="LOUNGE", name="Airport lounge", yearly_allowance=2,
                active=True):
    """Add a value-added service and commit it."""
    service = ValueAddedService(tier=tier, code=code, name=name,
                                yearly_allowance=yearly_allowance, active=active)
    db.session.add(service)
    db.session.commit()
    return service


def move(actor, request, *statuses, now=NOW, today=None, comment="Handled as agreed"):
    """Move ``request`` through ``statuses`` in turn (each at its current version)."""
    for status in statuses:
        request = reload(request)
        request = workflow.change_status(actor, request.id, request.version, status,
                                         comment, now, today or NOW.date())
    return reload(request)


def supervisor_of(world, branch_key):
    """Return the supervisor of ``world`` at that branch ('branch_a' or 'branch_b')."""
    return world["supervisor_a" if branch_key == "branch_a" else "supervisor_b"]


MANAGERS = (Role.SUPERVISOR, Role.ADMIN)
