"""Reassigning customers to another maintainer: scope, refusals, audit, the forms."""
import pytest
from sqlalchemy import select

from app.models import AuditEvent, Role

from ..customer_book import build_book


@pytest.fixture
def book(world, make_customer):
    return build_book(world, make_customer)


def reassigned_events(db, *customers):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "customer.reassigned", AuditEvent.object_type == "customer",
        AuditEvent.object_id.in_([str(c.id) for c in customers])).order_by(AuditEvent.id)))


def maintainer_ids(db, book, *keys):
    for key in keys:
        db.session.refresh(book[key])
    return [book[key].maintainer_id for key in keys]


def post_reassign(client, customers, maintainer_id, back="/customers/?tier=gold", **extra):
    data = {"customer_ids": [str(getattr(c, "id", c)) for c in customers],
            "maintainer_id": str(maintainer_id), "back": back, **extra}
    return client.post_form("/customers/reassign", data)


def test_supervisor_reassigns_customers_to_a_maintainer_of_the_branch(
        client, world, book, login_as, db):
    login_as(world["supervisor_a"])
    target = world["maint_a2"]
    response = post_reassign(client, [book["a1"], book["a2"]], target.id)
    assert response.status_code == 302
    assert response.headers["Location"] == "/customers/?tier=gold"
    assert maintainer_ids(db, book, "a1", "a2") == [target.id, target.id]
    events = reassigned_events(db, book["a1"], book["a2"])
    assert [e.object_id for e in events] == [str(book["a1"].id), str(book["a2"].id)]
    assert all(e.actor_id == world["supervisor_a"].id for e in events)
    assert events[0].detail == {"from_maintainer_id": world["maint_a"].id,
                                "to_maintainer_id": target.id}
    assert events[0].branch_id == book["a1"].branch_id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 customers reassigned to" in page


def test_admin_reassigns_across_branches(client, world, book, login_as, db):
    login_as(world["admin"])
    response = post_reassign(client, [book["b1"]], world["maint_a"].id)
    assert response.status_code == 302
    assert maintainer_ids(db, book, "b1") == [world["maint_a"].id]


def test_reassign_from_the_customer_page_goes_back_to_it(client, world, book, login_as, db):
    login_as(world["supervisor_a"])
    back = f"/customers/{book['a3'].id}"
    page = client.get(back).get_data(as_text=True)
    assert 'action="/customers/reassign"' in page
    response = post_reassign(client, [book["a3"]], world["maint_a"].id, back=back)
    assert response.headers["Location"] == back
    assert maintainer_ids(db, book, "a3") == [world["maint_a"].id]


def test_customer_already_with_that_maintainer_is_not_audited_again(
        client, world, book, login_as, db):
    login_as(world["supervisor_a"])
    response = post_reassign(client, [book["a1"]], world["maint_a"].id)
    assert response.status_code == 302
    assert reassigned_events(db, book["a1"]) == []
    assert "already looked after" in client.get("/customers/").get_data(as_text=True)


def test_reassign_to_a_maintainer_outside_scope_changes_nothing(
        client, world, book, login_as, db):
    login_as(world["supervisor_a"])
    response = post_reassign(client, [book["a1"]], world["maint_b"].id)
    assert response.status_code == 302
    assert maintainer_ids(db, book, "a1") == [world["maint_a"].id]
    assert reassigned_events(db, book["a1"]) == []
    assert "Nothing was reassigned" in client.get("/customers/").get_data(as_text=True)


@pytest.mark.parametrize("target", ["supervisor_a", "trainer_a", "inactive"])
def test_reassign_to_someone_not_an_active_maintainer_changes_nothing(
        client, world, book, login_as, db, make_staff, target):
    staff = (make_staff(Role.MAINTAINER, world["outlet_a"], active=False)
             if target == "inactive" else world[target])
    login_as(world["supervisor_a"])
    post_reassign(client, [book["a1"]], staff.id)
    assert maintainer_ids(db, book, "a1") == [world["maint_a"].id]
    assert reassigned_events(db, book["a1"]) == []


def test_reassign_with_a_customer_outside_scope_changes_nothing(
        client, world, book, login_as, db):
    login_as(world["supervisor_a"])
    response = post_reassign(client, [book["a1"], book["b1"]], world["maint_a2"].id)
    assert response.status_code == 302
    assert maintainer_ids(db, book, "a1", "b1") == [world["maint_a"].id, world["maint_b"].id]
    assert reassigned_events(db, book["a1"], book["b1"]) == []
    refused = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "access.refused", AuditEvent.object_id == str(book["b1"].id)))
    assert [e.actor_id for e in refused] == [world["supervisor_a"].id]
    assert "Nothing was reassigned" in client.get("/customers/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["maint_a", "trainer_a"])
def test_maintainers_and_trainers_may_not_reassign(client, world, book, login_as, db, role):
    login_as(world[role])
    response = post_reassign(client, [book["a1"]], world["maint_a2"].id)
    assert response.status_code == 403
    assert maintainer_ids(db, book, "a1") == [world["maint_a"].id]


def test_reassign_needs_the_csrf_token(client, world, book, login_as, db):
    login_as(world["supervisor_a"])
    response = client.post("/customers/reassign", data={
        "customer_ids": [str(book["a1"].id)], "maintainer_id": str(world["maint_a2"].id)})
    assert response.status_code == 400
    assert maintainer_ids(db, book, "a1") == [world["maint_a"].id]


@pytest.mark.parametrize("customer_ids, maintainer_id", [
    (["abc"], "{maint}"),
    (["{a1}", "1 OR 1=1"], "{maint}"),
    ([], "{maint}"),
    (["{a1}"], "x"),
    (["{a1}"], ""),
    (["99999999999999999999"], "{maint}"),
    (["{a1}"], "99999999999999999999"),
    (["-1"], "{maint}"),
])
def test_garbage_input_changes_nothing_and_does_not_fail(
        client, world, book, login_as, db, customer_ids, maintainer_id):
    login_as(world["supervisor_a"])
    values = {"a1": book["a1"].id, "maint": world["maint_a2"].id}
    ids = [value.format(**values) for value in customer_ids]
    response = post_reassign(client, ids, maintainer_id.format(**values))
    assert response.status_code == 302
    assert maintainer_ids(db, book, "a1") == [world["maint_a"].id]
    assert "Nothing was reassigned" in client.get("/customers/").get_data(as_text=True)


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "/admin/",
                                  "javascript:alert(1)", ""])
def test_reassign_only_goes_back_to_customer_pages(client, world, book, login_as, back):
    login_as(world["supervisor_a"])
    response = post_reassign(client, [book["a1"]], world["maint_a2"].id, back=back)
    assert response.headers["Location"] == "/customers/"


def test_list_offers_only_active_maintainers_in_scope_as_targets(client, world, book,
                                                                 login_as, make_staff):
    retired = make_staff(Role.MAINTAINER, world["outlet_a"], display_name="Retired Rita",
                         active=False)
    login_as(world["supervisor_a"])
    page = client.get("/customers/").get_data(as_text=True)
    form = page[page.index('id="reassign-form"'):page.index('id="customer-rows"')]
    assert f'value="{world["maint_a2"].id}"' in form
    assert f'value="{world["maint_b"].id}"' not in form
    assert f'value="{retired.id}"' not in form
