"""Authentication rules: throttling, lock-out, auditing every attempt."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit
from ..clock import utcnow
from ..errors import DomainError, Invalid
from ..extensions import db
from ..models import AuditEvent, Staff
from ..models.staff import verify_dummy_password

BAD_CREDENTIALS = _l("Invalid username or password.")


class LoginRefused(DomainError):
    """The login attempt failed; the message never tells which part was wrong."""

    status = 200
    default_message = BAD_CREDENTIALS


def _failures_from(ip, since):
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "login.failed", AuditEvent.ip == ip,
            AuditEvent.occurred_at >= since))


def _fail(staff, username, reason, message=BAD_CREDENTIALS):
    audit.record(staff, "login.failed", object_type="staff",
                 object_id=staff.id if staff else None, username=username, reason=reason)
    db.session.commit()
    raise LoginRefused(message)


def authenticate(username, password, ip):
    """Return the staff member for good credentials; otherwise audit and raise LoginRefused."""
    config = current_app.config
    now = utcnow()
    username = (username or "").strip().lower()
    if _failures_from(ip, now - config["LOGIN_LOCKOUT"]) >= config["LOGIN_IP_LIMIT"]:
        verify_dummy_password(password)
        _fail(None, username, "ip_throttled",
              _l("Too many failed attempts from this address. Try again later."))
    staff = db.session.scalar(select(Staff).where(func.lower(Staff.username) == username))
    if staff is None:
        verify_dummy_password(password)  # as slow as a wrong password: timing tells nothing
        _fail(None, username, "unknown_user")
    if staff.locked_until and staff.locked_until > now:
        staff.check_password(password)  # the same work whatever the account's state
        _fail(staff, username, "locked",
              _l("Too many failed attempts: this account is locked for a while."))
    if not staff.check_password(password):
        staff.failed_logins += 1
        if staff.failed_logins >= config["LOGIN_MAX_FAILURES"]:
            staff.locked_until = now + config["LOGIN_LOCKOUT"]
            staff.failed_logins = 0
        _fail(staff, username, "bad_password")
    if not staff.active:
        _fail(staff, username, "inactive")
    staff.failed_logins = 0
    staff.locked_until = None
    staff.last_login_at = now
    audit.record(staff, "login.succeeded", staff)
    db.session.commit()
    return staff


def record_logout(staff):
    """Audit a logout and rotate the session token, so a copy of the old cookie is dead."""
    staff.rotate_session_token()
    audit.record(staff, "logout", staff)
    db.session.commit()


def change_password(staff, current, new):
    """Change ``staff``'s password after checking the current one; ends every other session."""
    if not staff.check_password(current):
        raise Invalid(_l("The current password is wrong."))
    if current == new:
        raise Invalid(_l("Choose a password different from the current one."))
    staff.set_password(new)
    audit.record(staff, "staff.password_changed", staff)
    db.session.commit()
