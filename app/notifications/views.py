"""The notifications page, opening one (marks it read), "mark all read", the unread badge."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import clock
from ..htmx import EVENTS, htmx_or_redirect, render_htmx, trigger
from . import bp, services
from .texts import render_text


@bp.app_context_processor
def notification_helpers():
    """Give templates the text of a notification."""
    return {"notification_text": lambda n: render_text(n.kind, n.params)}


@bp.route("/")
@login_required
def index():
    """List one's notifications, newest first; htmx gets the list only (paging, refresh)."""
    inbox = services.list_notifications(current_user,
                                        before=request.args.get("before", type=int),
                                        after=request.args.get("after", type=int))
    return render_htmx("notifications/index.html", "notifications/_list.html", inbox=inbox)


@bp.route("/badge")
@login_required
def badge():
    """Return the navigation badge with the number of unread notifications."""
    return render_template("notifications/_badge.html",
                           unread=services.unread_count(current_user))


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_one(notification_id):
    """Mark a notification read and go to what it is about (or back to the list)."""
    link = services.open_notification(current_user, notification_id, clock.utcnow())
    return redirect(link or url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification read; htmx gets the refreshed list and the badge updates."""
    count = services.mark_all_read(current_user, clock.utcnow())
    message = (ngettext("%(num)d notification marked as read.",
                        "%(num)d notifications marked as read.", count)
               if count else _("There were no unread notifications."))

    def refreshed_list():
        response = render_htmx("notifications/index.html", "notifications/_list.html",
                               inbox=services.list_notifications(current_user), message=message)
        return trigger(response, EVENTS.NOTIFICATIONS)
    return htmx_or_redirect(refreshed_list, url_for("notifications.index"), message)
