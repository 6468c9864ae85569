"""Customer list, the customer 360 page, reveal of personal data, reassignment."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import clock
from ..access import CUSTOMER_ROLES, MANAGER_ROLES, roles_required
from ..htmx import is_htmx, page_or_fragment, render_htmx
from ..routing import local_path
from ..tasks import services as task_services
from . import bp, services
from .forms import CustomerFilterForm, ReassignForm, RevealForm


@bp.route("/")
@roles_required(*CUSTOMER_ROLES)
def index():
    """List the customers in scope: live search, filters, keyset paging."""
    form = CustomerFilterForm(request.args, url_for("customers.index"))
    filters, notices = form.cleaned()
    listing = services.list_customers(
        current_user, **filters, after=request.args.get("after", type=int),
        before=request.args.get("before", type=int),
        page_size=current_app.config["PAGE_SIZE"])
    # The rows fragment (htmx) shows no filters: only the full page loads their choices.
    options = services.NO_LIST_OPTIONS if is_htmx() else services.list_options(current_user)
    form.set_options(options.maintainers, options.branches)
    reassign_form = None
    if current_user.has_role(*MANAGER_ROLES):
        reassign_form = ReassignForm(formdata=None).set_targets(options.reassign_targets)
    link_args = {name: value for name, value in filters.items() if value not in (None, "")}
    return render_htmx("customers/index.html", "customers/_list_rows.html",
                       form=form, listing=listing, notices=notices + listing.notices,
                       link_args=link_args, reassign_form=reassign_form,
                       is_manager=current_user.has_role(*MANAGER_ROLES))


def render_detail(customer_id, reveal_form=None, revealed=None):
    """Render the customer page; ``revealed`` maps a field to its unmasked value."""
    today = clock.today()
    view = services.customer_360(current_user, customer_id, today)
    forms = {name: RevealForm(formdata=None).for_field(name)
             for name in services.REVEALABLE_FIELDS}
    if reveal_form is not None:
        forms[reveal_form.field.data] = reveal_form
    reassign_form = None
    if current_user.has_role(*MANAGER_ROLES):
        reassign_form = ReassignForm(
            formdata=None, maintainer_id=view.customer.maintainer_id,
        ).set_targets(view.reassign_targets)
    return render_template("customers/detail.html", view=view, customer=view.customer,
                           reveal_forms=forms, revealed=revealed or {},
                           reassign_form=reassign_form,
                           activity=task_services.customer_activity(current_user, view.customer,
                                                                    today))


@bp.route("/<int:customer_id>")
@roles_required(*CUSTOMER_ROLES)
def detail(customer_id):
    """Show the 360 view of one customer, personal data masked."""
    return render_detail(customer_id)


@bp.route("/<int:customer_id>/reveal", methods=["POST"])
@roles_required(*CUSTOMER_ROLES)
def reveal(customer_id):
    """Reveal one unmasked field for a stated reason (audited); htmx gets the field only."""
    form = RevealForm()
    if not form.revealable:
        abort(400)
    field_name = form.field.data
    form.for_field(field_name)
    reason = form.reason.data if form.validate_on_submit() else None
    try:
        customer, value = services.reveal_personal_data(
            current_user, customer_id, field_name, reason, today=clock.today(),
            now=clock.utcnow())
    except services.RevealRefused as refused:
        customer, value = refused.customer, None
        if not form.reason.errors:
            form.reason.errors.append(refused.message)
    return page_or_fragment(
        lambda: render_detail(customer_id, form, {field_name: value} if value else None),
        lambda: render_template("customers/_detail_reveal.html", customer=customer,
                                field_name=field_name, form=form, value=value))


def back_url(target):
    """Return ``target`` if it is a customers page of this site, else the customer list."""
    index = url_for("customers.index")
    path = local_path(target)
    return path if path and path.startswith(index) and "//" not in path else index


def flash_result(result):
    """Flash what a reassignment did."""
    name = result.maintainer.display_name
    if result.moved:
        flash(ngettext("%(num)d customer reassigned to %(name)s.",
                       "%(num)d customers reassigned to %(name)s.", result.moved, name=name),
              "success")
    if result.unchanged:
        flash(ngettext("%(num)d customer was already looked after by %(name)s.",
                       "%(num)d customers were already looked after by %(name)s.",
                       result.unchanged, name=name), "info")


@bp.route("/reassign", methods=["POST"])
@roles_required(*MANAGER_ROLES)
def reassign():
    """Move the selected customers to another maintainer, then go back where we came from."""
    form = ReassignForm()
    if form.validate_on_submit():
        try:
            result = services.reassign_customers(
                current_user, form.customer_ids.data, form.maintainer_id.data)
        except services.ReassignRefused as error:
            flash(error.message, "danger")
        else:
            flash_result(result)
    else:
        for errors in form.errors.values():
            flash(_("Nothing was reassigned: %(reason)s", reason=errors[0]), "danger")
    return redirect(back_url(request.form.get("back")))
