"""Home page and health check."""
from flask import render_template
from flask_login import login_required
from sqlalchemy import text

from ..extensions import db
from . import bp


@bp.route("/")
@login_required
def home():
    """Show the role's summary."""
    return render_template("dashboard/home.html")


@bp.route("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
