"""The page of one service request: SLA clocks, timeline, and the actions on it.

Every action answers htmx with the request's panel (the page includes the same fragment):
with a confirmation, with the form's errors (422), or, when the request changed meanwhile,
with a warning and the request as it is now (409). Without htmx a success redirects to the
page and a failure renders the whole page with the same status.
"""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..access import CONTACT_ROLES, CUSTOMER_ROLES, roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error, first_input
from ..htmx import EVENTS, UNPROCESSABLE, htmx_or_redirect, render_htmx, trigger
from . import bp, services
from .forms import AssignForm, CommentForm, SatisfactionForm, StatusForm
from ..labels import REQUEST_STATUS_LABELS, label
from .services import callbacks, workflow
from .services.detail import request_view

FORMS = {"status": StatusForm, "assign": AssignForm, "note": CommentForm,
         "satisfaction": SatisfactionForm}


def blank_forms(view):
    """Return fresh action forms for the request at its current version."""
    version = view.request.version
    forms = {name: form_class(formdata=None, prefix=name,
                              **({"version": version} if name in ("status", "assign") else {}))
             for name, form_class in FORMS.items()}
    forms["assign"].set_assignees(view.assignees, view.request.assignee_id)
    return forms


def panel(request_id, view=None, posted=None, message=None, level="success", status=200):
    """Render the request page, or just its panel for htmx; ``posted`` = (name, form as sent)."""
    view = view or request_view(current_user, request_id, clock.utcnow())
    forms = blank_forms(view)
    if posted is not None:
        name, form = posted
        forms[name] = form
        if name == "assign":
            form.set_assignees(view.assignees, view.request.assignee_id)
    response = render_htmx("service_requests/detail.html", "service_requests/_detail_panel.html",
                           view=view, sr=view.request, forms=forms, message=message,
                           level=level)
    response.status_code = status
    return response


def done(request_id, message):
    """Answer a successful change: the refreshed panel (htmx) or a redirect to the page."""
    return htmx_or_redirect(
        lambda: trigger(panel(request_id, message=message), EVENTS.SERVICE_REQUESTS),
        url_for("service_requests.detail", request_id=request_id), message)


def shown(view, name):
    """Tell whether the panel of ``view`` shows the action form ``name``."""
    return {"status": bool(view.transitions), "assign": bool(view.assignees),
            "satisfaction": view.may_record_satisfaction}.get(name, True)


def failed(request_id, name, form, error):
    """Answer a refused change: the form's errors (422), or the current state (409).

    When the request's state no longer offers that form, the message goes above the panel.
    """
    if isinstance(error, services.RequestConflict):
        view = request_view(current_user, request_id, clock.utcnow(), error.request)
        return panel(request_id, view=view, message=error.message, level="warning", status=409)
    view = request_view(current_user, request_id, clock.utcnow())
    if not shown(view, name):
        return panel(request_id, view=view, message=error.message, level="danger",
                     status=UNPROCESSABLE)
    apply_field_error(form, error, first_input(form))
    return panel(request_id, view=view, posted=(name, form), status=UNPROCESSABLE)


def invalid(request_id, name, form):
    """Answer a form that failed its own validation (422, nothing changed)."""
    return panel(request_id, posted=(name, form), status=UNPROCESSABLE)


@bp.route("/<int:request_id>")
@roles_required(*CUSTOMER_ROLES)
def detail(request_id):
    """Show one request: its fields, SLA clocks, timeline and actions."""
    return panel(request_id)


@bp.route("/<int:request_id>/status", methods=["POST"])
@roles_required(*CUSTOMER_ROLES)
def change_status(request_id):
    """Move the request along its workflow (only legal moves; cancelling needs a reason)."""
    form = StatusForm(prefix="status")
    if not form.validate_on_submit():
        return invalid(request_id, "status", form)
    try:
        changed = workflow.change_status(current_user, request_id, form.version.data,
                                         form.to_status.data, form.comment.data,
                                         clock.utcnow(), clock.today())
    except (FieldInvalid, services.RequestConflict) as error:
        return failed(request_id, "status", form, error)
    return done(request_id, _("Request #%(id)d is now %(status)s.", id=changed.id,
                              status=label(REQUEST_STATUS_LABELS, changed.status)))


@bp.route("/<int:request_id>/assign", methods=["POST"])
@roles_required(*CUSTOMER_ROLES)
def assign(request_id):
    """Assign or reassign the request to an active colleague of its branch."""
    form = AssignForm(prefix="assign")
    if not form.validate_on_submit():
        return invalid(request_id, "assign", form)
    try:
        changed = workflow.assign_request(current_user, request_id, form.version.data,
                                          form.assignee_id.data, clock.utcnow())
    except (FieldInvalid, services.RequestConflict) as error:
        return failed(request_id, "assign", form, error)
    return done(request_id, _("Request #%(id)d assigned to %(name)s.", id=changed.id,
                              name=changed.assignee.display_name))


@bp.route("/<int:request_id>/comments", methods=["POST"])
@roles_required(*CUSTOMER_ROLES)
def comment(request_id):
    """Add a comment to the request's timeline."""
    form = CommentForm(prefix="note")
    if not form.validate_on_submit():
        return invalid(request_id, "note", form)
    try:
        workflow.add_comment(current_user, request_id, form.comment.data, clock.utcnow())
    except (FieldInvalid, services.RequestConflict) as error:
        return failed(request_id, "note", form, error)
    return done(request_id, _("Comment added."))


@bp.route("/<int:request_id>/satisfaction", methods=["POST"])
@roles_required(*CONTACT_ROLES)
def satisfaction(request_id):
    """Record the customer's satisfaction; completes the open call-back task, if any."""
    form = SatisfactionForm(prefix="satisfaction")
    if not form.validate_on_submit():
        return invalid(request_id, "satisfaction", form)
    try:
        callbacks.record_satisfaction(current_user, request_id, form.score.data,
                                      form.comment.data, clock.utcnow(), clock.today())
    except (FieldInvalid, services.RequestConflict) as error:
        return failed(request_id, "satisfaction", form, error)
    response = done(request_id, _("Satisfaction recorded: %(score)d of 5.",
                                  score=form.score.data))
    return trigger(response, EVENTS.TASKS)
