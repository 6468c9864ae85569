"""The head-office form of SLA targets (hours, decimals allowed) and tier shares (percent)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from ..labels import TIER_LABELS
from ..models import RequestKind, RequestPriority, Tier
from ..labels import REQUEST_KIND_LABELS, REQUEST_PRIORITY_LABELS
from ..service_requests.services.sla import (MAX_MINUTES, hours_to_minutes, minutes_to_hours,
                                             target_field)

MIN_HOURS = Decimal(1) / 60


def sla_form(targets, percents, formdata=None):
    """Build the form for every kind × priority target and every tier's share.

    ``targets`` maps (kind, priority) to (first response, resolution) minutes and
    ``percents`` maps tiers to percent: they fill the form when nothing was posted.
    """
    class SlaForm(FlaskForm):
        """SLA targets in hours and the share of them each tier gets."""

        def targets(self):
            """Return {(kind, priority): (first response, resolution) minutes}."""
            return {(kind, priority): tuple(
                hours_to_minutes(self[target_field(kind, priority, which)].data)
                for which in ("first", "resolution"))
                for kind in RequestKind.ALL for priority in RequestPriority.ALL}

        def percents(self):
            """Return {tier: percent}."""
            return {tier: self[f"tier__{tier}"].data for tier in Tier.ALL}

    hours_range = NumberRange(min=MIN_HOURS, max=MAX_MINUTES // 60, message=_l(
        "Enter from one minute (0.02 h) to %(hours)d hours.", hours=MAX_MINUTES // 60))
    data = {}
    for (kind, priority), minutes in targets.items():
        for which, value, label in (("first", minutes[0], _l("first response")),
                                    ("resolution", minutes[1], _l("resolution"))):
            name = target_field(kind, priority, which)
            setattr(SlaForm, name, DecimalField(
                _l("%(kind)s, %(priority)s: %(which)s (hours)", kind=REQUEST_KIND_LABELS[kind],
                   priority=REQUEST_PRIORITY_LABELS[priority], which=label),
                places=None, validators=[InputRequired(message=_l("Enter the hours.")),
                                         hours_range],
                render_kw={"inputmode": "decimal", "autocomplete": "off"}))
            data[name] = Decimal(minutes_to_hours(value))
    for tier in Tier.ALL:
        setattr(SlaForm, f"tier__{tier}", IntegerField(
            _l("%(tier)s: share of the targets (%%)", tier=TIER_LABELS[tier]),
            validators=[InputRequired(message=_l("Enter a percentage.")),
                        NumberRange(min=1, max=100,
                                    message=_l("Enter a percentage from 1 to 100."))]))
        data[f"tier__{tier}"] = percents.get(tier, 100)
    if formdata is not None:
        return SlaForm(formdata=formdata)
    return SlaForm(data=data)
