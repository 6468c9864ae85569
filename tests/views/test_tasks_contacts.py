"""Logging contacts and the customer's activity fragment: scope, roles, bad input, htmx."""
import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db as _db
from app.models import AuditEvent, Contact, Customer

from ..helpers import html
from ..task_book import add_task


@pytest.fixture
def customer(world, make_customer):
    customer = make_customer(maintainer=world["maint_a"], name="王芳")
    _db.session.commit()
    return customer


def contact_data(**overrides):
    data = {"contact-channel": "visit", "contact-outcome": "appointment",
            "contact-summary": "Came to the counter; meeting next week"}
    data.update(overrides)
    return data


def contacts_of(customer):
    return list(_db.session.scalars(select(Contact).where(Contact.customer_id == customer.id)))


def last_contact(customer):
    _db.session.expire_all()
    return _db.session.get(Customer, customer.id).last_contact_on


def test_maintainer_logs_a_contact_with_htmx(client, world, customer, login_as):
    login_as(world["maint_a"])
    response = client.post_form(f"/tasks/customers/{customer.id}/contacts", contact_data(),
                                htmx=True)
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="customer-activity"' in page and "Came to the counter" in page
    assert "contacts-changed" in response.headers["HX-Trigger"]
    assert last_contact(customer) == clock.today()
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "contact.logged", AuditEvent.object_id == str(customer.id)))


def test_contact_without_htmx_goes_back_to_the_customer(client, world, customer, login_as):
    login_as(world["maint_a"])
    response = client.post_form(f"/tasks/customers/{customer.id}/contacts", contact_data())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/customers/{customer.id}")
    assert len(contacts_of(customer)) == 1


def test_supervisor_in_scope_logs_a_contact(client, world, customer, login_as):
    login_as(world["supervisor_a"])
    response = client.post_form(f"/tasks/customers/{customer.id}/contacts", contact_data(),
                                htmx=True)
    assert response.status_code == 200 and len(contacts_of(customer)) == 1


@pytest.mark.parametrize("role", ["supervisor_b", "maint_a2", "maint_b"])
def test_contact_outside_scope_is_not_found(client, world, customer, login_as, role):
    login_as(world[role])
    response = client.post_form(f"/tasks/customers/{customer.id}/contacts", contact_data())
    assert response.status_code == 404 and not contacts_of(customer)


@pytest.mark.parametrize("role", ["admin", "trainer_a"])
def test_admin_and_trainer_cannot_log_contacts(client, world, customer, login_as, role):
    login_as(world[role])
    response = client.post_form(f"/tasks/customers/{customer.id}/contacts", contact_data())
    assert response.status_code == 403 and not contacts_of(customer)


@pytest.mark.parametrize("overrides", [
    {"contact-summary": ""}, {"contact-outcome": "sang"}, {"contact-channel": "pigeon"},
    {"contact-summary": "x" * 1001},
])
def test_bad_contact_input_changes_nothing(client, world, customer, login_as, overrides):
    login_as(world["maint_a"])
    response = client.post_form(f"/tasks/customers/{customer.id}/contacts",
                                contact_data(**overrides), htmx=True)
    assert response.status_code == 422 and "invalid-feedback" in html(response)
    assert "<html" not in html(response)
    assert not contacts_of(customer) and last_contact(customer) is None


def test_bad_contact_input_without_htmx_shows_the_page(client, world, customer, login_as):
    login_as(world["maint_a"])
    response = client.post_form(f"/tasks/customers/{customer.id}/contacts",
                                contact_data(**{"contact-summary": ""}))
    assert response.status_code == 422 and "<html" in html(response)


def test_contact_without_csrf_is_refused(client, world, customer, login_as):
    login_as(world["maint_a"])
    response = client.post(f"/tasks/customers/{customer.id}/contacts", data=contact_data())
    assert response.status_code == 400 and not contacts_of(customer)


def test_unknown_customer_is_not_found(client, world, login_as):
    login_as(world["maint_a"])
    assert client.post_form("/tasks/customers/999999999/contacts",
                            contact_data()).status_code == 404
    assert client.get("/tasks/customers/999999999/activity").status_code == 404


def test_activity_page_and_fragment(client, world, customer, login_as):
    task = add_task(customer, clock.today())
    login_as(world["maint_a"])
    page = html(client.get(f"/tasks/customers/{customer.id}/activity"))
    assert "<html" in page and "Log a contact" in page and 'hx-history="false"' in page
    fragment = html(client.get_htmx(f"/tasks/customers/{customer.id}/activity"))
    assert "<html" not in fragment and "Birthday on" in fragment
    assert task.maintainer.display_name in fragment


def test_admin_sees_activity_without_the_form(client, world, customer, login_as):
    login_as(world["admin"])
    page = html(client.get_htmx(f"/tasks/customers/{customer.id}/activity"))
    assert "Contact history" in page and "Log a contact" not in page


def test_trainer_cannot_see_activity(client, world, customer, login_as):
    login_as(world["trainer_a"])
    assert client.get(f"/tasks/customers/{customer.id}/activity").status_code == 403


def test_activity_outside_scope_is_not_found(client, world, customer, login_as):
    login_as(world["maint_b"])
    assert client.get(f"/tasks/customers/{customer.id}/activity").status_code == 404
