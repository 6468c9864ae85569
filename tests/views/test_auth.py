"""Login, logout, lock-out, timeouts, session rotation and safe redirects."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.models import staff as staff_module
from app.models import AuditEvent

from ..helpers import PASSWORD


def audit_actions(db):
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def is_logged_in(client):
    response = client.get("/account/password")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    return False


def login(client, username, password=PASSWORD, next_=""):
    return client.post_form("/login", {"username": username, "password": password,
                                       "next": next_})


def test_login_succeeds_and_is_audited(client, world, db):
    response = login(client, world["supervisor_a"].username)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert audit_actions(db)[-1] == "login.succeeded"
    assert is_logged_in(client)


def test_wrong_password_is_refused_with_a_generic_message_and_audited(client, world, db):
    response = login(client, world["maint_a"].username, "wrong-password")
    assert response.status_code == 200
    assert "Invalid username or password." in response.get_data(as_text=True)
    assert audit_actions(db)[-1] == "login.failed"
    assert not is_logged_in(client)


def test_unknown_user_gets_the_same_message_and_is_audited(client, world, db):
    response = login(client, "nobody")
    assert "Invalid username or password." in response.get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "login.failed" and event.detail["username"] == "nobody"
    assert PASSWORD not in str(event.detail)


def test_account_locks_after_repeated_failures(client, world, db, app):
    staff = world["maint_a"]
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, staff.username, "wrong-password")
    assert staff.locked_until is not None and staff.locked_until > utcnow()
    response = login(client, staff.username)  # right password, still locked
    assert response.status_code == 200
    assert "locked" in response.get_data(as_text=True)
    staff.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login(client, staff.username).status_code == 302


def test_login_is_throttled_per_address(client, world, app):
    limit = app.config["LOGIN_IP_LIMIT"]
    app.config["LOGIN_IP_LIMIT"] = 3
    try:
        for _ in range(3):
            login(client, "nobody")
        response = login(client, world["maint_a"].username)
        assert "Too many failed attempts from this address" in response.get_data(as_text=True)
    finally:
        app.config["LOGIN_IP_LIMIT"] = limit


def test_inactive_staff_cannot_log_in(client, world, db):
    world["maint_a"].active = False
    db.session.commit()
    response = login(client, world["maint_a"].username)
    assert response.status_code == 200
    assert "Invalid username or password." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, world):
    response = client.post("/login", data={"username": world["maint_a"].username,
                                           "password": PASSWORD})
    assert response.status_code == 400
    assert not is_logged_in(client)


def test_next_redirects_only_within_the_site(client, world):
    response = login(client, world["maint_a"].username, next_="https://evil.example/x")
    assert response.headers["Location"] == "/"


def test_next_keeps_a_local_path(client, world):
    response = login(client, world["maint_a"].username, next_="/account/password")
    assert response.headers["Location"] == "/account/password"


def test_protected_page_redirects_to_login_with_next(client):
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_ends_the_session(client, world, login_as, db):
    login_as(world["maint_a"])
    response = client.post_form("/logout")
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert audit_actions(db)[-1] == "logout"


def test_logout_needs_post(client, world, login_as):
    login_as(world["maint_a"])
    assert client.get("/logout").status_code == 405


def test_deactivation_ends_open_sessions(client, world, login_as, db):
    login_as(world["maint_a"])
    world["maint_a"].active = False
    db.session.commit()
    assert not is_logged_in(client)


def test_token_rotation_ends_open_sessions(client, world, login_as, db):
    login_as(world["maint_a"])
    world["maint_a"].rotate_session_token()
    db.session.commit()
    assert not is_logged_in(client)


def test_inactivity_timeout_logs_out(client, world, login_as):
    login_as(world["maint_a"])
    with client.session_transaction() as session:
        session["seen_at"] = (utcnow() - timedelta(hours=1)).isoformat()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not is_logged_in(client)


def test_absolute_lifetime_logs_out(client, world, login_as):
    login_as(world["maint_a"])
    with client.session_transaction() as session:
        session["login_at"] = (utcnow() - timedelta(days=1)).isoformat()
    assert not is_logged_in(client)


def test_htmx_request_after_timeout_gets_a_redirect_header(client, world, login_as):
    login_as(world["maint_a"])
    with client.session_transaction() as session:
        session["seen_at"] = (utcnow() - timedelta(hours=1)).isoformat()
    response = client.get_htmx("/")
    assert response.headers["HX-Redirect"] == "/login"


def test_change_password_rotates_the_token_and_keeps_this_session(client, world, login_as, db):
    staff = world["maint_a"]
    old_token = staff.session_token
    login_as(staff)
    response = client.post_form("/account/password", {
        "current": PASSWORD, "new": "a-new-long-password", "repeat": "a-new-long-password"})
    assert response.status_code == 302
    assert staff.session_token != old_token
    assert staff.check_password("a-new-long-password")
    assert is_logged_in(client)
    assert audit_actions(db)[-1] == "staff.password_changed"


def test_change_password_with_wrong_current_changes_nothing(client, world, login_as):
    staff = world["maint_a"]
    login_as(staff)
    response = client.post_form("/account/password", {
        "current": "not-it-at-all", "new": "a-new-long-password",
        "repeat": "a-new-long-password"})
    assert response.status_code == 200
    assert "The current password is wrong." in response.get_data(as_text=True)
    assert staff.check_password(PASSWORD)


def test_change_password_rejects_a_short_password(client, world, login_as):
    login_as(world["maint_a"])
    response = client.post_form("/account/password", {
        "current": PASSWORD, "new": "short", "repeat": "short"})
    assert response.status_code == 200
    assert world["maint_a"].check_password(PASSWORD)


def test_change_password_without_csrf_token_is_refused(client, world, login_as):
    login_as(world["maint_a"])
    response = client.post("/account/password", data={
        "current": PASSWORD, "new": "a-new-long-password", "repeat": "a-new-long-password"})
    assert response.status_code == 400
    assert world["maint_a"].check_password(PASSWORD)


def test_language_switch_translates_the_interface(client, world):
    client.post_form("/language", {"lang": "zh_CN", "back": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page
    assert 'lang="zh-CN"' in page


def test_language_switch_ignores_unknown_languages(client):
    client.post_form("/language", {"lang": "xx", "back": "/login"})
    assert 'lang="en"' in client.get("/login").get_data(as_text=True)


def test_notification_polling_does_not_keep_an_idle_session_alive(client, world, login_as):
    login_as(world["maint_a"])
    idle_since = (utcnow() - timedelta(minutes=20)).isoformat()
    with client.session_transaction() as session:
        session["seen_at"] = idle_since
    assert client.get_htmx("/notifications/badge").status_code == 200
    with client.session_transaction() as session:
        assert session["seen_at"] == idle_since
    client.get("/account/password")
    with client.session_transaction() as session:
        assert session["seen_at"] > idle_since


ELSEWHERE = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"},
             "headers": {"User-Agent": "Mozilla/5.0 (elsewhere)"}}


def test_a_kept_cookie_is_dead_after_logout_even_from_elsewhere(client, world, login_as):
    login_as(world["maint_a"])
    kept = client.get_cookie("portal_session").value
    assert client.post_form("/logout").status_code == 302
    client.set_cookie("portal_session", kept)
    response = client.get("/customers/", **ELSEWHERE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    client.set_cookie("portal_session", kept)
    response = client.get("/customers/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_rotates_the_session_token(client, world, login_as, db):
    login_as(world["maint_a"])
    before = world["maint_a"].session_token
    client.post_form("/logout")
    db.session.refresh(world["maint_a"])
    assert world["maint_a"].session_token != before


def test_a_session_used_from_another_address_and_browser_ends(client, world, login_as):
    login_as(world["maint_a"])
    response = client.get("/customers/", **ELSEWHERE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not is_logged_in(client)


def test_the_same_browser_keeps_its_session(client, world, login_as):
    login_as(world["maint_a"])
    assert client.get("/customers/").status_code == 200
    assert is_logged_in(client)


@pytest.fixture
def hash_checks(monkeypatch):
    """Count the password hash verifications login makes."""
    calls = []
    real = staff_module.check_password_hash

    def counting(pwhash, password):
        calls.append(password)
        return real(pwhash, password)
    monkeypatch.setattr(staff_module, "check_password_hash", counting)
    return calls


def test_unknown_username_still_verifies_a_password_hash(client, world, hash_checks):
    login(client, "nobody-by-this-name", "some-password")
    assert hash_checks == ["some-password"]


def test_wrong_password_verifies_one_hash_like_an_unknown_name(client, world, hash_checks):
    login(client, world["maint_a"].username, "some-password")
    assert hash_checks == ["some-password"]


def test_locked_and_inactive_accounts_still_verify_the_password(client, world, db,
                                                                hash_checks):
    world["maint_a"].locked_until = utcnow() + timedelta(minutes=5)
    world["maint_b"].active = False
    db.session.commit()
    login(client, world["maint_a"].username, "first-password")
    login(client, world["maint_b"].username, "second-password")
    assert hash_checks == ["first-password", "second-password"]
