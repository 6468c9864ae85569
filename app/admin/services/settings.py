"""Head office sets the tier thresholds and each tier's value-added services."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import audit
from ...database import commit_or_conflict
from ...errors import FieldInvalid, NotFound
from ...extensions import db
from ...formatting import money_short
from ...labels import TIER_LABELS
from ...models import Tier, TierThreshold, ValueAddedService
from ...tiers import thresholds
from .common import changed_fields


def save_thresholds(actor, values):
    """Store every tier's threshold; ``values`` maps tier -> (min AUM fen, interval days).

    Mass always starts at 0; the minimum AUM must rise strictly from gold to private.
    Missing rows are created. Returns the changed fields as ``{"tier.field": after}``.
    """
    values = dict(values)
    values[Tier.MASS] = (0, values[Tier.MASS][1])
    for lower, tier in zip(Tier.ALL, Tier.ALL[1:]):
        if values[tier][0] <= values[lower][0]:
            raise FieldInvalid(_l(
                "%(tier)s must start above %(lower)s (%(amount)s CNY).",
                tier=TIER_LABELS[tier], lower=TIER_LABELS[lower],
                amount=money_short(values[lower][0])), f"{tier}_min_aum")
    rows = {row.tier: row for row in db.session.scalars(select(TierThreshold))}
    current = thresholds()
    before, after = {}, {}
    for tier in Tier.ALL:
        row = rows.get(tier)
        if row is None:
            row = TierThreshold(tier=tier)
            db.session.add(row)
        row.min_aum_fen, row.contact_interval_days = values[tier]
        for field, new in (("min_aum_fen", values[tier][0]),
                           ("contact_interval_days", values[tier][1])):
            old = getattr(current[tier], field)
            if old != new:
                before[f"{tier}.{field}"], after[f"{tier}.{field}"] = old, new
    if after:
        audit.record(actor, "tier_thresholds.updated", object_type="tier_threshold",
                     before=before, after=after)
    db.session.commit()
    return after


# --- value-added services ----------------------------------------------------------------

SERVICE_CODE_TAKEN = _l("This tier already has a service with this code.")


def services_by_tier():
    """Return ``[(tier, [services])]`` for every tier, lowest first; active services first."""
    services = db.session.scalars(select(ValueAddedService).order_by(
        ValueAddedService.active.desc(), ValueAddedService.name))
    grouped = {tier: [] for tier in Tier.ALL}
    for service in services:
        grouped.setdefault(service.tier, []).append(service)
    return list(grouped.items())


def get_service(service_id):
    """Return a value-added service or raise NotFound."""
    service = db.session.get(ValueAddedService, service_id)
    if service is None:
        raise NotFound()
    return service


def create_service(actor, *, tier, code, name, yearly_allowance):
    """Offer a new value-added service to ``tier``; the code is unique within the tier."""
    code = code.strip().lower()
    if tier not in Tier.ALL:
        raise FieldInvalid(_l("Choose a tier."), "tier")
    if db.session.scalar(select(ValueAddedService.id).where(
            ValueAddedService.tier == tier, func.lower(ValueAddedService.code) == code)):
        raise FieldInvalid(SERVICE_CODE_TAKEN, "code")
    service = ValueAddedService(tier=tier, code=code, name=name.strip(),
                                yearly_allowance=yearly_allowance)
    db.session.add(service)
    commit_or_conflict(FieldInvalid(SERVICE_CODE_TAKEN, "code"), flush=True)
    audit.record(actor, "value_added_service.created", service, tier=tier, code=code,
                 yearly_allowance=yearly_allowance)
    commit_or_conflict(FieldInvalid(SERVICE_CODE_TAKEN, "code"))
    return service


def update_service(actor, service_id, *, name, yearly_allowance):
    """Rename a value-added service or change its yearly allowance."""
    service = get_service(service_id)
    before, after = changed_fields(service, {"name": name.strip(),
                                             "yearly_allowance": yearly_allowance})
    if after:
        audit.record(actor, "value_added_service.updated", service, before=before, after=after)
    db.session.commit()
    return after


def set_service_active(actor, service_id, active):
    """Withdraw (``active`` False) or offer again a value-added service."""
    service = get_service(service_id)
    if service.active != active:
        service.active = active
        action = "reactivated" if active else "deactivated"
        audit.record(actor, f"value_added_service.{action}", service, tier=service.tier,
                     code=service.code)
        db.session.commit()
    return service
