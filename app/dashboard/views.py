"""Home page and health check."""
from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from ..extensions import db
from ..models import Role
from . import bp, services


@bp.route("/")
@login_required
def home():
    """Show the summary that fits the staff member's role (a maintainer's home is the queue)."""
    if current_user.role == Role.MAINTAINER:
        return redirect(url_for("tasks.queue"))
    today = clock.today()
    summary = services.home_summary(current_user, today)
    return render_template("dashboard/home.html", summary=summary, today=today)


@bp.route("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 otherwise (for load balancers)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
