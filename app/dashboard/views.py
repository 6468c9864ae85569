"""Home page and health check."""
from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from .. import clock
from ..health import check_health
from ..models import Role
from . import bp, services


@bp.route("/")
@login_required
def home():
    """Show the summary that fits the staff member's role.

    A maintainer's home is the queue, a trainer's the training calendar.
    """
    if current_user.has_role(Role.MAINTAINER):
        return redirect(url_for("tasks.queue"))
    if current_user.has_role(Role.TRAINER):
        return redirect(url_for("training.home"))
    today = clock.today()
    summary = services.home_summary(current_user, today)
    return render_template("dashboard/home.html", summary=summary, today=today)


@bp.route("/livez")
def livez():
    """Answer 200 while the process answers at all (liveness: restart it when this fails)."""
    return {"status": "ok"}, 200


@bp.route("/healthz")
def healthz():
    """Answer 200 when pages can work, else 503 with a reason (readiness, load balancers)."""
    healthy, reason = check_health()
    if not healthy:
        return {"status": "unavailable", "reason": reason}, 503
    return {"status": "ok"}, 200
