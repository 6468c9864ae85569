"""Staff members: one role, one branch, a password and a rotating session token."""
import secrets
from datetime import datetime
from typing import Optional

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .branch import Branch


class Role:
    """The four roles of DESIGN §1."""

    MAINTAINER = "maintainer"
    TRAINER = "trainer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    ALL = (MAINTAINER, TRAINER, SUPERVISOR, ADMIN)


_DUMMY_HASHES = {}


def verify_dummy_password(password):
    """Check ``password`` against a throw-away hash and return False.

    Login runs this when there is no real hash to check (unknown username), so the answer
    takes as long as for a known name with a wrong password and timing tells nothing.
    """
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password or "")
    return False


def new_session_token():
    """Return a fresh random session token."""
    return secrets.token_urlsafe(24)


class Staff(UserMixin, db.Model):
    """A member of staff who logs in to the portal."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    daily_capacity: Mapped[int] = mapped_column(default=25)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[Optional[datetime]]
    last_login_at: Mapped[Optional[datetime]]

    branch: Mapped[Branch] = relationship()

    def get_id(self):
        """Identify the session by id and token, so rotating the token ends every session."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        """Deactivated staff cannot log in or keep a session."""
        return self.active

    def set_password(self, password):
        """Store a scrypt hash of ``password`` and end every open session."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.rotate_session_token()

    def check_password(self, password):
        """Tell whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self):
        """Give the staff member a new token, which logs out every existing session."""
        self.session_token = new_session_token()

    def has_role(self, *roles):
        """Tell whether the staff member holds one of ``roles``."""
        return self.role in roles

    def __repr__(self):
        return f"<Staff {self.username}>"
