"""Head-office setting of the reveal watch: how many reveals a staff member may make a day."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import roles_required
from ..customers import reveal_watch
from ..models import Role
from . import bp
from .forms import RevealLimitForm


@bp.route("/reveal-watch", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def reveal_watch_settings():
    """Show and change the daily reveal limit."""
    current = reveal_watch.reveal_limit()
    form = RevealLimitForm(data={"limit": current})
    if form.validate_on_submit():
        try:
            changed = reveal_watch.save_reveal_limit(current_user, form.limit.data)
        except reveal_watch.RevealLimitInvalid as error:
            form.limit.errors = list(form.limit.errors) + [error.message]
        else:
            flash(_("Reveal limit saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.reveal_watch_settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/reveal_watch.html", form=form, current=current,
                           default=reveal_watch.DEFAULT_REVEAL_LIMIT), status
