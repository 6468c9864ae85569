"""Sessions: planning one, its page with the roll call, enrolment, and the score grid."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import access, clock
from ..access import TRAINING_MANAGER_ROLES, roles_required
from ..clock import utcnow
from ..errors import FieldInvalid
from ..exports import export_response
from ..forms import apply_field_error
from ..htmx import is_htmx, render_htmx, trigger
from ..models import Role
from . import bp, tables
from .forms import SessionForm
from .services import catalogue, scores, sessions


def _session_context(session, **extra):
    today = clock.today()
    return {"session": session, "roster": sessions.roster(session),
            "scores": sessions.scores_of(session), "today": today,
            "can_manage": access.can_manage_training(current_user), **extra}


@bp.route("/sessions/new", methods=["GET", "POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def session_new():
    """Plan a session of a course."""
    form = SessionForm()
    form.course_id.choices = [SelectChoice(c.id, f"{c.code} · {c.title}")
                              for c in catalogue.active_courses()]
    form.branch_id.choices = [SelectChoice(b.id, f"{b.code} · {b.name}")
                              for b in sessions.session_branches(current_user)]
    if form.validate_on_submit():
        try:
            session = sessions.plan_session(current_user, form.values(), clock.today())
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Session planned."), "success")
            return redirect(url_for("training.session_page", session_id=session.id), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("training/session_form.html", form=form), status


@bp.route("/sessions/<int:session_id>")
@login_required
def session_page(session_id):
    """Show a session: its details, the roll call and the scores entered."""
    session = access.get_training_session(current_user, session_id)
    return render_template("training/session.html", **_session_context(session))


def _back_to_session(session, error=None):
    """Answer a plain (non-htmx) form post: the message, then the session page again."""
    if error:
        flash(error, "danger")
    return redirect(url_for("training.session_page", session_id=session.id), 303)


def _roll_call(session, error=None, status=200):
    if not is_htmx():
        return _back_to_session(session, error)
    response = render_htmx("training/session.html", "training/_roll_call_panel.html",
                           **_session_context(session, error=error))
    response.status_code = status
    return response


@bp.route("/sessions/<int:session_id>/people")
@roles_required(*TRAINING_MANAGER_ROLES)
def people_search(session_id):
    """Staff in scope matching the typed name, to enrol or add as walk-ins (a fragment)."""
    session = access.get_training_session(current_user, session_id)
    found = sessions.search_staff(current_user, request.args.get("q"))
    return render_template("training/_people_results.html", session=session, found=found)


@bp.route("/sessions/<int:session_id>/people", methods=["POST"])
@roles_required(Role.MAINTAINER, *TRAINING_MANAGER_ROLES)
def people_add(session_id):
    """Enrol a person (a planned session ahead) or add a walk-in (the day of the roll call).

    A maintainer may only ask for a place for themselves.
    """
    session = access.get_training_session(current_user, session_id)
    today = clock.today()
    staff_id = request.form.get("staff_id", type=int) or 0
    try:
        if session.held_on > today or not access.can_manage_training(current_user):
            sessions.enrol(current_user, session, staff_id, today)
        else:
            sessions.add_walk_in(current_user, session, staff_id, today)
    except FieldInvalid as error:
        return _roll_call(session, error.message, 422)
    if not access.can_manage_training(current_user):
        flash(_("You are enrolled."), "success")
        return redirect(url_for("training.session_page", session_id=session.id), 303)
    return trigger(_roll_call(session), "roll-changed")


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def mark(session_id):
    """Mark one person (``staff_id``) present, absent or excused; answer their roll-call row."""
    session = access.get_training_session(current_user, session_id)
    staff_id = request.form.get("staff_id", type=int) or 0
    try:
        attendance = sessions.mark_attendance(current_user, session, staff_id,
                                              request.form.get("status"), clock.today(),
                                              utcnow())
    except FieldInvalid as error:
        return _roll_call(session, error.message, 422)
    if not is_htmx():
        return _back_to_session(session)
    response = render_htmx("training/session.html", "training/_roll_call_row.html",
                           session=session, row=attendance, can_manage=True,
                           today=clock.today())
    return trigger(response, "roll-changed")


@bp.route("/sessions/<int:session_id>/all-present", methods=["POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def all_present(session_id):
    """Mark everyone still only enrolled present in one action; answer the roll call."""
    session = access.get_training_session(current_user, session_id)
    try:
        sessions.mark_all_present(current_user, session, clock.today(), utcnow())
    except FieldInvalid as error:
        return _roll_call(session, error.message, 422)
    return trigger(_roll_call(session), "roll-changed")


@bp.route("/sessions/<int:session_id>/scores")
@login_required
def score_grid(session_id):
    """Show the score grid of the people present (a fragment for htmx, refreshed by the roll)."""
    session = access.get_training_session(current_user, session_id)
    return render_htmx("training/session.html", "training/_score_grid.html",
                       **_session_context(session))


@bp.route("/sessions/<int:session_id>/scores", methods=["POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def score_save(session_id):
    """Save one row of the score grid (``staff_id``, ``score``); answer the row (422 if refused)."""
    session = access.get_training_session(current_user, session_id)
    staff_id = request.form.get("staff_id", type=int) or 0
    person = access.get_staff(current_user, staff_id)
    raw = request.form.get("score", "")
    try:
        assessment = scores.record_score(current_user, session, staff_id, raw)
    except FieldInvalid as error:
        if not is_htmx():
            return _back_to_session(session, error.message)
        response = render_htmx("training/session.html", "training/_score_row.html",
                               session=session, person=person, assessment=None, value=raw,
                               error=error.message)
        response.status_code = 422
        return response
    if not is_htmx():
        return _back_to_session(session)
    return render_htmx("training/session.html", "training/_score_row.html", session=session,
                       person=person, assessment=assessment, value=assessment.score,
                       saved=True)


@bp.route("/sessions/<int:session_id>/export")
@roles_required(*access.TRAINING_VIEWER_ROLES)
def attendance_export(session_id):
    """Download the session's attendance and scores as CSV or XLSX (``?format=xlsx``)."""
    session = access.get_training_session(current_user, session_id)
    fmt = request.args.get("format", "csv")
    header, rows = tables.attendance_table(session, sessions.roster(session),
                                           sessions.scores_of(session))
    return export_response(fmt, f"attendance-{session.id}", header, rows)
