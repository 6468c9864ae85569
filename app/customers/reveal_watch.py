"""The reveal watch: a daily limit on personal-data reveals per staff member (risk control).

Head office sets the limit (default 20). Each reveal takes one from a per-staff, per-bank-day
counter with a conditional UPDATE (``revealed < limit``), so two reveals at once cannot both
take the last one. Past the limit the staff member is refused for the rest of the day; the
first refusal of the day notifies their supervisor (of their branch, else of the nearest
branch above, else head office's admins). Refusals and notifications are audited.
"""
from urllib.parse import urlencode

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import Invalid
from ..extensions import db
from ..models import PortalSetting, RevealCount, Role
from ..notifications.services import notify
from ..notifications.texts import REVEAL_LIMIT_REACHED
from ..service_requests.services.escalation import BranchTree

REVEAL_LIMIT = "reveal_daily_limit"
DEFAULT_REVEAL_LIMIT = 20
LIMIT_MIN, LIMIT_MAX = 1, 1000


class RevealLimitInvalid(Invalid):
    """The daily reveal limit head office entered is not a whole number in range."""

    field = "limit"


def reveal_limit():
    """Return the daily reveal limit: head office's setting, else the default."""
    value = db.session.scalar(select(PortalSetting.value).where(
        PortalSetting.name == REVEAL_LIMIT))
    return DEFAULT_REVEAL_LIMIT if value is None else value


def save_reveal_limit(actor, value):
    """Set the daily reveal limit (audited); return whether it changed.

    Anything but a whole number from LIMIT_MIN to LIMIT_MAX raises RevealLimitInvalid and
    changes nothing.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not (
            LIMIT_MIN <= value <= LIMIT_MAX):
        raise RevealLimitInvalid(_l("Enter a whole number of reveals from %(min)d to %(max)d.",
                                    min=LIMIT_MIN, max=LIMIT_MAX))
    current = reveal_limit()
    if value == current:
        return False
    setting = db.session.get(PortalSetting, REVEAL_LIMIT)
    if setting is None:
        db.session.add(PortalSetting(name=REVEAL_LIMIT, value=value))
    else:
        setting.value = value
    audit.record(actor, "settings.reveal_limit_changed", object_type="portal_setting",
                 object_id=REVEAL_LIMIT, old=current, new=value)
    db.session.commit()
    return True


def _ensure_counter(staff_id, day_on):
    """Create the day's counter row unless it exists (a concurrent creation is fine)."""
    if db.session.get(RevealCount, (staff_id, day_on)) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(insert(RevealCount).values(
                staff_id=staff_id, day_on=day_on, revealed=0, refused=0))
    except IntegrityError:
        pass  # another request created it first


def _bump(staff_id, day_on, column, *conditions):
    """Add one to ``column`` of the day's counter where ``conditions`` hold; tell whether it did."""
    return db.session.execute(
        update(RevealCount)
        .where(RevealCount.staff_id == staff_id, RevealCount.day_on == day_on, *conditions)
        .values({column: column + 1})
        .execution_options(synchronize_session=False)).rowcount == 1


def take_reveal(actor, day_on, limit=None):
    """Count one reveal by ``actor`` on bank day ``day_on``; False when the limit is used up.

    The caller commits (with the reveal's audit event), which releases the counter's row.
    """
    limit = reveal_limit() if limit is None else limit
    _ensure_counter(actor.id, day_on)
    return _bump(actor.id, day_on, RevealCount.revealed, RevealCount.revealed < limit)


def supervisors_to_notify(actor):
    """Return the ids to tell about ``actor``: supervisors of their branch or the nearest above.

    A supervisor's own supervisor is one of a branch above theirs. With nobody found up the
    tree, head office's active admins are told (the escalations' tree and fallback).
    """
    tree = BranchTree.load()
    start = (tree.parents.get(actor.branch_id) if actor.has_role(Role.SUPERVISOR)
             else actor.branch_id)
    anchor = tree.nearest_supervised(start)
    people = tree.supervisors[anchor] if anchor is not None else tree.admins
    return [staff_id for staff_id, _name in people if staff_id != actor.id]


def refuse_reveal(actor, customer, field_name, day_on, limit, now=None):
    """Record a reveal refused by the watch; the day's first refusal notifies the supervisor.

    Audits the refusal (and the notification) and commits.
    """
    _bump(actor.id, day_on, RevealCount.refused)
    refused = db.session.scalar(select(RevealCount.refused).where(
        RevealCount.staff_id == actor.id, RevealCount.day_on == day_on))
    audit.record(actor, "customer.reveal_refused", customer, field=field_name, limit=limit,
                 day_on=day_on.isoformat())
    if refused == 1:  # the row lock makes exactly one request see 1
        recipients = supervisors_to_notify(actor)
        notify(recipients, REVEAL_LIMIT_REACHED,
               {"name": actor.display_name, "limit": limit},
               link="/audit/?" + urlencode({"actor": actor.username}), now=now)
        audit.record(actor, "reveal_watch.supervisor_notified", actor, limit=limit,
                     day_on=day_on.isoformat(), recipients=recipients)
    db.session.commit()
