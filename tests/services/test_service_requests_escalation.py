"""The SLA job: breach flags, escalation to the right people exactly once, notifications."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.jobs.sla import run_sla_escalation
from app.models import (AuditEvent, Branch, BranchKind, Customer, Notification, Role,
                        ServiceRequest, ServiceRequestEvent, Staff)
from app.service_requests.services.escalation import escalate_service_requests

from ..helpers import reload
from ..own_database import app_on_own_database, run_together
from ..service_request_book import NOW, hours, minutes, move, open_request


@pytest.fixture
def customer(world, make_customer, db):
    """A mass customer of maint_a at outlet A1 (complaint/urgent: 30 min and 8 h)."""
    customer = make_customer(maintainer=world["maint_a"])
    db.session.commit()
    return customer


def notes():
    return [(n.staff_id, n.params["level"], n.params["reason"]) for n in _db.session.scalars(
        select(Notification).where(Notification.kind == "sr_escalated").order_by(Notification.id))]


def events(request, kind):
    return list(_db.session.scalars(select(ServiceRequestEvent).where(
        ServiceRequestEvent.request_id == request.id, ServiceRequestEvent.kind == kind)
        .order_by(ServiceRequestEvent.id)))


def count(action):
    return _db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action))


def run(now):
    result = escalate_service_requests(now)
    _db.session.commit()
    return result


def test_nothing_happens_before_a_deadline(world, customer):
    request = open_request(world["maint_a"], customer)
    result = run(NOW + minutes(29))
    assert result.as_dict() == {"response_breached": 0, "resolution_breached": 0,
                                "escalated_level_1": 0, "escalated_level_2": 0,
                                "notifications": 0}
    request = reload(request)
    assert (request.response_breached, request.escalation_level) == (False, 0)


def test_unanswered_request_is_flagged_and_escalated_once_to_the_branch_supervisor(
        world, customer):
    request = open_request(world["maint_a"], customer)
    first = run(NOW + minutes(30))
    assert first.response_breached == 1 and first.escalated[1] == 1 and first.notifications == 1
    request = reload(request)
    assert request.response_breached and not request.resolution_breached
    assert request.escalation_level == 1 and request.version == 1
    assert notes() == [(world["supervisor_a"].id, 1, "response")]
    [escalated] = events(request, "escalated")
    assert escalated.detail["recipients"] == [world["supervisor_a"].display_name]
    assert escalated.actor_id is None
    assert len(events(request, "breached")) == 1
    again = run(NOW + minutes(45))
    assert again.as_dict()["escalated_level_1"] == 0 and again.notifications == 0
    assert len(notes()) == 1 and len(events(request, "escalated")) == 1
    assert count("service_request.escalated") == 1
    assert count("service_request.breached") == 1


def test_unresolved_request_goes_to_level_2_once(world, customer):
    request = open_request(world["maint_a"], customer)
    run(NOW + minutes(31))
    result = run(NOW + hours(8))
    assert result.resolution_breached == 1 and result.escalated[2] == 1
    # head office has no supervisor: its admin is level 2
    assert notes() == [(world["supervisor_a"].id, 1, "response"),
                       (world["admin"].id, 2, "resolution")]
    assert reload(request).escalation_level == 2
    run(NOW + hours(9))
    run(NOW + hours(30))
    assert len(notes()) == 2 and count("service_request.escalated") == 2


def test_resolution_breach_without_earlier_escalation_goes_through_both_levels(world, customer):
    request = move(world["maint_a"], open_request(world["maint_a"], customer), "in_progress",
                   now=NOW + minutes(5))
    result = run(NOW + hours(8) + minutes(1))
    assert (result.response_breached, result.resolution_breached) == (0, 1)
    assert result.escalated == {1: 1, 2: 1}
    assert notes() == [(world["supervisor_a"].id, 1, "resolution"),
                       (world["admin"].id, 2, "resolution")]
    assert reload(request).escalation_level == 2


def test_outlet_supervisor_is_level_1_and_branch_supervisor_level_2(
        world, make_customer, make_staff, db):
    outlet_manager = make_staff(Role.SUPERVISOR, world["outlet_b"])
    customer = make_customer(maintainer=world["maint_b"])
    db.session.commit()
    open_request(world["maint_b"], customer)
    run(NOW + hours(8))
    assert notes() == [(outlet_manager.id, 1, "resolution"),
                       (world["supervisor_b"].id, 2, "resolution")]


def test_inactive_supervisors_are_skipped_and_every_active_one_is_told(
        world, customer, make_staff, db):
    world["supervisor_a"].active = False
    deputy = make_staff(Role.SUPERVISOR, world["head"])
    second_admin = make_staff(Role.ADMIN, world["head"])
    db.session.commit()
    open_request(world["maint_a"], customer)
    run(NOW + hours(8))
    # level 1: the nearest supervised branch is now head office; level 2: nothing above → admins
    assert sorted(notes()) == sorted([(deputy.id, 1, "resolution"),
                                      (world["admin"].id, 2, "resolution"),
                                      (second_admin.id, 2, "resolution")])


def test_finished_and_cancelled_requests_are_not_escalated(world, customer):
    resolved = move(world["maint_a"], open_request(world["maint_a"], customer), "in_progress",
                    "resolved", now=NOW + minutes(5))
    cancelled = move(world["maint_a"], open_request(world["maint_a"], customer), "cancelled",
                     comment="Opened by mistake")
    result = run(NOW + hours(24))
    assert result.escalated == {1: 0, 2: 0}
    assert not reload(resolved).resolution_breached
    assert not reload(cancelled).response_breached
    assert notes() == []


def test_late_answer_is_flagged_even_after_resolution_but_not_escalated(world, customer, db):
    request = open_request(world["maint_a"], customer)
    db.session.execute(ServiceRequest.__table__.update().where(
        ServiceRequest.__table__.c.id == request.id).values(
        status="resolved", first_responded_at=NOW + minutes(40),
        resolved_at=NOW + hours(1)))
    db.session.commit()
    result = run(NOW + hours(2))
    assert result.response_breached == 1 and result.escalated == {1: 0, 2: 0}
    assert reload(request).response_breached


def test_escalation_notifications_link_to_the_request(world, customer):
    request = open_request(world["maint_a"], customer)
    run(NOW + hours(1))
    note = _db.session.scalar(select(Notification).where(Notification.kind == "sr_escalated"))
    assert note.link == f"/service-requests/{request.id}"
    assert note.params == {"request_id": request.id, "subject": request.subject, "level": 1,
                           "reason": "response"}


def test_run_sla_escalation_commits(world, customer):
    open_request(world["maint_a"], customer)
    result = run_sla_escalation(NOW + hours(1))
    _db.session.rollback()
    assert result.escalated[1] == 1 and len(notes()) == 1


# --- two scheduler processes at once ------------------------------------------------------------


@pytest.fixture
def own_app(tmp_path):
    """An app on a database of its own (real commits, real concurrent connections)."""
    with app_on_own_database(tmp_path, _seed_requests, "sla") as app:
        yield app


def _seed_requests():
    """A branch with a supervisor, an outlet with a maintainer and ten overdue requests."""
    branch = Branch(code="OWN", name="Own branch", kind=BranchKind.BRANCH)
    outlet = Branch(code="OWN-1", name="Own outlet", kind=BranchKind.OUTLET, parent=branch)
    boss = Staff(username="own-boss", display_name="Boss", role=Role.SUPERVISOR, branch=branch,
                 password_hash="-")
    maint = Staff(username="own-maint", display_name="Maint", role=Role.MAINTAINER,
                  branch=outlet, password_hash="-")
    _db.session.add_all([branch, outlet, boss, maint])
    _db.session.flush()
    for n in range(10):
        customer = Customer(
            customer_number=f"OWN{n:05d}", name=f"客户{n}", gender="F",
            birth_on=date(1980, 12, 1), birth_mmdd="12-01", id_number=f"OWN{n:015d}",
            mobile=f"1390000{n:04d}", mobile_last4=f"{n:04d}", branch=outlet, maintainer=maint,
            onboarded_on=date(2020, 1, 1))
        _db.session.add(customer)
        _db.session.flush()
        _db.session.add(ServiceRequest(
            customer_id=customer.id, branch_id=outlet.id, kind="complaint", channel="phone",
            priority="urgent", subject=f"Overdue {n}", description="-", status="new",
            opened_by_id=maint.id, opened_at=NOW, first_response_due_at=NOW + minutes(30),
            resolution_due_at=NOW + hours(8)))
    _db.session.commit()


def test_two_concurrent_runs_escalate_once(own_app):
    results, errors = run_together(
        own_app, 2, lambda: run_sla_escalation(NOW + hours(9)).as_dict())
    assert errors == []
    assert sorted(r["escalated_level_1"] for r in results) == [0, 10]
    with own_app.app_context():
        # level 1 to the branch's supervisor; level 2 to nobody (no branch above, no admin)
        assert _db.session.scalar(select(func.count()).select_from(Notification)) == 10
        assert _db.session.scalar(select(func.count()).select_from(ServiceRequestEvent).where(
            ServiceRequestEvent.kind == "escalated")) == 20
        assert set(_db.session.scalars(select(ServiceRequest.escalation_level))) == {2}
