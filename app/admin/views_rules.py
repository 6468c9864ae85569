"""Head-office settings of the follow-up rules that fill the maintainers' queues."""
from flask import make_response, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..access import roles_required
from ..errors import FieldInvalid
from ..forms import apply_field_error
from ..htmx import UNPROCESSABLE, htmx_or_redirect, page_or_fragment
from ..models import Role
from ..tasks.services import rules as services_rules
from . import bp
from .forms_rules import RuleForm


def rule_row(view, form, status=200, saved=False):
    """Render one rule's row of the settings table (the htmx answer to saving it)."""
    return make_response(render_template("admin/_rules_row.html", view=view, form=form,
                                         saved=saved, **services_rules.HELP), status)


@bp.route("/rules")
@roles_required(Role.ADMIN)
def rules():
    """List the follow-up rules, each editable in place."""
    views = services_rules.list_rules(current_user, clock.today())
    rows = [(view, RuleForm.for_rule(view.rule)) for view in views]
    return render_template("admin/rules.html", rows=rows, **services_rules.HELP)


@bp.route("/rules/<kind>", methods=["POST"])
@roles_required(Role.ADMIN)
def rule_save(kind):
    """Save one rule's settings; htmx gets its row back, with errors or a saved mark."""
    today = clock.today()
    view = services_rules.get_rule(current_user, kind, today)
    form = RuleForm(prefix=kind)
    if form.validate_on_submit():
        try:
            view, changed = services_rules.update_rule(
                current_user, kind, enabled=form.enabled.data, lead_days=form.lead_days.data,
                base_priority=form.base_priority.data, note_template=form.note_template.data,
                threshold_days=form.threshold_days.data,
                min_aum_fen=services_rules.yuan_to_fen(form.min_aum.data), today=today)
        except FieldInvalid as error:
            apply_field_error(form, error, "note_template")
        else:
            message = _("Rule saved.") if changed else _("Nothing changed.")
            return htmx_or_redirect(
                lambda: rule_row(view, RuleForm.for_rule(view.rule), saved=message),
                url_for("admin.rules"), message)

    def page():
        views = services_rules.list_rules(current_user, today)
        rows = [(v, form if v.kind == kind else RuleForm.for_rule(v.rule)) for v in views]
        return make_response(render_template("admin/rules.html", rows=rows,
                                             **services_rules.HELP), UNPROCESSABLE)
    return page_or_fragment(page, lambda: rule_row(view, form, UNPROCESSABLE))
