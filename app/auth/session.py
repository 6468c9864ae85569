"""Flask-Login wiring: strong session protection and the rotating session token."""
from flask import session
from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..models import Staff


def load_staff(session_id):
    """Load the staff member of a session id ``"<id>:<token>"``; a stale token logs out."""
    staff_id, _, token = (session_id or "").partition(":")
    if not staff_id.isdigit() or not token:
        return None
    staff = db.session.get(Staff, int(staff_id))
    if staff is None or not staff.active or staff.session_token != token:
        return None
    return staff


def protect_session():
    """End a session used from another address or browser than the one that logged in.

    Flask-Login's "strong" mode only marks permanent sessions as not fresh, and portal
    sessions are permanent (for the absolute lifetime), so the check is made here: a cookie
    replayed elsewhere finds an empty session and is sent to the login page.
    """
    if "_user_id" not in session:
        return
    if session.get("_id") != login_manager._session_identifier_generator():
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang


def init_login(app):
    """Configure the login manager: strong protection, no remember-me, a login page."""
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_staff)
    app.before_request(protect_session)
