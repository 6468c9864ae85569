"""The reveal watch on the pages: the refusal in the reveal fragment, head office's setting."""
import pytest
from sqlalchemy import select

from app.customers import reveal_watch
from app.models import AuditEvent, PortalSetting

from ..customer_book import person


def reveal(client, customer, field="id_number", htmx=True):
    return client.post_form(f"/customers/{customer.id}/reveal",
                            {"field": field, "reason": "Identity check at the counter"},
                            htmx=htmx)


def test_past_the_limit_the_reveal_fragment_says_why_and_shows_nothing(
        client, world, make_customer, login_as, db):
    reveal_watch.save_reveal_limit(world["admin"], 1)
    customer = make_customer(**person(maintainer=world["maint_a"]))
    login_as(world["maint_a"])
    assert customer.mobile in reveal(client, customer, "mobile").get_data(as_text=True)
    for htmx in (True, False):
        response = reveal(client, customer, htmx=htmx)
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert customer.id_number not in text
        assert "1 time today, the daily limit" in text
        assert "your supervisor has been told" in text
        assert ("<html" in text) is not htmx
    refusals = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "customer.reveal_refused",
        AuditEvent.actor_id == world["maint_a"].id)).all()
    assert len(refusals) == 2


def test_head_office_sees_and_changes_the_limit(login_as, world, db):
    client = login_as(world["admin"])
    page = client.get("/admin/reveal-watch").get_data(as_text=True)
    assert 'value="20"' in page and "Reveal watch" in page
    response = client.post_form("/admin/reveal-watch", {"limit": "7"})
    assert response.status_code == 302
    assert reveal_watch.reveal_limit() == 7
    assert "Reveal limit saved." in client.get("/admin/reveal-watch").get_data(as_text=True)


@pytest.mark.parametrize("value", ["", "abc", "0", "-3", "1001", "2.5", "1e3", "<b>9</b>"])
def test_a_bad_limit_gets_a_clear_message_and_changes_nothing(login_as, world, db, value):
    client = login_as(world["admin"])
    response = client.post_form("/admin/reveal-watch", {"limit": value})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "invalid-feedback" in text
    assert "<b>9" not in text
    assert reveal_watch.reveal_limit() == 20
    assert db.session.get(PortalSetting, reveal_watch.REVEAL_LIMIT) is None


@pytest.mark.parametrize("role", ["supervisor_a", "maint_a", "trainer_a"])
def test_only_head_office_may_set_the_limit(login_as, world, db, role):
    client = login_as(world[role])
    assert client.get("/admin/reveal-watch").status_code == 403
    assert client.post_form("/admin/reveal-watch", {"limit": "1"}).status_code == 403
    assert reveal_watch.reveal_limit() == 20
