"""People: the five-dimension profile, the team heat map, training needs, certifications."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from .. import access, clock
from ..access import TRAINING_MANAGER_ROLES, TRAINING_VIEWER_ROLES, roles_required
from ..errors import FieldInvalid
from ..exports import export_response
from ..forms import apply_field_error
from . import bp, tables
from .forms import CertificationForm, RenewForm
from .services import catalogue, certifications, profile, scores, sessions

HISTORY_DAYS = 365


def _profile_page(staff_id):
    today = clock.today()
    person = profile.staff_profile(current_user, staff_id, today)
    labels, datasets = tables.radar_data(person)
    return render_template(
        "training/profile.html", profile=person, labels=labels, datasets=datasets,
        certifications=certifications.list_certifications(current_user, today,
                                                          staff_id=staff_id),
        assessments=scores.list_assessments(current_user, today - timedelta(HISTORY_DAYS),
                                            staff_id=staff_id, limit=20),
        today=today)


@bp.route("/me")
@login_required
def my_profile():
    """Show the signed-in staff member's own five dimensions, certifications and needs."""
    return _profile_page(current_user.id)


@bp.route("/staff/<int:staff_id>")
@login_required
def staff_profile(staff_id):
    """Show a staff member's five dimensions (404 outside the actor's scope)."""
    return _profile_page(staff_id)


@bp.route("/team")
@roles_required(*TRAINING_VIEWER_ROLES)
def team():
    """Show the team heat map: each maintainer's score in each dimension."""
    today = clock.today()
    return render_template("training/team.html", profiles=profile.heat_map(current_user, today),
                           targets=catalogue.targets())


@bp.route("/team/export")
@roles_required(*TRAINING_VIEWER_ROLES)
def team_export():
    """Download the team heat map as CSV or XLSX (``?format=xlsx``)."""
    fmt = request.args.get("format", "csv")
    header, rows = tables.heat_map_table(profile.heat_map(current_user, clock.today()))
    return export_response(fmt, "training-heat-map", header, rows)


@bp.route("/scores/export")
@roles_required(*TRAINING_VIEWER_ROLES)
def scores_export():
    """Download the last twelve months' scores of the staff in scope as CSV or XLSX."""
    fmt = request.args.get("format", "csv")
    since = clock.today() - timedelta(HISTORY_DAYS)
    header, rows = tables.scores_table(scores.list_assessments(current_user, since))
    return export_response(fmt, "training-scores", header, rows)


@bp.route("/needs")
@roles_required(*TRAINING_VIEWER_ROLES)
def needs():
    """List who needs what: each maintainer's dimensions below target and sessions to fill them."""
    return render_template("training/needs.html",
                           needs=profile.training_needs(current_user, clock.today()),
                           can_manage=access.can_manage_training(current_user))


def _expiry():
    value = request.args.get("expiry", "all")
    return value if value in certifications.EXPIRY_FILTERS else "all"


@bp.route("/certifications")
@roles_required(*TRAINING_VIEWER_ROLES)
def certification_list():
    """List the certifications of the staff in scope, filtered by expiry."""
    today, expiry = clock.today(), _expiry()
    return render_template("training/certifications.html", expiry=expiry, today=today,
                           filters=certifications.EXPIRY_FILTERS,
                           certifications=certifications.list_certifications(
                               current_user, today, expiry))


@bp.route("/certifications/export")
@roles_required(*TRAINING_VIEWER_ROLES)
def certification_export():
    """Download the filtered certifications as CSV or XLSX (``?format=xlsx``)."""
    fmt = request.args.get("format", "csv")
    today = clock.today()
    rows = certifications.list_certifications(current_user, today, _expiry())
    header, rows = tables.certifications_table(rows, today)
    return export_response(fmt, "certifications", header, rows)


@bp.route("/certifications/new", methods=["GET", "POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def certification_new():
    """Record a certification of a staff member in scope."""
    form = CertificationForm(staff_id=request.args.get("staff_id", type=int))
    form.staff_id.choices = [SelectChoice(s.id, f"{s.display_name} ({s.username})")
                             for s in profile.team(current_user)]
    form.type_id.choices = [SelectChoice(t.id, t.name) for t in catalogue.certification_types()]
    if form.validate_on_submit():
        try:
            certifications.record_certification(
                current_user, form.staff_id.data, form.type_id.data, form.number.data,
                form.obtained_on.data, clock.today())
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Certification recorded."), "success")
            return redirect(url_for("training.certification_list"), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("training/certification_form.html", form=form), status


@bp.route("/certifications/<int:certification_id>/renew", methods=["GET", "POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def certification_renew(certification_id):
    """Renew a certification: a new date obtained, and a new expiry."""
    certification = access.get_certification(current_user, certification_id)
    form = RenewForm()
    if form.validate_on_submit():
        try:
            certifications.renew_certification(current_user, certification_id, form.number.data,
                                               form.obtained_on.data, clock.today())
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Certification renewed."), "success")
            return redirect(url_for("training.certification_list"), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("training/certification_renew.html", form=form,
                           certification=certification), status


@bp.route("/needs/enrol", methods=["POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def needs_enrol():
    """Enrol a maintainer in a session from the needs list, then go back to it."""
    session = access.get_training_session(current_user,
                                          request.form.get("session_id", type=int) or 0)
    try:
        sessions.enrol(current_user, session, request.form.get("staff_id", type=int) or 0,
                       clock.today())
    except FieldInvalid as error:
        flash(error.message, "danger")
    else:
        flash(_("Enrolled in %(course)s.", course=session.course.title), "success")
    return redirect(url_for("training.needs"), 303)
