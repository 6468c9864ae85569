"""The trainer's home (the month calendar), the course catalogue and head office's targets."""
from flask import flash, redirect, render_template, request, url_for
from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..access import (TRAINING_MANAGER_ROLES, TRAINING_VIEWER_ROLES, roles_required,
                      staff_filter)
from ..errors import FieldInvalid, NotFound
from ..extensions import db
from ..forms import apply_field_error
from ..htmx import render_htmx
from ..models import Course, Role
from . import bp
from .forms import CourseForm, TargetsForm
from .services import catalogue, certifications, reminders, sessions


def calendar_context(actor, month_text):
    """Return what the month calendar needs: the month, its sessions, links and caption."""
    today = clock.today()
    month = sessions.parse_month(month_text, today)
    return {"month": month, "days": sessions.sessions_by_day(actor, month), "today": today,
            "caption": format_skeleton("yMMMM", month.first, locale=get_locale()),
            "prev_url": url_for("training.home", month=f"{month.previous:%Y-%m}"),
            "next_url": url_for("training.home", month=f"{month.next:%Y-%m}"),
            "today_url": url_for("training.home")}


@bp.route("/")
@login_required
def home():
    """Show the trainer's home: the month calendar (htmx switches months), what needs them now.

    A maintainer's training page is their own profile.
    """
    if current_user.has_role(Role.MAINTAINER):
        return redirect(url_for("training.my_profile"))
    context = calendar_context(current_user, request.args.get("month"))
    today = context["today"]
    return render_htmx(
        "training/home.html", "training/_calendar_month.html", **context,
        upcoming=sessions.upcoming_sessions(current_user, today),
        expiring=certifications.list_certifications(current_user, today, "60"),
        overdue=reminders.overdue_mandatory(today, staff_filter(current_user)))


@bp.route("/courses")
@roles_required(*TRAINING_VIEWER_ROLES)
def courses():
    """List the course catalogue, grouped by the five dimensions."""
    return render_template("training/courses.html", groups=catalogue.courses_by_dimension())


def _course_page(form, course=None):
    if form.is_submitted() and form.validate():
        try:
            saved = catalogue.save_course(current_user, form.values(),
                                          course.id if course else None)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Course %(code)s saved.", code=saved.code), "success")
            return redirect(url_for("training.courses"))
    status = 400 if form.is_submitted() else 200
    return render_template("training/course_form.html", form=form, course=course), status


@bp.route("/courses/new", methods=["GET", "POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def course_new():
    """Add a course to the catalogue."""
    return _course_page(CourseForm())


@bp.route("/courses/<int:course_id>", methods=["GET", "POST"])
@roles_required(*TRAINING_MANAGER_ROLES)
def course_edit(course_id):
    """Change a course of the catalogue."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise NotFound()
    form = CourseForm(obj=course)
    if not form.is_submitted():
        form.mandatory_roles.data = list(course.mandatory_for)
    return _course_page(form, course)


@bp.route("/targets", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def targets():
    """Head office sets the target score of each dimension (training needs fall below it)."""
    form = TargetsForm(data=catalogue.targets())
    if form.validate_on_submit():
        try:
            catalogue.save_targets(current_user, form.values())
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Targets saved."), "success")
            return redirect(url_for("training.targets"))
    status = 400 if form.is_submitted() else 200
    return render_template("training/targets.html", form=form), status
