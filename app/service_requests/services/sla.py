"""SLA targets and clocks: due times at opening, the SLA state of a request, head-office settings.

A target is minutes by kind × priority; each tier gets a share of it (percent), so higher
tiers get tighter targets: due minutes = target × percent / 100, rounded to the minute, in
calendar time from the moment the request is opened. The current deadline of an open request
is its first-response deadline until somebody responds, then its resolution deadline; it is
"due soon" when less than a quarter of the time it allowed, or less than an hour, is left.
"""
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, and_, case, literal, not_, or_, select

from ... import audit
from ...errors import FieldInvalid
from ...extensions import db
from ...models import (RequestKind, RequestPriority, RequestStatus, ServiceRequest, SlaTarget,
                       SlaTierFactor, Tier)
from ...sql import seconds_between

# Used only when a row is missing (the migration seeds them all): kind → priority → minutes.
DEFAULT_TARGETS = {
    "complaint": {"urgent": (30, 480), "high": (60, 1440), "normal": (240, 2880),
                  "low": (480, 4320)},
    "account_card": {"urgent": (30, 240), "high": (60, 720), "normal": (240, 1440),
                     "low": (480, 2880)},
    "wealth_inquiry": {"urgent": (60, 480), "high": (120, 1440), "normal": (480, 2880),
                       "low": (1440, 4320)},
    "value_added": {"urgent": (60, 720), "high": (240, 1440), "normal": (480, 2880),
                    "low": (1440, 5760)},
    "other": {"urgent": (60, 720), "high": (240, 1440), "normal": (480, 4320),
              "low": (1440, 7200)},
}
DEFAULT_TIER_PERCENT = {"mass": 100, "gold": 90, "platinum": 75, "diamond": 60, "private": 50}
DUE_SOON_SHARE = 4  # due soon: less than 1/4 of the allowed time left …
DUE_SOON_FLOOR = timedelta(hours=1)  # … or less than an hour
MAX_MINUTES = 90 * 24 * 60
SLA_STATES = ("on_time", "due_soon", "breached")


# --- due times ---------------------------------------------------------------------------


