"""Service-request pages: list and filters, opening, the detail page and its actions.

Each route: the happy path, refused roles, out-of-scope records, bad input, CSRF, conflicts.
"""
import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db as _db
from app.models import ServiceRequest, ServiceRequestEvent, Task

from ..helpers import html, reload
from ..service_request_book import add_service, move, open_request


@pytest.fixture
def customers(world, make_customer, db):
    book = {"a": make_customer(maintainer=world["maint_a"], name="王芳", mobile="13912345678"),
            "a_gold": make_customer(maintainer=world["maint_a"], tier="gold", name="李娜"),
            "b": make_customer(maintainer=world["maint_b"], name="张伟")}
    db.session.commit()
    return book


@pytest.fixture
def now(app):
    return clock.utcnow()


@pytest.fixture
def mine(world, customers, now):
    """A new request of maint_a's customer, opened just now."""
    return open_request(world["maint_a"], customers["a"], now=now, subject="Card fee refund")


@pytest.fixture
def relogin(client, login_as):
    """Log out whoever is logged in, then log in as ``staff``."""
    def switch(staff):
        client.post_form("/logout", {})
        return login_as(staff)
    return switch


def count_requests():
    return _db.session.scalar(select(func.count()).select_from(ServiceRequest))


# --- the list ---------------------------------------------------------------------------------


def test_maintainer_lists_own_requests(client, world, customers, mine, now, login_as):
    open_request(world["maint_b"], customers["b"], now=now, subject="Other outlet")
    login_as(world["maint_a"])
    page = html(client.get("/service-requests/"))
    assert "Card fee refund" in page and "Other outlet" not in page
    assert 'hx-history="false"' in page and "王芳" in page
    assert "13912345678" not in page


def test_supervisor_filters_with_htmx_and_gets_only_rows(client, world, customers, mine, now,
                                                         login_as):
    open_request(world["maint_a"], customers["a"], now=now, kind="wealth_inquiry",
                 priority="low", subject="Fund switch")
    login_as(world["supervisor_a"])
    response = client.get_htmx("/service-requests/?status=open&kind=wealth_inquiry")
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert "Fund switch" in page and "Card fee refund" not in page
    assert "HX-Request" in response.headers["Vary"]


def test_list_filter_by_sla_state_and_bad_filters(client, world, mine, login_as):
    login_as(world["supervisor_a"])
    page = html(client.get("/service-requests/?sla=due_soon"))
    assert "Card fee refund" in page  # 30 minutes to answer: due soon at once
    assert "Card fee refund" not in html(client.get("/service-requests/?sla=breached"))
    page = html(client.get("/service-requests/?status=zzz&kind=zzz&sla=zzz&assignee=x1"))
    assert "(ignored)" in page and "Card fee refund" in page


def test_list_empty_states(client, world, login_as):
    login_as(world["maint_a"])
    assert "No open requests" in html(client.get("/service-requests/"))
    assert "No requests match" in html(client.get("/service-requests/?kind=complaint"))


def test_list_pages_with_keyset_links(app, client, world, customers, now, login_as):
    app.config["PAGE_SIZE"] = 2
    try:
        made = [open_request(world["maint_a"], customers["a"], now=now, subject=f"Req {n}")
                for n in range(3)]
        login_as(world["maint_a"])
        first = html(client.get("/service-requests/"))
        assert f"after={made[1].id}" in first and "Req 0" not in first
        second = html(client.get(f"/service-requests/?status=open&after={made[1].id}"))
        assert "Req 0" in second and "Req 2" not in second and f"before={made[0].id}" in second
    finally:
        app.config["PAGE_SIZE"] = 50


def test_trainer_may_not_list(client, world, login_as):
    login_as(world["trainer_a"])
    assert client.get("/service-requests/").status_code == 403


