"""The customer 360 page and the audited reveal of masked personal data."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.models import AuditEvent, TierHistory

from ..customer_book import build_book, person


@pytest.fixture
def book(world, make_customer):
    return build_book(world, make_customer)


def events(db, action, customer):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == "customer",
        AuditEvent.object_id == str(customer.id))))


def test_maintainer_opens_own_customer_with_masked_data(client, world, book, login_as):
    customer = book["a1"]
    login_as(world["maint_a"])
    response = client.get(f"/customers/{customer.id}")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert customer.id_number[:6] + "********" + customer.id_number[-4:] in text
    assert "139****1234" in text
    assert customer.id_number not in text and customer.mobile not in text
    assert 'hx-history="false"' in text
    assert response.headers["Cache-Control"] == "no-store"


def test_maintainer_cannot_open_other_customer(client, world, book, login_as, db):
    login_as(world["maint_a"])
    assert client.get(f"/customers/{book['a3'].id}").status_code == 404
    refused = events(db, "access.refused", book["a3"])
    assert len(refused) == 1 and refused[0].actor_id == world["maint_a"].id


@pytest.mark.parametrize("key, status", [("a1", 200), ("a3", 200), ("b1", 404)])
def test_supervisor_sees_own_subtree_only(client, world, book, login_as, key, status):
    login_as(world["supervisor_a"])
    assert client.get(f"/customers/{book[key].id}").status_code == status


def test_admin_opens_any_customer(client, world, book, login_as):
    login_as(world["admin"])
    for key in ("a1", "a3", "b1"):
        assert client.get(f"/customers/{book[key].id}").status_code == 200


def test_trainer_may_not_open_a_customer(client, world, book, login_as):
    login_as(world["trainer_a"])
    assert client.get(f"/customers/{book['a1'].id}").status_code == 403


def test_unknown_customer_is_not_found(client, world, book, login_as):
    login_as(world["admin"])
    assert client.get("/customers/987654321").status_code == 404
    assert client.get("/customers/99999999999999999999").status_code == 404


def test_page_shows_holdings_by_maturity_and_tier_history_newest_first(
        client, world, book, login_as, make_holding, make_product, db):
    customer = book["a1"]
    later = make_product(code="LATE01", name="Late note")
    sooner = make_product(code="SOON01", name="Soon note")
    open_ended = make_product(code="OPEN01", name="Demand deposit", category="deposit")
    make_holding(customer, later, matures_on=date(2031, 1, 1))
    make_holding(customer, open_ended)
    make_holding(customer, sooner, matures_on=date(2027, 6, 30))
    db.session.add_all([
        TierHistory(customer_id=customer.id, from_tier="mass", to_tier="gold",
                    aum_fen=60_000_00, changed_on=date(2024, 3, 1), reason="import"),
        TierHistory(customer_id=customer.id, from_tier="gold", to_tier="platinum",
                    aum_fen=600_000_00, changed_on=date(2025, 3, 1), reason="retier"),
    ])
    login_as(world["maint_a"])
    text = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert text.index("SOON01") < text.index("LATE01") < text.index("OPEN01")
    history = text[text.index("tier-history"):]
    assert history.index("Nightly re-tiering") < history.index("Customer import")


def test_page_tells_whether_the_risk_assessment_is_valid(client, world, login_as, make_customer):
    today = clock.today()
    fresh = make_customer(**person(maintainer=world["maint_a"], risk_level="C3",
                                   risk_assessed_on=today - timedelta(days=30)))
    stale = make_customer(**person(maintainer=world["maint_a"], risk_level="C4",
                                   risk_assessed_on=today - timedelta(days=400)))
    login_as(world["maint_a"])
    assert "valid until" in client.get(f"/customers/{fresh.id}").get_data(as_text=True)
    assert "expired on" in client.get(f"/customers/{stale.id}").get_data(as_text=True)


# --- reveal ----------------------------------------------------------------------------


def reveal(client, customer, field, reason="Identity check at the counter", htmx=True):
    return client.post_form(f"/customers/{customer.id}/reveal",
                            {"field": field, "reason": reason}, htmx=htmx)


@pytest.mark.parametrize("field", ["id_number", "mobile"])
def test_reveal_with_reason_shows_the_value_and_is_audited(client, world, book, login_as, db,
                                                           field):
    customer = book["a1"]
    login_as(world["maint_a"])
    response = reveal(client, customer, field)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert getattr(customer, field) in text
    assert "<html" not in text and f'id="reveal-{field}"' in text
    [event] = events(db, "customer.revealed", customer)
    assert event.actor_id == world["maint_a"].id
    assert event.detail == {"field": field, "reason": "Identity check at the counter"}


def test_reveal_without_htmx_renders_the_page_with_only_that_value(client, world, book,
                                                                   login_as):
    customer = book["a1"]
    login_as(world["supervisor_a"])
    text = reveal(client, customer, "mobile", htmx=False).get_data(as_text=True)
    assert "<html" in text
    assert customer.mobile in text
    assert customer.id_number not in text


@pytest.mark.parametrize("reason", ["", "   ", "abc", "x" * 201])
def test_reveal_without_a_proper_reason_is_refused_and_not_audited(client, world, book,
                                                                   login_as, db, reason):
    customer = book["a1"]
    login_as(world["maint_a"])
    for htmx in (True, False):
        response = reveal(client, customer, "id_number", reason, htmx=htmx)
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert customer.id_number not in text
        assert "reason" in text.lower() and "invalid-feedback" in text
    assert events(db, "customer.revealed", customer) == []


def test_reveal_out_of_scope_is_not_found(client, world, book, login_as, db):
    login_as(world["maint_a"])
    response = reveal(client, book["b1"], "id_number")
    assert response.status_code == 404
    assert book["b1"].id_number not in response.get_data(as_text=True)
    assert events(db, "customer.revealed", book["b1"]) == []
    assert events(db, "access.refused", book["b1"])


def test_reveal_needs_the_csrf_token(client, world, book, login_as, db):
    login_as(world["maint_a"])
    response = client.post(f"/customers/{book['a1'].id}/reveal",
                           data={"field": "mobile", "reason": "Identity check"})
    assert response.status_code == 400
    assert book["a1"].mobile not in response.get_data(as_text=True)
    assert events(db, "customer.revealed", book["a1"]) == []


@pytest.mark.parametrize("field", ["", "password_hash", "name"])
def test_reveal_of_another_field_is_a_bad_request(client, world, book, login_as, db, field):
    login_as(world["maint_a"])
    assert reveal(client, book["a1"], field).status_code == 400
    assert events(db, "customer.revealed", book["a1"]) == []


def test_trainer_may_not_reveal(client, world, book, login_as, db):
    login_as(world["trainer_a"])
    assert reveal(client, book["a1"], "mobile").status_code == 403
    assert events(db, "customer.revealed", book["a1"]) == []


def test_reveal_needs_a_login(client, world, book):
    client.csrf_token = client.fetch_csrf("/login")
    response = reveal(client, book["a1"], "mobile", htmx=False)
    assert response.status_code == 302
    assert book["a1"].mobile not in response.get_data(as_text=True)
