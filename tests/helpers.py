"""Helpers shared by the tests: the test password, a CSRF-aware client, valid ID numbers."""
import re
from datetime import date

from flask import g, has_app_context
from flask.testing import FlaskClient

from app.extensions import db

from app.personal_data import id_check_code

PASSWORD = "correct-horse-battery"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class PortalClient(FlaskClient):
    """Test client that knows the CSRF token of its session and can send htmx requests."""

    csrf_token = None

    def open(self, *args, **kwargs):
        """Run one request as in production: fresh per-request state, only commits persist.

        The test's app context stays pushed (so the request shares the test's session and
        rolled-back transaction); ``g`` is emptied first, and whatever the request left
        uncommitted is rolled back afterwards, so a forgotten commit fails the test.
        """
        if not has_app_context():
            return super().open(*args, **kwargs)
        db.session.commit()
        vars(g).clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            db.session.rollback()

    def fetch_csrf(self, path="/login"):
        """Read the CSRF token from a page of the current session."""
        page = self.get(path, follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token on {path}"
        self.csrf_token = match.group(1)
        return self.csrf_token

    def post_form(self, url, data=None, htmx=False, **kwargs):
        """POST ``data`` with the session's CSRF token (and ``HX-Request`` when htmx)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token or self.fetch_csrf())
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.post(url, data=data, headers=headers, **kwargs)

    def get_htmx(self, url, **kwargs):
        """GET ``url`` as htmx does."""
        return self.get(url, headers={"HX-Request": "true"}, **kwargs)


def resident_id(n, birth=date(1980, 5, 17)):
    """Return a valid 18-digit resident ID number for sequence ``n``."""
    first17 = f"310101{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_code(first17)


def html(response):
    """Return the body of ``response`` as text."""
    return response.get_data(as_text=True)


def reload(record):
    """Return ``record`` as the database has it now (after a request committed a change)."""
    db.session.expire_all()
    return db.session.get(type(record), record.id)