def test_list_needs_a_login(client, world):
    response = client.get("/service-requests/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- opening ----------------------------------------------------------------------------------


def test_new_without_customer_asks_for_the_number(client, world, customers, login_as):
    login_as(world["maint_a"])
    page = html(client.get("/service-requests/new"))
    assert 'name="customer_number"' in page
    number = customers["a"].customer_number
    response = client.get(f"/service-requests/new?customer_number={number}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"customer_id={customers['a'].id}")


@pytest.mark.parametrize("number", ["", "C404", "x" * 40, "other"])
def test_unknown_or_foreign_customer_number_is_a_form_error(client, world, customers, login_as,
                                                            number):
    if number == "other":
        number = customers["b"].customer_number
    login_as(world["maint_a"])
    response = client.get(f"/service-requests/new?customer_number={number}")
    assert response.status_code == 422 and "invalid-feedback" in html(response)


def test_opening_form_for_a_customer_offers_the_tiers_services(client, world, customers,
                                                               login_as):
    lounge = add_service("gold", yearly_allowance=3)
    add_service("platinum", code="GOLF", name="Golf day")
    login_as(world["maint_a"])
    page = html(client.get(f"/service-requests/new?customer_id={customers['a_gold'].id}"))
    assert "李娜" in page and lounge.name in page and "Golf day" not in page
    assert "3 of 3 left this year" in page
    assert "Override the yearly allowance" not in page  # maintainers cannot override
    assert 'hx-history="false"' in page


def test_maintainer_opens_a_request(client, world, customers, login_as):
    login_as(world["maint_a"])
    response = client.post_form("/service-requests/new", {
        "customer_id": customers["a"].id, "kind": "complaint", "channel": "phone",
        "priority": "high", "subject": "ATM swallowed the card",
        "description": "At the Lujiazui ATM, 9:40."})
    [request] = _db.session.scalars(select(ServiceRequest))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/service-requests/{request.id}")
    assert (request.priority, request.assignee_id) == ("high", world["maint_a"].id)
    page = html(client.get(response.headers["Location"]))
    assert "ATM swallowed the card" in page and f"Request #{request.id} opened" in page


@pytest.mark.parametrize("change, field", [
    ({"kind": ""}, "kind"), ({"kind": "gossip"}, "kind"), ({"subject": ""}, "subject"),
    ({"subject": "ab"}, "subject"), ({"description": ""}, "description"),
    ({"priority": "asap"}, "priority"), ({"description": "x" * 4001}, "description")])
def test_bad_input_is_shown_on_the_form(client, world, customers, login_as, change, field):
    login_as(world["maint_a"])
    data = {"customer_id": customers["a"].id, "kind": "complaint", "channel": "phone",
            "priority": "normal", "subject": "Fine subject", "description": "Fine"}
    data.update(change)
    response = client.post_form("/service-requests/new", data)
    assert response.status_code == 422
    assert f'id="{field}-errors"' in html(response) or "invalid-feedback" in html(response)
    assert count_requests() == 0


def test_opening_for_a_foreign_customer_is_not_found(client, world, customers, login_as):
    login_as(world["maint_a"])
    response = client.post_form("/service-requests/new", {
        "customer_id": customers["b"].id, "kind": "complaint", "channel": "phone",
        "priority": "normal", "subject": "Sneaky", "description": "x"})
    assert response.status_code == 404 and count_requests() == 0
    assert client.get(f"/service-requests/new?customer_id={customers['b'].id}").status_code == 404
    assert client.get("/service-requests/new?customer_id=99999999999").status_code == 404


def test_opening_without_csrf_token_is_refused(client, world, customers, login_as):
    login_as(world["maint_a"])
    response = client.post("/service-requests/new", data={
        "customer_id": customers["a"].id, "kind": "complaint", "channel": "phone",
        "priority": "normal", "subject": "No token", "description": "x"})
    assert response.status_code == 400 and count_requests() == 0


def test_trainer_and_anonymous_cannot_open(client, world, customers, login_as):
    assert client.get("/service-requests/new").status_code == 302
    login_as(world["trainer_a"])
    assert client.get("/service-requests/new").status_code == 403
    assert client.post_form("/service-requests/new", {}).status_code == 403


def booking(customer, service, **extra):
    data = {"customer_id": customer.id, "kind": "value_added", "channel": "phone",
            "priority": "normal", "subject": "Lounge at Pudong T2", "description": "Flight",
            "service_id": service.id}
    data.update(extra)
    return data


def test_booking_beyond_allowance_is_refused_then_overridden_by_supervisor(
        client, world, customers, login_as, relogin):
    lounge = add_service("gold", yearly_allowance=0)
    login_as(world["maint_a"])
    response = client.post_form("/service-requests/new", booking(customers["a_gold"], lounge))
    assert response.status_code == 422
    page = html(response)
    assert "has used 0 of 0 bookings this year" in page and "Ask your supervisor" in page
    relogin(world["supervisor_a"])
    response = client.post_form("/service-requests/new", booking(
        customers["a_gold"], lounge, override="y", override_reason="x"))
    assert response.status_code == 422 and "reason for overriding" in html(response)
    response = client.post_form("/service-requests/new", booking(
        customers["a_gold"], lounge, override="y", override_reason="Goodwill after complaint"))
    assert response.status_code == 302
    [request] = _db.session.scalars(select(ServiceRequest))
    assert request.allowance_override_reason == "Goodwill after complaint"
    assert "overridden: Goodwill after complaint" in html(client.get(
        response.headers["Location"]))


def test_booking_needs_a_service(client, world, customers, login_as):
    login_as(world["maint_a"])
    response = client.post_form("/service-requests/new", {
        "customer_id": customers["a_gold"].id, "kind": "value_added", "channel": "phone",
        "priority": "normal", "subject": "Lounge", "description": "x", "service_id": "abc"})
    assert response.status_code == 422 and count_requests() == 0


# --- the detail page --------------------------------------------------------------------------


def test_detail_shows_clocks_timeline_and_legal_actions(client, world, mine, login_as):
    login_as(world["maint_a"])
    page = html(client.get(f"/service-requests/{mine.id}"))
    assert "Card fee refund" in page and 'id="request-panel"' in page
    assert "First response" in page and "left" in page
    assert "Opened as Complaint" in page
    assert 'value="in_progress"' in page and 'value="cancelled"' in page
    assert 'value="resolved"' not in page and 'value="closed"' not in page
    assert 'hx-history="false"' in page


@pytest.mark.parametrize("who, status", [
    ("maint_b", 404), ("supervisor_b", 404), ("trainer_a", 403), ("maint_a2", 404)])
def test_detail_refusals(client, world, mine, login_as, who, status):
    login_as(world[who])
    assert client.get(f"/service-requests/{mine.id}").status_code == status


def test_detail_of_unknown_request_is_not_found(client, world, login_as):
    login_as(world["admin"])
    assert client.get("/service-requests/424242").status_code == 404
    assert client.get("/service-requests/99999999999").status_code == 404


def status_data(request, to_status, comment="", version=None):
    return {"status-version": request.version if version is None else version,
            "status-to_status": to_status, "status-comment": comment}


def test_status_change_with_htmx_returns_the_panel(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.post_form(f"/service-requests/{mine.id}/status",
                                status_data(mine, "in_progress", "Called back"), htmx=True)
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="request-panel"' in page and "is now In progress" in page
    assert 'value="resolved"' in page and "Called back" in page
    assert "service-requests-changed" in response.headers["HX-Trigger"]
    assert reload(mine).status == "in_progress"


def test_status_change_without_htmx_redirects(client, world, mine, login_as):
    login_as(world["supervisor_a"])
    response = client.post_form(f"/service-requests/{mine.id}/status",
                                status_data(mine, "in_progress"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/service-requests/{mine.id}")


@pytest.mark.parametrize("target", ["resolved", "closed", "new", "bogus", ""])
def test_illegal_status_change_is_a_clear_message(client, world, mine, login_as, target):
    login_as(world["maint_a"])
    response = client.post_form(f"/service-requests/{mine.id}/status",
                                status_data(mine, target), htmx=True)
    assert response.status_code == 422
    page = html(response)
    assert "cannot be moved" in page or "Choose what to do" in page
    assert reload(mine).status == "new"


def test_cancel_without_reason_keeps_the_request(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.post_form(f"/service-requests/{mine.id}/status",
                                status_data(mine, "cancelled", ""))
    assert response.status_code == 422 and "reason for cancelling" in html(response)
    assert "<html" in html(response)
    assert reload(mine).status == "new"


def test_stale_form_gets_409_with_the_new_state(client, world, mine, login_as):
    move(world["supervisor_a"], mine, "cancelled", comment="Duplicate of #1")
    login_as(world["maint_a"])
    response = client.post_form(f"/service-requests/{mine.id}/status",
                                status_data(mine, "in_progress", version=1), htmx=True)
    page = html(response)
    assert response.status_code == 409 and "<html" not in page
    assert "changed by someone else meanwhile" in page and "Cancelled" in page
    assert "Duplicate of #1" in page
    assert reload(mine).status == "cancelled"


def test_status_form_without_version_is_refused(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.post_form(f"/service-requests/{mine.id}/status",
                                {"status-to_status": "in_progress", "status-version": "x"})
    assert response.status_code == 422 and reload(mine).status == "new"


def test_status_change_needs_csrf_and_scope(client, world, mine, login_as, relogin):
    login_as(world["maint_a"])
    response = client.post(f"/service-requests/{mine.id}/status",
                           data=status_data(mine, "in_progress"))
    assert response.status_code == 400
    relogin(world["maint_b"])
    assert client.post_form(f"/service-requests/{mine.id}/status",
                            status_data(mine, "in_progress")).status_code == 404
    relogin(world["trainer_a"])
    assert client.post_form(f"/service-requests/{mine.id}/status",
                            status_data(mine, "in_progress")).status_code == 403
    assert reload(mine).status == "new"


def test_resolving_puts_a_callback_in_the_queue(client, world, mine, login_as):
    login_as(world["maint_a"])
    client.post_form(f"/service-requests/{mine.id}/status", status_data(mine, "in_progress"))
    request = reload(mine)
    response = client.post_form(f"/service-requests/{mine.id}/status",
                                status_data(request, "resolved", "Refunded"), htmx=True)
    assert "call-back task" in html(response)
    [task] = _db.session.scalars(select(Task).where(Task.kind == "service_callback"))
    assert task.source_ref == f"sr:{mine.id}" and task.maintainer_id == world["maint_a"].id
    assert "Record the customer" in html(response)


# --- assignment, comments, satisfaction -------------------------------------------------------


def test_supervisor_reassigns_with_htmx(client, world, mine, login_as, make_staff, db):
    colleague = make_staff("maintainer", world["outlet_a"], display_name="Zhou Min")
    db.session.commit()
    login_as(world["supervisor_a"])
    page = html(client.get(f"/service-requests/{mine.id}"))
    assert "Zhou Min" in page
    response = client.post_form(f"/service-requests/{mine.id}/assign",
                                {"assign-version": 1, "assign-assignee_id": colleague.id},
                                htmx=True)
    assert response.status_code == 200 and "assigned to Zhou Min" in html(response)
    assert reload(mine).assignee_id == colleague.id


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_bad_assignee_is_refused(client, world, mine, login_as, value):
    login_as(world["supervisor_a"])
    response = client.post_form(f"/service-requests/{mine.id}/assign",
                                {"assign-version": 1, "assign-assignee_id": value}, htmx=True)
    assert response.status_code == 422 and "<html" not in html(response)
    assert reload(mine).assignee_id == world["maint_a"].id


def test_assigning_someone_of_another_branch_is_refused(client, world, mine, login_as):
    login_as(world["admin"])
    response = client.post_form(f"/service-requests/{mine.id}/assign", {
        "assign-version": 1, "assign-assignee_id": world["maint_b"].id})
    assert response.status_code == 422 and "active colleague" in html(response)


def test_comment_is_added_to_the_timeline(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.post_form(f"/service-requests/{mine.id}/comments",
                                {"note-comment": "Asked the card centre"}, htmx=True)
    assert response.status_code == 200 and "Asked the card centre" in html(response)
    assert reload(mine).first_responded_at is not None
    response = client.post_form(f"/service-requests/{mine.id}/comments", {"note-comment": " "},
                                htmx=True)
    assert response.status_code == 422
    assert _db.session.scalar(select(func.count()).select_from(ServiceRequestEvent).where(
        ServiceRequestEvent.kind == "comment")) == 1


def test_comment_needs_csrf(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.post(f"/service-requests/{mine.id}/comments",
                           data={"note-comment": "x"})
    assert response.status_code == 400


def test_satisfaction_is_recorded_and_completes_the_callback(client, world, mine, login_as):
    move(world["maint_a"], mine, "in_progress", "resolved")
    login_as(world["maint_a"])
    page = html(client.get(f"/service-requests/{mine.id}"))
    assert "Record the customer" in page and "completes the call-back task" in page
    response = client.post_form(f"/service-requests/{mine.id}/satisfaction", {
        "satisfaction-score": "5", "satisfaction-comment": "Very helpful"}, htmx=True)
    page = html(response)
    assert response.status_code == 200 and "Satisfaction recorded: 5 of 5" in page
    assert "Very helpful" in page and "Record the customer" not in page
    assert "tasks-changed" in response.headers["HX-Trigger"]
    [task] = _db.session.scalars(select(Task).where(Task.kind == "service_callback"))
    assert task.status == "done"


@pytest.mark.parametrize("score", ["", "0", "6", "x"])
def test_bad_satisfaction_score_is_refused(client, world, mine, login_as, score):
    move(world["maint_a"], mine, "in_progress", "resolved")
    login_as(world["maint_a"])
    response = client.post_form(f"/service-requests/{mine.id}/satisfaction",
                                {"satisfaction-score": score}, htmx=True)
    assert response.status_code == 422 and reload(mine).satisfaction is None


def test_satisfaction_refusals(client, world, mine, login_as, relogin):
    login_as(world["maint_a"])  # not resolved yet
    response = client.post_form(f"/service-requests/{mine.id}/satisfaction",
                                {"satisfaction-score": "4"})
    assert response.status_code == 422 and "once the request is resolved" in html(response)
    move(world["maint_a"], mine, "in_progress", "resolved")
    response = client.post(f"/service-requests/{mine.id}/satisfaction",
                           data={"satisfaction-score": "4"})
    assert response.status_code == 400
    relogin(world["admin"])
    assert client.post_form(f"/service-requests/{mine.id}/satisfaction",
                            {"satisfaction-score": "4"}).status_code == 403
    relogin(world["maint_b"])
    assert client.post_form(f"/service-requests/{mine.id}/satisfaction",
                            {"satisfaction-score": "4"}).status_code == 404
    assert reload(mine).satisfaction is None


def test_customer_filter_is_kept_and_bad_values_ignored(
        client, world, customers, mine, now, login_as):
    open_request(world["supervisor_a"], customers["a_gold"], now=now, subject="Gold one")
    login_as(world["supervisor_a"])
    page = html(client.get(f"/service-requests/?customer_id={customers['a_gold'].id}"))
    assert "Gold one" in page and "Card fee refund" not in page
    assert f'name="customer_id" type="hidden" value="{customers["a_gold"].id}"' in page
    page = html(client.get("/service-requests/?customer_id=abc"))
    assert "customer filter was not understood" in page and "Card fee refund" in page
    page = html(client.get("/service-requests/?status=open&kind="))
    assert "(ignored)" not in page and 'name="customer_id"' not in page
