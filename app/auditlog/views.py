"""The audit page: the trail of events in the viewer's scope, filtered and paged."""
from flask import current_app, request
from flask_login import current_user

from ..access import MANAGER_ROLES, roles_required
from ..htmx import render_htmx
from ..paging import Page
from . import bp, services
from .forms import AuditFilterForm

FILTER_ARGS = ("actor", "action", "object_type", "object_id", "date_from", "date_to")


@bp.route("/")
@roles_required(*MANAGER_ROLES)
def index():
    """List audit events newest first; htmx gets just the results (filtering and paging)."""
    form = AuditFilterForm(formdata=request.args)
    page = Page([], False, False)
    if form.validate():
        page = services.list_events(
            current_user, form.filters(), before_id=form.before.data,
            after_id=form.after.data, limit=current_app.config["PAGE_SIZE"])
    args = {name: request.args[name] for name in FILTER_ARGS if request.args.get(name)}
    return render_htmx("auditlog/index.html", "auditlog/_events_rows.html", form=form,
                       listing=page, rows=page.rows, args=args,
                       page_context=lambda: {"options": services.filter_options()})
