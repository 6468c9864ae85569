"""Head office's settings of the follow-up rules: on/off, lead days, priority, note template.

A note template must keep the placeholders its kind needs and use no others; it is checked
by formatting it with sample values, so a template that would not render is refused.
"""
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import audit
from ...errors import FieldInvalid, NotAllowed, NotFound
from ...extensions import db
from ...models import FollowupRule, Role, RuleKind
from ..notes import DEFAULT_NOTE_TEMPLATES, note_values

PLACEHOLDER_RE = re.compile(r"%\(([^)]*)\)")
LEAD_DAYS_MAX = 365
PRIORITY_MAX = 100
THRESHOLD_DAYS_MAX = 3650
TEMPLATE_MAX = 200
SAMPLE_DAY = date(2026, 6, 15)  # an ordinary day to check that templates format

# Values a template may use beyond those of its default template.
EXTRA_PLACEHOLDERS = {
    RuleKind.TIER_CHANGE: ("direction",),
    RuleKind.DORMANT: ("since",),
}

# Kinds that use the threshold (days) and the AUM floor, and what the number means.
THRESHOLD_HELP = {
    RuleKind.DORMANT: _l("No contact for at least this many days."),
    RuleKind.WELCOME: _l("Customers onboarded within this many days."),
}
MIN_AUM_HELP = {
    RuleKind.DORMANT: _l("Only customers with at least this AUM; blank for no floor."),
}

LEAD_HELP = {
    RuleKind.BIRTHDAY: _l("Days before the birthday."),
    RuleKind.MATURITY: _l("Days before the holding matures."),
    RuleKind.CADENCE: _l("Days before the contact interval runs out."),
    RuleKind.DORMANT: _l("Days before the threshold is reached."),
    RuleKind.TIER_CHANGE: _l("Days after the tier changed."),
    RuleKind.RISK_REVIEW: _l("Days before the assessment expires."),
    RuleKind.WELCOME: _l("Days after onboarding."),
    RuleKind.SERVICE_CALLBACK: _l("Days after the request was resolved."),
    RuleKind.CAMPAIGN: _l("Days after the promotion was approved."),
}


def _placeholder_list(names):
    return ", ".join(f"%({name})s" for name in sorted(names))


def placeholders(template):
    """Return the names of the %(name)s placeholders in ``template``."""
    return set(PLACEHOLDER_RE.findall(template or ""))


def required_placeholders(kind):
    """Return the placeholders a template of ``kind`` must keep (those of its default)."""
    return placeholders(DEFAULT_NOTE_TEMPLATES.get(kind, ""))


def allowed_placeholders(kind):
    """Return every placeholder a template of ``kind`` may use."""
    return required_placeholders(kind) | set(EXTRA_PLACEHOLDERS.get(kind, ()))


def sample_params(kind, today):
    """Return note values such as the engine stores for a task of ``kind`` (for checks)."""
    soon = (today + timedelta(days=7)).isoformat()
    return {
        "date": soon, "product": "稳盈90天", "amount_fen": 200_000_00,
        "last_contact": (today - timedelta(days=95)).isoformat(), "interval": 90,
        "since": (today - timedelta(days=200)).isoformat(), "days": 200,
        "from_tier": "gold", "to_tier": "platinum", "direction": "upgrade",
        "subject": "card replacement", "title": "Spring deposit special",
    }


def sample_note(kind, template, today):
    """Return ``template`` filled with sample values, or raise ValueError if it cannot be."""
    values = dict(note_values(sample_params(kind, today), today))
    try:
        return template % values
    except KeyError as error:
        raise ValueError(str(error.args[0])) from None


def check_template(kind, template):
    """Raise FieldInvalid unless ``template`` keeps its kind's placeholders and renders."""
    used, allowed = placeholders(template), allowed_placeholders(kind)
    missing, unknown = sorted(required_placeholders(kind) - used), sorted(used - allowed)
    if missing:
        raise FieldInvalid(_l("The template must keep %(names)s.",
                              names=_placeholder_list(missing)), "note_template")
    if unknown:
        raise FieldInvalid(_l("Unknown placeholder %(names)s. This rule can use: %(allowed)s.",
                              names=_placeholder_list(unknown),
                              allowed=_placeholder_list(allowed)),
                           "note_template")
    try:
        sample_note(kind, template, SAMPLE_DAY)
    except (TypeError, ValueError):
        raise FieldInvalid(_l("The template does not format: write placeholders as "
                              "%(example)s and a per cent sign as %(percent)s.",
                              example="%(name)s", percent="%%"), "note_template")


