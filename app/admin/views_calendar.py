"""Head office's working-day calendar: entries over the official days; add, correct, remove."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..access import roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error
from ..models import Role
from . import bp
from .services import calendar as services
from .forms_calendar import CalendarDayForm


def _page(form, year):
    """Render the calendar page of ``year`` with ``form`` (the add form, maybe with errors)."""
    year = services.clamp_year(year, clock.today())
    return render_template("admin/calendar.html", form=form,
                           calendar=services.calendar_year(year))


@bp.route("/calendar")
@roles_required(Role.ADMIN)
def calendar():
    """Show one year's calendar entries and the official holidays; the form adds a day."""
    return _page(CalendarDayForm(), request.args.get("year", type=int))


@bp.route("/calendar", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_add():
    """Enter a holiday or a make-up working day."""
    form = CalendarDayForm()
    if form.validate_on_submit():
        try:
            entry = services.add_calendar_day(current_user, day=form.day.data,
                                              kind=form.kind.data, name=form.name.data,
                                              note=form.note.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("%(day)s is in the calendar.", day=entry.day.isoformat()), "success")
            return redirect(url_for("admin.calendar", year=entry.day.year))
    return _page(form, form.day.data.year if form.day.data else None)


@bp.route("/calendar/<int:day_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def calendar_edit(day_id):
    """Correct one entry of the calendar."""
    entry = services.get_calendar_day(day_id)
    form = CalendarDayForm(obj=entry)
    if form.validate_on_submit():
        try:
            changed = services.update_calendar_day(
                current_user, day_id, day=form.day.data, kind=form.kind.data,
                name=form.name.data, note=form.note.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.calendar", year=form.day.data.year))
    return render_template("admin/calendar_edit.html", form=form, entry=entry)


@bp.route("/calendar/<int:day_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def calendar_remove(day_id):
    """Remove an entry: the official calendar decides that day again."""
    entry = services.remove_calendar_day(current_user, day_id)
    flash(_("%(day)s is no longer in head office's calendar.", day=entry.day.isoformat()),
          "success")
    return redirect(url_for("admin.calendar", year=entry.day.year))
