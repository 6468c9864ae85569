"""The CSV export of the request list and the SLA report page."""
import csv
import io

import pytest
from sqlalchemy import select, update

from app import clock
from app.extensions import db as _db
from app.models import AuditEvent, ServiceRequest

from ..service_request_book import hours, minutes, open_request


@pytest.fixture
def customers(world, make_customer, db):
    book = {"a": make_customer(maintainer=world["maint_a"], name="王芳", mobile="13912345678"),
            "b": make_customer(maintainer=world["maint_b"], name="张伟")}
    db.session.commit()
    return book


@pytest.fixture
def requests(world, customers):
    now = clock.utcnow()
    complaint = open_request(world["maint_a"], customers["a"], now=now, subject="Card fee")
    inquiry = open_request(world["maint_a"], customers["a"], now=now, kind="wealth_inquiry",
                           priority="low", subject="Fund switch")
    other = open_request(world["maint_b"], customers["b"], now=now, subject="Other outlet")
    return {"complaint": complaint, "inquiry": inquiry, "other": other}


def csv_rows(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_is_the_filtered_scoped_list(client, world, requests, customers, login_as):
    login_as(world["supervisor_a"])
    response = client.get("/service-requests/export.csv?status=open&kind=wealth_inquiry")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[0] == "Request no." and "Mobile" in header
    assert [row[0] for row in rows] == [str(requests["inquiry"].id)]
    assert rows[0][4] == "139****5678"
    text = response.get_data(as_text=True)
    assert "13912345678" not in text and customers["a"].id_number not in text
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "service_request.exported")).actor_id == world["supervisor_a"].id


def test_export_of_a_maintainer_has_only_their_requests(client, world, requests, login_as):
    login_as(world["maint_a"])
    _header, *rows = csv_rows(client.get("/service-requests/export.csv?status="))
    expected = {str(requests["complaint"].id), str(requests["inquiry"].id)}
    assert {row[0] for row in rows} == expected


def test_export_is_refused_to_trainers_and_anonymous(client, world, login_as):
    assert client.get("/service-requests/export.csv").status_code == 302
    login_as(world["trainer_a"])
    assert client.get("/service-requests/export.csv").status_code == 403


def test_export_with_bad_filters_still_works(client, world, requests, login_as):
    login_as(world["maint_a"])
    response = client.get("/service-requests/export.csv?status=x&kind=y&sla=z&assignee=q"
                          "&customer_id=abc")
    assert response.status_code == 200 and len(csv_rows(response)) == 3


def test_list_links_to_the_export_with_its_filters(client, world, requests, login_as):
    login_as(world["maint_a"])
    page = client.get("/service-requests/?status=open&kind=complaint").get_data(as_text=True)
    assert "/service-requests/export.csv?status=open&amp;kind=complaint" in page


def test_report_for_a_supervisor(client, world, requests, login_as):
    now = clock.utcnow()
    _db.session.execute(update(ServiceRequest).where(
        ServiceRequest.id == requests["complaint"].id).values(
        status="resolved", first_responded_at=now + minutes(5), resolved_at=now + hours(1),
        satisfaction=4))
    _db.session.commit()
    login_as(world["supervisor_a"])
    response = client.get("/service-requests/report")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="report-finished">1<' in page and "100.0 %" in page and "4.00" in page
    assert "Outlet A1" in page and "Outlet B1" not in page


def test_report_is_empty_but_helpful_without_data(client, world, login_as):
    login_as(world["admin"])
    page = client.get("/service-requests/report").get_data(as_text=True)
    assert "No finished requests in this period." in page


@pytest.mark.parametrize("who", ["maint_a", "trainer_a"])
def test_report_is_refused_to_other_roles(client, world, login_as, who):
    login_as(world[who])
    assert client.get("/service-requests/report").status_code == 403
