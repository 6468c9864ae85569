"""Notifications: the list, opening one (marks it read), mark all read, the badge, refusals."""
import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db as _db
from app.models import Notification
from app.notifications.services import notify
from app.notifications.texts import render_text


@pytest.fixture
def notes(world, db):
    """Two unread notifications of supervisor_a (the newer one links a request) and one of b."""
    now = clock.utcnow()
    notify([world["supervisor_a"].id], "sr_escalated",
           {"request_id": 7, "subject": "Card fee", "level": 1, "reason": "response"},
           link="/service-requests/7", now=now)
    notify([world["supervisor_a"].id, world["supervisor_b"].id], "sr_assigned",
           {"request_id": 8, "subject": "Lounge", "by": "Wang"}, link="/service-requests/8",
           now=now)
    db.session.commit()
    return {n.staff_id * 100 + n.id: n for n in db.session.scalars(select(Notification))}


def mine(staff):
    _db.session.expire_all()
    return list(_db.session.scalars(select(Notification).where(
        Notification.staff_id == staff.id).order_by(Notification.id)))


def test_list_shows_own_notifications_newest_first(client, world, notes, login_as):
    login_as(world["supervisor_a"])
    page = client.get("/notifications/").get_data(as_text=True)
    assigned = page.index("Service request #8 “Lounge” was assigned to you by Wang.")
    escalated = page.index("Service request #7 “Card fee” is escalated to you (level 1): "
                           "no first response in time.")
    assert assigned < escalated
    assert "2 unread notifications." in page and "Mark all read" in page


def test_badge_counts_unread_and_keeps_polling(client, world, notes, login_as):
    login_as(world["supervisor_a"])
    response = client.get_htmx("/notifications/badge")
    badge = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in badge
    assert 'id="notification-badge"' in badge and 'data-count="2"' in badge
    assert 'hx-trigger="every 60s, notifications-changed from:body"' in badge
    assert 'hx-swap="outerHTML"' in badge and "load" not in badge


def test_opening_marks_read_and_goes_to_the_link(client, world, notes, login_as):
    login_as(world["supervisor_a"])
    first = mine(world["supervisor_a"])[0]
    response = client.post_form(f"/notifications/{first.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/service-requests/7")
    assert mine(world["supervisor_a"])[0].read_at is not None
    assert mine(world["supervisor_a"])[1].read_at is None
    assert 'data-count="1"' in client.get("/notifications/badge").get_data(as_text=True)


def test_another_staffs_notification_is_not_found(client, world, notes, login_as):
    theirs = mine(world["supervisor_b"])[0]
    login_as(world["supervisor_a"])
    assert client.post_form(f"/notifications/{theirs.id}/open").status_code == 404
    assert client.post_form("/notifications/999999/open").status_code == 404
    assert mine(world["supervisor_b"])[0].read_at is None


def test_mark_all_read_with_htmx(client, world, notes, login_as):
    login_as(world["supervisor_a"])
    response = client.post_form("/notifications/read-all", htmx=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert "2 notifications marked as read." in page and "Everything is read." in page
    assert response.headers["HX-Trigger"] == "notifications-changed"
    assert all(n.read_at for n in mine(world["supervisor_a"]))
    assert mine(world["supervisor_b"])[0].read_at is None


def test_mark_all_read_without_htmx_redirects(client, world, notes, login_as):
    login_as(world["supervisor_b"])
    response = client.post_form("/notifications/read-all")
    assert response.status_code == 302
    assert "1 notification marked as read." in client.get("/notifications/").get_data(
        as_text=True)


def test_posts_need_the_csrf_token(client, world, notes, login_as):
    login_as(world["supervisor_a"])
    first = mine(world["supervisor_a"])[0]
    assert client.post(f"/notifications/{first.id}/open").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert all(n.read_at is None for n in mine(world["supervisor_a"]))


def test_pages_need_a_login(client, world):
    for url in ("/notifications/", "/notifications/badge"):
        assert client.get(url).status_code == 302


def test_empty_list_is_helpful(client, world, login_as):
    login_as(world["trainer_a"])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "No notifications." in page and "Mark all read" not in page


def test_older_notifications_page(client, world, login_as, monkeypatch):
    from app.notifications import services
    monkeypatch.setattr(services, "PAGE_SIZE", 1)
    for n in range(2):
        notify([world["maint_a"].id], "sr_assigned", {"request_id": n, "subject": f"S{n}",
                                                      "by": "x"})
    _db.session.commit()
    login_as(world["maint_a"])
    newest, oldest = mine(world["maint_a"])[1], mine(world["maint_a"])[0]
    page = client.get("/notifications/").get_data(as_text=True)
    assert "#1 " in page and f"before={newest.id}" in page
    older = client.get(f"/notifications/?before={newest.id}").get_data(as_text=True)
    assert "#0 " in older and "#1 " not in older and f"after={oldest.id}" in older
    newer = client.get_htmx(f"/notifications/?after={oldest.id}").get_data(as_text=True)
    assert "#1 " in newer and "#0 " not in newer and "<html" not in newer
    assert oldest.id < newest.id


def test_unsafe_links_are_not_followed(client, world, login_as):
    notify([world["maint_a"].id], "sr_assigned", {"request_id": 1, "subject": "x", "by": "y"},
           link="//evil.example/x")
    _db.session.commit()
    login_as(world["maint_a"])
    note = mine(world["maint_a"])[0]
    response = client.post_form(f"/notifications/{note.id}/open")
    assert response.headers["Location"].endswith("/notifications/")


def test_texts_survive_unknown_kinds_and_bad_params(app):
    with app.test_request_context():
        assert render_text("nope", {}) == "You have a new notification."
        assert render_text("sr_assigned", {"request_id": 1}) == "You have a new notification."
        assert "level 2" in render_text("sr_escalated", {
            "request_id": 3, "subject": "s", "level": 2, "reason": "resolution"})
