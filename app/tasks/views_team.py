"""The supervisor's team view, a maintainer's tasks with reassignment, portfolio handover."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import clock
from ..access import MANAGER_ROLES, roles_required
from ..errors import FieldInvalid
from ..htmx import UNPROCESSABLE, htmx_or_redirect
from . import bp, services
from .forms import HandoverConfirmForm, HandoverForm, ReassignTaskForm
from .services import handover as services_handover
from .services import team as services_team
from .views import row_removed


@bp.route("/team")
@roles_required(*MANAGER_ROLES)
def team():
    """Show each maintainer's workload and contact coverage."""
    today = clock.today()
    return render_template("tasks/team.html", members=services_team.team_overview(
        current_user, today), today=today)


@bp.route("/team/<int:staff_id>")
@roles_required(*MANAGER_ROLES)
def member(staff_id):
    """List one maintainer's pending tasks, each with a reassign control."""
    view = services_team.member_tasks(current_user, staff_id, clock.today())
    return render_template("tasks/member.html", view=view)


def back_to_member():
    """Return the URL of the maintainer's task list the form came from (else the team)."""
    staff_id = request.form.get("back_staff_id", type=int)
    return url_for("tasks.member", staff_id=staff_id) if staff_id else url_for("tasks.team")


def reassign_row(task_id, message, status):
    """Re-render a member-page row with ``message`` (a refused or stale reassignment)."""
    row, targets = services_team.task_row(current_user, task_id, clock.today())
    return make_response(render_template("tasks/_member_row.html", row=row, targets=targets,
                                         error=message), status)


@bp.route("/<int:task_id>/reassign", methods=["POST"])
@roles_required(*MANAGER_ROLES)
def reassign(task_id):
    """Give a task to another maintainer; the row leaves the maintainer's list."""
    form = ReassignTaskForm()
    status, message = UNPROCESSABLE, None
    if form.validate_on_submit():
        try:
            task, target = services_team.reassign_task(
                current_user, task_id, form.version.data, form.maintainer_id.data)
        except FieldInvalid as error:
            message = error.message
        except services.TaskConflict as error:
            status, message = 409, error.message
        else:
            text = _("Task for %(customer)s reassigned to %(name)s.",
                     customer=task.customer.name, name=target.display_name)
            return htmx_or_redirect(lambda: row_removed(task, text), back_to_member(), text)
    else:
        message = form.first_error()
    return htmx_or_redirect(lambda: reassign_row(task_id, message, status), back_to_member(),
                            message, "danger")


# --- portfolio handover ------------------------------------------------------------------


def handover_form(confirm=None):
    """Return the handover form (from the query string, or the confirmed choice) and options."""
    if confirm is None:
        form = HandoverForm(formdata=request.args)
        form.validate()
    else:
        form = HandoverForm(formdata=None, from_id=confirm.from_id.data,
                            to_ids=confirm.to_ids.data)
    maintainers = services_team.scoped_maintainers(current_user)
    return form.set_options(maintainers, [m for m in maintainers if m.active])


def handover_page(form, plan=None, error=None, status=200):
    """Render the handover page: the choice, and the previewed plan when there is one."""
    confirm = None
    if plan is not None:
        confirm = HandoverConfirmForm(formdata=None, from_id=plan.giver.id,
                                      to_ids=plan.receiver_ids, token=plan.token)
    return make_response(render_template("tasks/handover.html", form=form, plan=plan,
                                         confirm=confirm, error=error), status)


@bp.route("/team/handover")
@roles_required(*MANAGER_ROLES)
def handover():
    """Choose whose portfolio goes to whom; with ``preview`` show the plan (nothing moves)."""
    form = handover_form()
    if "preview" not in request.args:
        return handover_page(form)
    try:
        plan = services_handover.plan_handover(current_user, form.from_id.data,
                                               form.to_ids.data or [])
    except services_handover.HandoverRefused as error:
        return handover_page(form, error=error.message, status=UNPROCESSABLE)
    return handover_page(form, plan)


@bp.route("/team/handover", methods=["POST"])
@roles_required(*MANAGER_ROLES)
def handover_confirm():
    """Carry out a previewed handover, unless the plan changed since (then preview again)."""
    confirm = HandoverConfirmForm()
    valid = confirm.validate_on_submit()
    form = handover_form(confirm)
    if not valid:
        return handover_page(form, error=confirm.first_error(), status=UNPROCESSABLE)
    try:
        plan = services_handover.hand_over(current_user, confirm.from_id.data,
                                           confirm.to_ids.data, confirm.token.data)
    except services_handover.HandoverRefused as error:
        return handover_page(form, error=error.message, status=UNPROCESSABLE)
    except services_handover.PlanChanged as changed:
        return handover_page(form, changed.plan, error=changed.message, status=409)
    flash(ngettext("%(num)d customer of %(name)s handed over.",
                   "%(num)d customers of %(name)s handed over.", plan.customers,
                   name=plan.giver.display_name), "success")
    flash(ngettext("%(num)d open task moved with them.", "%(num)d open tasks moved with them.",
                   plan.tasks), "info")
    return redirect(url_for("tasks.team"))
