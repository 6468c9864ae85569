"""Login, logout, lock-out, session rotation and safe redirects."""
from sqlalchemy import select

from app.models import AuditEvent

from ..helpers import PASSWORD


def actions(db):
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_login_succeeds_and_is_audited(client, world, db):
    response = client.post_form("/login", {"username": world["maint_a"].username,
                                           "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "login.succeeded" in actions(db)
