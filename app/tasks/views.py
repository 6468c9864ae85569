"""The maintainer's queue: list, complete, snooze, the navigation counter; customer contacts."""
from flask import make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..access import CONTACT_ROLES, CUSTOMER_ROLES, roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error, first_input
from ..htmx import EVENTS, UNPROCESSABLE, htmx_or_redirect, render_htmx, trigger
from ..models import Role
from . import bp, services
from .forms import CompleteForm, ContactForm, SnoozeForm


@bp.app_context_processor
def task_template_helpers():
    """Give every template the queue counter of the navigation and a blank contact form.

    Pages of other blueprints that include ``tasks/_customer_activity.html`` (the customer
    page) get its contact form from here, so they never import the tasks' forms.
    """
    def queue_count():
        if not current_user.is_authenticated:
            return 0
        return services.count_actionable(current_user, clock.today())

    def new_contact_form():
        return ContactForm(prefix="contact")
    return {"queue_count": queue_count, "new_contact_form": new_contact_form}


@bp.route("/")
@roles_required(Role.MAINTAINER)
def queue():
    """Show the maintainer's queue; htmx gets just the list (kind filter, refresh)."""
    queue = services.task_queue(current_user, clock.today(), request.args.get("kind") or None)
    return render_htmx("tasks/queue.html", "tasks/_queue_list.html", queue=queue)


@bp.route("/counter")
@roles_required(Role.MAINTAINER)
def counter():
    """Return the navigation badge with the number of tasks to work on today."""
    count = services.count_actionable(current_user, clock.today())
    return render_template("tasks/_counter.html", count=count)


def task_form_page(name, row, form, status=200):
    """Render the complete or snooze form: its fragment for htmx, else the full page."""
    response = render_htmx(f"tasks/{name}.html", f"tasks/_task_{name}.html", row=row, form=form)
    response.status_code = status
    return response


def conflict_page(error):
    """Render a 409: the task changed meanwhile; show it as it is now, and refresh the list."""
    response = render_htmx("tasks/conflict.html", "tasks/_task_conflict.html",
                           message=error.message, task=error.task)
    response.status_code = 409
    return trigger(response, EVENTS.TASKS)


def done_response(task, message):
    """Answer a successful change: the row leaves the list (htmx), else back to the queue."""
    return htmx_or_redirect(lambda: row_removed(task, message), url_for("tasks.queue"), message)


def row_removed(task, message):
    """Answer htmx when a task leaves a list: a notice in its row; the queue refreshes."""
    response = make_response(render_template("tasks/_queue_notice.html", message=message,
                                             task=task))
    return trigger(response, EVENTS.TASKS)


@bp.route("/<int:task_id>/complete", methods=["GET", "POST"])
@roles_required(Role.MAINTAINER)
def complete(task_id):
    """Show the completion form of a task, or complete it (records a contact)."""
    today = clock.today()
    form = CompleteForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                task = services.complete_task(
                    current_user, task_id, form.version.data, form.outcome.data,
                    form.channel.data, form.note.data, today, form.satisfaction_score)
            except FieldInvalid as error:
                apply_field_error(form, error, first_input(form))
            except services.TaskConflict as error:
                return conflict_page(error)
            else:
                return done_response(task, _("Task completed: %(name)s.",
                                             name=task.customer.name))
        row = services.find_task(current_user, task_id, today)
        return task_form_page("complete", row, form, UNPROCESSABLE)
    try:
        row = services.pending_task(current_user, task_id, today)
    except services.TaskConflict as error:
        return conflict_page(error)
    form.version.data = row.task.version
    return task_form_page("complete", row, form)


@bp.route("/<int:task_id>/snooze", methods=["GET", "POST"])
@roles_required(Role.MAINTAINER)
def snooze(task_id):
    """Show the snooze form of a task, or snooze it until the chosen day."""
    today = clock.today()
    form = SnoozeForm()
    form.set_bounds(*services.snooze_bounds(today))
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                task = services.snooze_task(current_user, task_id, form.version.data,
                                            form.until.data, today)
            except FieldInvalid as error:
                apply_field_error(form, error, first_input(form))
            except services.TaskConflict as error:
                return conflict_page(error)
            else:
                return done_response(task, _("Snoozed until %(date)s: %(name)s.",
                                             date=format_date(task.snoozed_until),
                                             name=task.customer.name))
        row = services.find_task(current_user, task_id, today)
        return task_form_page("snooze", row, form, UNPROCESSABLE)
    try:
        row = services.pending_task(current_user, task_id, today)
    except services.TaskConflict as error:
        return conflict_page(error)
    form.version.data = row.task.version
    form.until.data = services.default_snooze_day(today)
    return task_form_page("snooze", row, form)


# --- contacts on the customer page -------------------------------------------------------


def activity_page(customer_id, form, status=200, saved=False):
    """Render a customer's activity: the fragment for htmx, else its own page."""
    activity = services.activity_for(current_user, customer_id, clock.today())
    response = render_htmx("tasks/activity.html", "tasks/_customer_activity.html",
                           customer=activity.customer, activity=activity, contact_form=form,
                           contact_saved=saved)
    response.status_code = status
    return trigger(response, EVENTS.CONTACTS) if saved else response


@bp.route("/customers/<int:customer_id>/activity")
@roles_required(*CUSTOMER_ROLES)
def activity(customer_id):
    """Show a customer's contact history and tasks, with the form to log a contact."""
    return activity_page(customer_id, ContactForm(prefix="contact"))


@bp.route("/customers/<int:customer_id>/contacts", methods=["POST"])
@roles_required(*CONTACT_ROLES)
def log_contact(customer_id):
    """Log an ad-hoc contact with a customer; it moves their last-contact date."""
    form = ContactForm(prefix="contact")
    if form.validate_on_submit():
        try:
            services.log_contact(current_user, customer_id, form.channel.data,
                                 form.outcome.data, form.summary.data, clock.today())
        except FieldInvalid as error:
            apply_field_error(form, error, first_input(form))
        else:
            return htmx_or_redirect(
                lambda: activity_page(customer_id, ContactForm(prefix="contact", formdata=None),
                                      saved=True),
                url_for("customers.detail", customer_id=customer_id), _("Contact logged."))
    return activity_page(customer_id, form, UNPROCESSABLE)
