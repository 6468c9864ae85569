"""Security headers, the strict CSP, error pages and the health check."""
import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db as _db

from ..own_database import app_on_own_database


def test_responses_carry_the_csp_and_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'", "style-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_of_logged_in_staff_are_not_cached(client, world, login_as):
    login_as(world["maint_a"])
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style(client, world, login_as):
    login_as(world["supervisor_a"])
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page and ' style="' not in page and "hx-on" not in page


def test_htmx_is_configured_without_eval_or_indicator_styles(client):
    page = client.get("/login").get_data(as_text=True)
    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "404" in response.get_data(as_text=True)


def test_htmx_error_is_a_fragment(client):
    response = client.get_htmx("/no-such-page")
    assert response.status_code == 404
    assert "<html" not in response.get_data(as_text=True)


def test_healthz_answers_200_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused at 10.0.0.5"))

    monkeypatch.setattr(_db.session, "execute", broken)
    monkeypatch.setattr(_db.session, "connection", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable",
                             "reason": "database unreachable or too slow"}


def test_livez_answers_while_the_process_is_up_even_without_a_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(_db.session, "execute", broken)
    response = client.get("/livez")
    assert response.status_code == 200 and response.json == {"status": "ok"}


@pytest.mark.parametrize("revision", [None, "0004"])
def test_healthz_answers_503_on_an_empty_or_outdated_database(tmp_path, revision):
    with app_on_own_database(tmp_path, lambda: None, "health", revision=revision) as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable",
                             "reason": "database schema is not at the current version"}


def test_healthz_answers_200_on_a_database_at_the_head(tmp_path):
    with app_on_own_database(tmp_path, lambda: None, "health") as app:
        response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_input_with_nul_characters_is_refused(client, world, login_as):
    login_as(world["maint_a"])
    assert client.get("/?q=a%00b").status_code == 400


def test_ids_too_large_for_the_database_are_not_found(client, world, login_as):
    login_as(world["supervisor_a"])
    assert client.get("/customers/99999999999").status_code == 404
