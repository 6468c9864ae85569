"""Head-office SLA settings: the kind × priority targets and each tier's share of them."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error
from ..htmx import UNPROCESSABLE
from ..models import RequestKind, RequestPriority, Role, Tier
from ..service_requests.services import sla
from . import bp
from .forms_sla import sla_form


@bp.route("/sla", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def sla_settings():
    """Show and change the SLA targets (in hours) and the tier percentages."""
    targets, percents = sla.sla_settings()
    form = sla_form(targets, percents, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            changed = sla.save_sla_settings(current_user, form.targets(), form.percents())
        except FieldInvalid as error:
            apply_field_error(form, error)
        else:
            flash(_("Service levels saved. Requests opened from now on use them.")
                  if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.sla_settings"))
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render_template("admin/sla.html", form=form, kinds=RequestKind.ALL,
                           priorities=RequestPriority.ALL, tiers=Tier.ALL,
                           target_field=sla.target_field), status