def scaled(minutes, percent):
    """Return ``minutes`` × ``percent`` / 100, rounded to the nearest minute (at least 1)."""
    return max(1, (minutes * percent + 50) // 100)


def due_minutes(kind, priority, tier):
    """Return ``(first response, resolution)`` minutes for a request of this kind and tier."""
    target = db.session.scalar(select(SlaTarget).where(
        SlaTarget.kind == kind, SlaTarget.priority == priority))
    first, resolution = ((target.first_response_minutes, target.resolution_minutes)
                         if target is not None else DEFAULT_TARGETS[kind][priority])
    factor = db.session.get(SlaTierFactor, tier)
    percent = factor.percent if factor is not None else DEFAULT_TIER_PERCENT.get(tier, 100)
    return scaled(first, percent), scaled(resolution, percent)


def due_times(kind, priority, tier, opened_at):
    """Return ``(first_response_due_at, resolution_due_at)`` for a request opened then."""
    first, resolution = due_minutes(kind, priority, tier)
    return opened_at + timedelta(minutes=first), opened_at + timedelta(minutes=resolution)


# --- the SLA state of a request ----------------------------------------------------------


def current_deadline(request):
    """Return the deadline the request now runs against (first response, then resolution)."""
    if request.first_responded_at is None:
        return request.first_response_due_at
    return request.resolution_due_at


def is_breached(request, now):
    """Tell whether the request has broken an SLA (flagged, or past a deadline while open)."""
    if request.response_breached or request.resolution_breached:
        return True
    if request.status not in RequestStatus.OPEN:
        return False
    return ((request.first_responded_at is None and request.first_response_due_at <= now)
            or request.resolution_due_at <= now)


def sla_state(request, now):
    """Return 'breached', 'due_soon', 'on_time' (open), 'met' (finished in time) or None."""
    if is_breached(request, now):
        return "breached"
    if request.status == RequestStatus.CANCELLED:
        return None
    if request.status not in RequestStatus.OPEN:
        return "met"
    deadline = current_deadline(request)
    left, allowed = deadline - now, deadline - request.opened_at
    if left < DUE_SOON_FLOOR or left * DUE_SOON_SHARE < allowed:
        return "due_soon"
    return "on_time"


def _live_breach(now):
    now = literal(now, DateTime)
    return or_(ServiceRequest.response_breached.is_(True),
               ServiceRequest.resolution_breached.is_(True),
               and_(ServiceRequest.first_responded_at.is_(None),
                    ServiceRequest.first_response_due_at <= now),
               ServiceRequest.resolution_due_at <= now)


def sla_state_condition(state, now):
    """Return the SQL condition of open requests in SLA ``state`` at ``now`` (else None)."""
    if state not in SLA_STATES:
        return None
    is_open = ServiceRequest.status.in_(RequestStatus.OPEN)
    breached = _live_breach(now)
    if state == "breached":
        return and_(is_open, breached)
    deadline = case((ServiceRequest.first_responded_at.is_(None),
                     ServiceRequest.first_response_due_at),
                    else_=ServiceRequest.resolution_due_at)
    soon = or_(deadline <= literal(now + DUE_SOON_FLOOR, DateTime),
               seconds_between(deadline, literal(now, DateTime)) * DUE_SOON_SHARE
               < seconds_between(deadline, ServiceRequest.opened_at))
    if state == "due_soon":
        return and_(is_open, not_(breached), soon)
    return and_(is_open, not_(breached), not_(soon))


@dataclass
class SlaClock:
    """One SLA clock of a request: its deadline, when it was met, and the time left or late."""

    name: str
    due_at: object
    done_at: Optional[object]
    seconds: Optional[int]  # left (positive) or overdue (negative) while running
    late: bool
    stopped: bool = False  # the request was cancelled before this clock was met

    @property
    def running(self):
        """Tell whether the clock still ticks: neither met nor stopped."""
        return self.done_at is None and not self.stopped


def _clock(name, due_at, done_at, stopped, now):
    if done_at is not None:
        return SlaClock(name, due_at, done_at, None, done_at > due_at)
    if stopped:
        return SlaClock(name, due_at, None, None, False, stopped=True)
    seconds = int((due_at - now).total_seconds())
    return SlaClock(name, due_at, None, seconds, seconds <= 0)


def sla_clocks(request, now):
    """Return the first-response and resolution clocks of ``request`` at ``now``."""
    stopped = request.status in (RequestStatus.CANCELLED, RequestStatus.CLOSED)
    return [
        _clock("response", request.first_response_due_at, request.first_responded_at,
               stopped, now),
        _clock("resolution", request.resolution_due_at, request.resolved_at, stopped, now),
    ]


# --- head-office settings ----------------------------------------------------------------


def target_field(kind, priority, which):
    """Return the form field name of one target: '<kind>__<priority>__first' or '…__resolution'."""
    return f"{kind}__{priority}__{which}"


def sla_settings():
    """Return ``(targets, percents)``: {(kind, priority): (first, resolution)} and {tier: %}."""
    targets = {(kind, priority): DEFAULT_TARGETS[kind][priority]
               for kind in RequestKind.ALL for priority in RequestPriority.ALL}
    for row in db.session.scalars(select(SlaTarget)):
        if (row.kind, row.priority) in targets:
            targets[(row.kind, row.priority)] = (row.first_response_minutes,
                                                 row.resolution_minutes)
    percents = dict(DEFAULT_TIER_PERCENT)
    for row in db.session.scalars(select(SlaTierFactor)):
        if row.tier in percents:
            percents[row.tier] = row.percent
    return targets, percents


def hours_to_minutes(hours):
    """Return ``hours`` (a Decimal, decimals allowed) as whole minutes, rounded half up."""
    return int((Decimal(hours) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def minutes_to_hours(minutes):
    """Return ``minutes`` as a short decimal number of hours for the form: 90 → '1.5'."""
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format(hours.normalize(), "f")


def _check_targets(targets):
    for (kind, priority), (first, resolution) in targets.items():
        for which, minutes in (("first", first), ("resolution", resolution)):
            if not 1 <= minutes <= MAX_MINUTES:
                raise FieldInvalid(_l("Enter between 1 minute and %(days)d days (%(hours)d h).",
                                      days=MAX_MINUTES // 1440, hours=MAX_MINUTES // 60),
                                   target_field(kind, priority, which))
        if resolution < first:
            raise FieldInvalid(_l("The resolution target cannot be shorter than the first "
                                  "response target."),
                               target_field(kind, priority, "resolution"))


def _check_percents(percents):
    for tier, percent in percents.items():
        if not 1 <= percent <= 100:
            raise FieldInvalid(_l("Enter a percentage from 1 to 100."), f"tier__{tier}")


def _store_targets(targets, before, after):
    rows = {(row.kind, row.priority): row for row in db.session.scalars(select(SlaTarget))}
    current, _percents = sla_settings()
    for key, (first, resolution) in targets.items():
        row = rows.get(key)
        if row is None:
            row = SlaTarget(kind=key[0], priority=key[1])
            db.session.add(row)
        row.first_response_minutes, row.resolution_minutes = first, resolution
        if current[key] != (first, resolution):
            name = ".".join(key)
            before[name], after[name] = list(current[key]), [first, resolution]


def _store_percents(percents, before, after):
    rows = {row.tier: row for row in db.session.scalars(select(SlaTierFactor))}
    _targets, current = sla_settings()
    for tier, percent in percents.items():
        row = rows.get(tier)
        if row is None:
            row = SlaTierFactor(tier=tier)
            db.session.add(row)
        row.percent = percent
        if current[tier] != percent:
            before[f"tier.{tier}"], after[f"tier.{tier}"] = current[tier], percent


def save_sla_settings(actor, targets, percents):
    """Store every SLA target (minutes) and tier percent; audit what changed, before/after.

    ``targets`` maps (kind, priority) to (first response, resolution) minutes for every
    kind × priority; ``percents`` maps every tier to 1–100. A rule broken raises FieldInvalid
    and stores nothing. Requests already open keep their due times. Returns the changes.
    """
    expected = {(kind, priority) for kind in RequestKind.ALL for priority in RequestPriority.ALL}
    if set(targets) != expected or set(percents) != set(Tier.ALL):
        raise FieldInvalid(_l("Give a target for every kind and priority, and a share for "
                              "every tier."))
    _check_targets(targets)
    _check_percents(percents)
    before, after = {}, {}
    _store_targets(targets, before, after)
    _store_percents(percents, before, after)
    if after:
        audit.record(actor, "sla_settings.updated", object_type="sla_target",
                     before=before, after=after)
    db.session.commit()
    return after