@dataclass
class RuleView:
    """A rule with what the settings page says about it."""

    rule: FollowupRule
    sample: str
    uses_threshold: bool
    uses_min_aum: bool

    @property
    def kind(self):
        """Return the rule's kind."""
        return self.rule.kind


def rule_view(rule, today):
    """Return ``rule`` with its sample note (or an empty one if it does not render)."""
    try:
        sample = sample_note(rule.kind, rule.note_template, today)
    except (TypeError, ValueError):
        sample = ""
    return RuleView(rule, sample, rule.kind in THRESHOLD_HELP, rule.kind in MIN_AUM_HELP)


def list_rules(actor, today):
    """Return every follow-up rule in the order of the kinds (head office only)."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed()
    order = {kind: n for n, kind in enumerate(RuleKind.ALL)}
    rules = sorted(db.session.scalars(select(FollowupRule)),
                   key=lambda r: (order.get(r.kind, len(order)), r.kind))
    return [rule_view(rule, today) for rule in rules]


def get_rule(actor, kind, today):
    """Return the view of the rule of ``kind`` (head office only; unknown kind: NotFound)."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed()
    rule = db.session.get(FollowupRule, kind) if kind in RuleKind.ALL else None
    if rule is None:
        raise NotFound()
    return rule_view(rule, today)


def yuan_to_fen(amount):
    """Convert a Decimal amount of yuan to whole fen (None stays None)."""
    if amount is None:
        return None
    return int((Decimal(amount) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check_ranges(lead_days, base_priority, threshold_days, min_aum_fen, kind):
    checks = [
        ("lead_days", lead_days, 0, LEAD_DAYS_MAX, False),
        ("base_priority", base_priority, 0, PRIORITY_MAX, False),
        ("threshold_days", threshold_days, 1, THRESHOLD_DAYS_MAX, kind not in THRESHOLD_HELP),
    ]
    for name, value, low, high, ignored in checks:
        if ignored:
            continue
        if not isinstance(value, int) or not low <= value <= high:
            raise FieldInvalid(_l("Enter a whole number from %(low)d to %(high)d.",
                                  low=low, high=high), name)
    if kind in MIN_AUM_HELP and min_aum_fen is not None and min_aum_fen < 0:
        raise FieldInvalid(_l("The minimum AUM cannot be negative."), "min_aum")


def update_rule(actor, kind, *, enabled, lead_days, base_priority, note_template,
                threshold_days=None, min_aum_fen=None, today):
    """Change the rule of ``kind``; audited with the values before and after.

    The threshold and AUM floor are kept only for the kinds that use them. Returns the
    rule's view and whether anything changed; a broken setting raises FieldInvalid.
    """
    view = get_rule(actor, kind, today)
    note_template = (note_template or "").strip()
    if not note_template or len(note_template) > TEMPLATE_MAX:
        raise FieldInvalid(_l("Write a note template of 1 to %(max)d characters.",
                              max=TEMPLATE_MAX), "note_template")
    _check_ranges(lead_days, base_priority, threshold_days, min_aum_fen, kind)
    check_template(kind, note_template)
    values = {"enabled": bool(enabled), "lead_days": lead_days, "base_priority": base_priority,
              "note_template": note_template}
    if kind in THRESHOLD_HELP:
        values["threshold_days"] = threshold_days
    if kind in MIN_AUM_HELP:
        values["min_aum_fen"] = min_aum_fen
    rule, before, after = view.rule, {}, {}
    for name, value in values.items():
        if getattr(rule, name) != value:
            before[name], after[name] = getattr(rule, name), value
            setattr(rule, name, value)
    if after:
        audit.record(actor, "followup_rule.updated", object_type="followup_rule",
                     object_id=kind, before=before, after=after)
    db.session.commit()
    return rule_view(rule, today), bool(after)


# What the settings page explains next to each rule.
HELP = {
    "lead_help": LEAD_HELP,
    "threshold_help": THRESHOLD_HELP,
    "min_aum_help": MIN_AUM_HELP,
    "placeholder_help": {kind: _placeholder_list(allowed_placeholders(kind))
                         for kind in RuleKind.ALL},
}
