"""Demo service requests: every state, call-backs for the resolved ones, escalations notified."""
from datetime import date

from flask import render_template
from flask_login import login_user
from sqlalchemy import func, select

from app.demo.services import seed_demo
from app.models import Notification, ServiceRequest, Staff, Task
from app.service_requests.services.demo import demo_instant, seed_service_requests
from app.service_requests.services.listing import recent_for_customer

from ..service_request_book import NOW

TODAY = date(2026, 11, 29)


def count(db, model, *conditions):
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_demo_requests_cover_every_state_and_are_seeded_once(db):
    result = seed_demo(customers=300, today=TODAY)  # seeds the requests too
    assert result.counts["service_requests"] == count(db, ServiceRequest) > 0
    statuses = set(db.session.scalars(select(ServiceRequest.status)))
    assert statuses == {"new", "in_progress", "resolved", "closed", "cancelled"}
    resolved = count(db, ServiceRequest, ServiceRequest.status == "resolved")
    assert count(db, Task, Task.kind == "service_callback") == resolved
    assert count(db, ServiceRequest, ServiceRequest.escalation_level > 0) > 0
    supervisors = select(Staff.id).where(Staff.role == "supervisor")
    assert count(db, Notification, Notification.staff_id.in_(supervisors)) > 0
    assert count(db, ServiceRequest, ServiceRequest.kind == "value_added") > 0
    assert seed_service_requests(TODAY) == 0


def test_nothing_to_seed_without_customers(db):
    assert seed_service_requests(TODAY) == 0


def test_customer_page_fragment_lists_recent_requests(app, db):
    seed_demo(customers=300, today=TODAY)
    seed_service_requests(TODAY)
    db.session.commit()
    request = db.session.scalar(select(ServiceRequest).order_by(ServiceRequest.id))
    maintainer = db.session.get(Staff, request.customer.maintainer_id)
    rows = recent_for_customer(maintainer, request.customer_id, NOW)
    assert request.id in [row.request.id for row in rows]
    outsider = db.session.scalar(select(Staff).where(Staff.role == "maintainer",
                                                     Staff.id != maintainer.id))
    assert recent_for_customer(outsider, request.customer_id, NOW) == []
    with app.test_request_context():
        login_user(maintainer)
        html = render_template("service_requests/_customer_requests.html",
                               customer=request.customer)
    assert f"/service-requests/{request.id}" in html
    assert f"/service-requests/new?customer_id={request.customer_id}" in html
    assert "Open a service request" in html


def test_demo_requests_never_happen_in_the_future(db):
    seed_demo(customers=300, today=TODAY)
    seed_service_requests(TODAY)
    db.session.commit()
    rows = db.session.scalars(select(ServiceRequest))
    for request in rows:
        stamps = [request.opened_at, request.first_responded_at, request.resolved_at,
                  request.closed_at]
        known = [s for s in stamps if s is not None]
        assert known == sorted(known) and known[-1] <= demo_instant(TODAY), request.id
        assert request.satisfaction is None or request.status == "closed"
