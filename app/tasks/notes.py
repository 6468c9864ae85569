"""The "why" of a task: its rule's note template filled with the task's ``note_params``.

Notes are rendered at display time, in the reader's language: the template (head office may
edit it) goes through ``gettext`` — the default templates below are marked for extraction,
so they are translated until someone rewrites them — and the stored values are formatted
for the reader: ISO dates as "2 Dec", amounts in fen as "200,000", tier codes as tier names.
"""
from datetime import date

from flask_babel import format_date, gettext
from sqlalchemy import select

from ..clock import today as bank_today
from ..extensions import db
from ..formatting import day_month, money_short
from ..labels import TIER_DIRECTION_LABELS, TIER_LABELS
from ..models import FollowupRule, RuleKind


def N_(message):  # noqa: N802 (the conventional name of the extraction marker)
    """Mark ``message`` for translation without translating it (gettext runs at display)."""
    return message


# The templates the migration seeds, word for word, so their translations are found.
DEFAULT_NOTE_TEMPLATES = {
    RuleKind.BIRTHDAY: N_("Birthday on %(date)s"),
    RuleKind.MATURITY: N_("%(product)s %(amount)s CNY matures %(date)s"),
    RuleKind.CADENCE: N_("No contact since %(last_contact)s (every %(interval)s days)"),
    RuleKind.DORMANT: N_("No contact for %(days)s days, AUM %(amount)s CNY"),
    RuleKind.TIER_CHANGE: N_("Tier changed from %(from_tier)s to %(to_tier)s"),
    RuleKind.RISK_REVIEW: N_("Risk assessment valid until %(date)s"),
    RuleKind.WELCOME: N_("New customer since %(date)s: welcome call"),
    RuleKind.SERVICE_CALLBACK: N_("Call back about the resolved request: %(subject)s"),
    RuleKind.CAMPAIGN: N_("Promotion: %(title)s"),
}

DATE_KEYS = ("date", "last_contact", "since")
NEAR_DAYS = 180  # dates further from today than this show their year


class _NoteValues(dict):
    """Values for %-formatting; a placeholder without a value renders as nothing."""

    def __missing__(self, key):
        return ""


def rule_templates():
    """Return {kind: note template} of every follow-up rule, for ``render_note``."""
    return dict(db.session.execute(select(FollowupRule.kind, FollowupRule.note_template)).all())


def _format_day(value, today):
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    if abs((day - today).days) > NEAR_DAYS:
        return format_date(day, "medium")
    return day_month(day)


def note_values(params, today):
    """Return ``params`` formatted for display on ``today`` (dates, amounts, tiers, days)."""
    values = _NoteValues(params)
    for key in DATE_KEYS:
        if params.get(key):
            values[key] = _format_day(params[key], today)
    if params.get("amount_fen") is not None:
        values["amount"] = money_short(params["amount_fen"])
    for key in ("from_tier", "to_tier"):
        if params.get(key):
            values[key] = str(TIER_LABELS.get(params[key], params[key]))
    if params.get("direction") in TIER_DIRECTION_LABELS:
        values["direction"] = str(TIER_DIRECTION_LABELS[params["direction"]])
    if params.get("since"):
        try:
            values["days"] = (today - date.fromisoformat(str(params["since"])[:10])).days
        except ValueError:
            pass
    return values


def render_note(task, rule_templates, today=None):
    """Return the translated "why" of ``task``, e.g. "Birthday on 2 Dec".

    ``rule_templates`` maps each kind to its note template (see ``rule_templates()``); a
    kind missing there uses the default template. A template that does not fit the stored
    values never fails: it shows as much as it can. A tier change whose template does not
    say the direction is prefixed with "Upgrade: " or "Downgrade: ".
    """
    today = today or bank_today()
    template = rule_templates.get(task.kind) or DEFAULT_NOTE_TEMPLATES.get(task.kind, "")
    text = gettext(template) if template else ""
    values = note_values(task.note_params or {}, today)
    try:
        note = text % values
    except (TypeError, ValueError):
        note = text
    if "direction" in values and "%(direction)" not in template:
        note = gettext("%(direction)s: %(note)s", direction=values["direction"], note=note)
    return note
