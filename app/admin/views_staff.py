"""Staff administration: list, create, edit, deactivate, reactivate, reset a password."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..access import roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error
from ..htmx import render_htmx
from ..models import Role
from . import bp, services
from .forms import (PasswordResetForm, StaffCreateForm, StaffEditForm,
                    StaffFilterForm)

FILTERS = ("q", "branch", "role", "active")
ACTIVE_VALUES = {"1": True, "0": False}


def _filters(form):
    """Return the valid filter values of ``form`` (an invalid one is ignored, with its error)."""
    form.validate()
    filters = {name: form[name].data.strip() for name in FILTERS
               if form[name].data and not form[name].errors}
    if not filters.get("branch", "").isdigit():  # a blank or odd value passes ``Optional``
        filters.pop("branch", None)
    return {name: value for name, value in filters.items() if value}


@bp.route("/staff")
@roles_required(Role.ADMIN)
def staff_list():
    """List staff with filters; htmx gets just the rows (filtering and paging)."""
    form = StaffFilterForm(services.branch_options(), formdata=request.args)
    filters = _filters(form)
    after = form.after.data if not form.after.errors else None
    rows, next_after = services.list_staff(
        current_user, branch_id=int(filters.get("branch", 0)), role=filters.get("role"),
        active=ACTIVE_VALUES.get(filters.get("active")), query=filters.get("q"), after=after,
        limit=current_app.config["PAGE_SIZE"])
    return render_htmx("admin/staff_list.html", "admin/_staff_rows.html", form=form,
                       rows=rows, filters=filters, after=after, next_after=next_after)


@bp.route("/staff/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def staff_create():
    """Create a staff member with an initial password."""
    form = StaffCreateForm(services.branch_options())
    if form.validate_on_submit():
        try:
            staff = services.create_staff(
                current_user, username=form.username.data, display_name=form.display_name.data,
                role=form.role.data, branch_id=form.branch_id.data, password=form.password.data,
                daily_capacity=form.daily_capacity.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("%(name)s can now log in as %(username)s.", name=staff.display_name,
                    username=staff.username), "success")
            return redirect(url_for("admin.staff_edit", staff_id=staff.id))
    return render_template("admin/staff_new.html", form=form)


def _edit_page(staff_id, form=None, password_form=None):
    """Render the staff page with its three forms (edit, password, status)."""
    staff, customers = services.staff_details(current_user, staff_id)
    form = form or StaffEditForm(services.branch_options(staff.branch_id), obj=staff,
                                 formdata=None)
    return render_template("admin/staff_edit.html", staff=staff, customers=customers,
                           form=form, password_form=password_form or PasswordResetForm(
                               formdata=None))


@bp.route("/staff/<int:staff_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def staff_edit(staff_id):
    """Show a staff member and change their name, role, branch or capacity."""
    if request.method == "GET":
        return _edit_page(staff_id)
    staff, _customers = services.staff_details(current_user, staff_id)
    form = StaffEditForm(services.branch_options(staff.branch_id))
    if form.validate_on_submit():
        try:
            changed = services.update_staff(
                current_user, staff_id, display_name=form.display_name.data,
                role=form.role.data, branch_id=form.branch_id.data,
                daily_capacity=form.daily_capacity.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.staff_edit", staff_id=staff_id))
    return _edit_page(staff_id, form=form)


@bp.route("/staff/<int:staff_id>/password", methods=["POST"])
@roles_required(Role.ADMIN)
def staff_password(staff_id):
    """Set a new password for a staff member; their sessions end and any lock-out lifts."""
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            staff = services.reset_password(current_user, staff_id, form.password.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("New password set for %(name)s; their open sessions have ended.",
                    name=staff.display_name), "success")
            return redirect(url_for("admin.staff_edit", staff_id=staff_id))
    return _edit_page(staff_id, password_form=form)


@bp.route("/staff/<int:staff_id>/deactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def staff_deactivate(staff_id):
    """Deactivate a staff member: they cannot log in and their sessions end."""
    try:
        customers = services.deactivate_staff(current_user, staff_id)
    except FieldInvalid as error:
        flash(error.message, "danger")
    else:
        flash(_("The account is deactivated and its sessions have ended."), "success")
        if customers:
            flash(ngettext("They still look after %(num)d customer: ask their supervisor to "
                           "hand it over to another maintainer.",
                           "They still look after %(num)d customers: ask their supervisor to "
                           "hand them over to another maintainer.", customers), "warning")
    return redirect(url_for("admin.staff_edit", staff_id=staff_id))


@bp.route("/staff/<int:staff_id>/reactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def staff_reactivate(staff_id):
    """Let a deactivated staff member log in again."""
    try:
        services.reactivate_staff(current_user, staff_id)
    except FieldInvalid as error:
        flash(error.message, "danger")
    else:
        flash(_("The account is active again."), "success")
    return redirect(url_for("admin.staff_edit", staff_id=staff_id))
