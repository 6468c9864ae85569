"""Head-office settings: tier thresholds and the value-added services of each tier."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error
from ..labels import TIER_LABELS
from ..models import Role
from ..tiers import thresholds
from . import bp, services
from .forms import ServiceCreateForm, ServiceEditForm, thresholds_form


@bp.route("/tiers", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def tiers():
    """Show and change the AUM threshold and contact interval of every tier."""
    current = thresholds()
    form = thresholds_form(current)
    if form.validate_on_submit():
        try:
            changed = services.save_thresholds(current_user, form.values())
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Tier thresholds saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.tiers"))
    return render_template("admin/tiers.html", form=form, current=current)


@bp.route("/services")
@roles_required(Role.ADMIN)
def service_list():
    """List the value-added services grouped by tier."""
    return render_template("admin/service_list.html", groups=services.services_by_tier())


@bp.route("/services/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def service_create():
    """Offer a new value-added service to one tier."""
    form = ServiceCreateForm()
    if form.validate_on_submit():
        try:
            service = services.create_service(
                current_user, tier=form.tier.data, code=form.code.data, name=form.name.data,
                yearly_allowance=form.yearly_allowance.data)
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("%(name)s is now offered to %(tier)s customers.", name=service.name,
                    tier=TIER_LABELS[service.tier]), "success")
            return redirect(url_for("admin.service_list"))
    return render_template("admin/service_new.html", form=form)


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def service_edit(service_id):
    """Rename a value-added service or change its yearly allowance."""
    service = services.get_service(service_id)
    form = ServiceEditForm(obj=service)
    if form.validate_on_submit():
        changed = services.update_service(current_user, service_id, name=form.name.data,
                                          yearly_allowance=form.yearly_allowance.data)
        flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("admin.service_list"))
    return render_template("admin/service_edit.html", form=form, service=service)


@bp.route("/services/<int:service_id>/deactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def service_deactivate(service_id):
    """Withdraw a value-added service (existing bookings stay)."""
    service = services.set_service_active(current_user, service_id, False)
    flash(_("%(name)s is withdrawn.", name=service.name), "success")
    return redirect(url_for("admin.service_list"))


@bp.route("/services/<int:service_id>/reactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def service_reactivate(service_id):
    """Offer a withdrawn value-added service again."""
    service = services.set_service_active(current_user, service_id, True)
    flash(_("%(name)s is offered again.", name=service.name), "success")
    return redirect(url_for("admin.service_list"))
