"""Service requests: the list with htmx filters and paging, its CSV export, opening, the report."""
from flask import (Response, current_app, flash, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..access import CUSTOMER_ROLES, MANAGER_ROLES, roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error
from ..htmx import UNPROCESSABLE, is_htmx, render_htmx
from ..sqlite import expect_write
from . import bp, services
from .forms import CustomerLookupForm, OpenRequestForm, RequestFilterForm
from .services import listing, report
from .texts import TEMPLATE_HELPERS


@bp.app_context_processor
def request_helpers():
    """Give every template the request labels and a customer's recent requests."""
    def recent_requests(customer):
        return listing.recent_for_customer(current_user, customer.id, clock.utcnow())
    return dict(TEMPLATE_HELPERS, sr_recent_requests=recent_requests)


def _filters():
    form = RequestFilterForm(request.args, url_for("service_requests.index"))
    filters, notices = form.cleaned()
    return form, filters, notices


@bp.route("/")
@roles_required(*CUSTOMER_ROLES)
def index():
    """List the requests in scope: filters by status, kind, assignee and SLA state; paging."""
    form, filters, notices = _filters()
    found = listing.list_requests(
        current_user, filters, clock.utcnow(), after=request.args.get("after", type=int),
        before=request.args.get("before", type=int),
        page_size=current_app.config["PAGE_SIZE"])
    # The rows fragment (htmx) shows no filters: only the full page loads their choices.
    form.set_assignees([] if is_htmx() else listing.scoped_assignees(current_user))
    return render_htmx("service_requests/index.html", "service_requests/_list_rows.html",
                       form=form, listing=found, notices=notices + found.notices,
                       link_args=filters.as_args())


@bp.route("/export.csv")
@roles_required(*CUSTOMER_ROLES)
def export():
    """Stream the filtered list as CSV (mobiles masked, no ID numbers); audited."""
    _form, filters, _notices = _filters()
    expect_write()  # the export is audited
    conditions = listing.start_export(current_user, filters, clock.utcnow())
    stamp = clock.today().isoformat()
    return Response(stream_with_context(listing.export_lines(conditions)),
                    mimetype="text/csv", headers={
                        "Content-Disposition":
                            f'attachment; filename="service-requests-{stamp}.csv"'})


def _lookup_page(form, status=200):
    return render_template("service_requests/lookup.html", form=form), status


def _open_page(form, context, status=200, allowance_exceeded=False):
    form.set_services(context.services)
    return render_template("service_requests/new.html", form=form, context=context,
                           customer=context.customer,
                           allowance_exceeded=allowance_exceeded), status


def _new_get():
    customer_id = request.args.get("customer_id", type=int)
    if customer_id is None and "customer_number" not in request.args:
        return _lookup_page(CustomerLookupForm(formdata=None))
    if customer_id is None:
        form = CustomerLookupForm(request.args)
        if form.validate():
            try:
                found = services.find_customer_by_number(current_user,
                                                         form.customer_number.data)
            except FieldInvalid as error:
                apply_field_error(form, error, "customer_number")
            else:
                return redirect(url_for("service_requests.new", customer_id=found))
        return _lookup_page(form, UNPROCESSABLE)
    context = services.opening_context(current_user, customer_id, clock.utcnow())
    return _open_page(OpenRequestForm(formdata=None, customer_id=customer_id), context)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CUSTOMER_ROLES)
def new():
    """Find the customer, then open a request for them (kind, channel, priority …)."""
    if request.method == "GET":
        return _new_get()
    form = OpenRequestForm()
    now = clock.utcnow()
    context = services.opening_context(current_user, form.customer_id.data, now)
    form.set_services(context.services)
    if not form.validate_on_submit():
        return _open_page(form, context, UNPROCESSABLE)
    try:
        opened = services.open_request(current_user, context.customer.id, form.values(), now)
    except services.AllowanceExceeded as error:
        form.service_id.errors = [error.message]
        return _open_page(form, context, UNPROCESSABLE, allowance_exceeded=True)
    except FieldInvalid as error:
        apply_field_error(form, error, "subject")
        return _open_page(form, context, UNPROCESSABLE)
    flash(_("Request #%(id)d opened for %(name)s.", id=opened.id, name=context.customer.name),
          "success")
    return redirect(url_for("service_requests.detail", request_id=opened.id))


@bp.route("/report")
@roles_required(*MANAGER_ROLES)
def sla_report():
    """Show SLA compliance and satisfaction by branch, kind and month (last six months)."""
    return render_template("service_requests/report.html",
                           report=report.compliance_report(current_user, clock.utcnow()))
