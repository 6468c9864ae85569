"""Security headers, the strict CSP and the session timeouts of DESIGN §4."""
from datetime import datetime

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from .clock import utcnow

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(response):
    """Set the CSP and hardening headers; pages for logged-in staff are never cached."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_user.is_authenticated and not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _expired(stamp, limit, now):
    if not stamp:
        return True
    return now - datetime.fromisoformat(stamp) > limit


# Requests the page makes by itself (polling): they must not count as the person being active.
BACKGROUND_ENDPOINTS = {"static", "notifications.badge"}


def enforce_session_timeouts(app):
    """Log out a session idle past the inactivity timeout or older than its absolute lifetime.

    Background polling is checked like any request but does not renew the inactivity timer.
    """
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    now = utcnow()
    if (_expired(session.get("seen_at"), app.config["INACTIVITY_TIMEOUT"], now)
            or _expired(session.get("login_at"), app.config["ABSOLUTE_SESSION_LIFETIME"], now)):
        logout_user()
        session.clear()
        flash(_("Your session has expired. Please log in again."), "warning")
        if request.headers.get("HX-Request"):
            response = app.response_class(status=204)
            response.headers["HX-Redirect"] = url_for("auth.login")
            return response
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if request.endpoint not in BACKGROUND_ENDPOINTS:
        session["seen_at"] = now.isoformat()
    return None


def refuse_nul_characters():
    """Answer 400 to input with NUL characters, which no field accepts and databases reject."""
    for values in (request.args, request.form):
        if any("\x00" in value for _, items in values.lists() for value in items):
            abort(400)


def register_security(app):
    """Install the input check, the session timeout check and the response headers."""
    app.before_request(refuse_nul_characters)
    app.before_request(lambda: enforce_session_timeouts(app))
    app.after_request(add_security_headers)
