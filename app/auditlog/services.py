"""Reading the audit trail: scoped, filtered, newest first, paged by id (keyset)."""
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional

from sqlalchemy import func, select

from .. import access
from ..clock import bank_timezone
from ..extensions import db
from ..models import AuditEvent, Branch

SECRET_MARKERS = ("password", "hash", "token", "secret")
HIDDEN = "••••"


@dataclass
class AuditFilters:
    """What the audit page is filtered on; every field optional."""

    actor: Optional[str] = None
    action: Optional[str] = None
    object_type: Optional[str] = None
    object_id: Optional[str] = None
    from_on: Optional[date] = None
    to_on: Optional[date] = None


@dataclass
class EventRow:
    """One audit event ready for display: the event, its branch name and its detail lines."""

    event: AuditEvent
    branch_name: Optional[str]
    detail: list = field(default_factory=list)


def local_day_start(day):
    """Return the UTC instant (naive) at which ``day`` begins in the bank's time zone."""
    start = datetime.combine(day, time.min, tzinfo=bank_timezone())
    return start.astimezone(timezone.utc).replace(tzinfo=None)


def _filtered(stmt, filters):
    if filters.actor:
        stmt = stmt.where(func.lower(AuditEvent.actor_name) == filters.actor.strip().lower())
    if filters.action:
        stmt = stmt.where(AuditEvent.action.startswith(filters.action.strip(), autoescape=True))
    if filters.object_type:
        stmt = stmt.where(AuditEvent.object_type == filters.object_type.strip())
    if filters.object_id:
        stmt = stmt.where(AuditEvent.object_id == filters.object_id.strip())
    if filters.from_on:
        stmt = stmt.where(AuditEvent.occurred_at >= local_day_start(filters.from_on))
    if filters.to_on:
        stmt = stmt.where(AuditEvent.occurred_at < local_day_start(filters.to_on + timedelta(1)))
    return stmt


def list_events(actor, filters, *, before_id=None, limit=50):
    """Return one page of events ``actor`` may see (newest first) and the next cursor or None.

    Paging is by id (keyset): the next page holds the events with an id below the cursor.
    """
    stmt = (select(AuditEvent).where(access.audit_filter(actor))
            .order_by(AuditEvent.id.desc()).limit(limit + 1))
    stmt = _filtered(stmt, filters)
    if before_id:
        stmt = stmt.where(AuditEvent.id < before_id)
    events = list(db.session.scalars(stmt))
    more = len(events) > limit
    events = events[:limit]
    names = _branch_names({event.branch_id for event in events if event.branch_id})
    rows = [EventRow(event, names.get(event.branch_id), detail_lines(event.detail))
            for event in events]
    return rows, (events[-1].id if more else None)


def _branch_names(ids):
    if not ids:
        return {}
    return dict(db.session.execute(select(Branch.id, Branch.name).where(Branch.id.in_(ids))).all())


def _distinct(column):
    """Return the distinct values of an indexed column by skipping through its index.

    A recursive query fetches the next larger value each step, so the cost grows with the
    number of distinct values, not with the size of the audit trail.
    """
    table = AuditEvent.__table__
    col = table.c[column.key]
    values = select(func.min(col).label("value")).cte(f"distinct_{column.key}", recursive=True)
    step = select(select(func.min(col)).where(col > values.c.value).scalar_subquery())
    values = values.union_all(step.where(values.c.value.is_not(None)))
    return list(db.session.scalars(select(values.c.value).where(values.c.value.is_not(None))))


def filter_options():
    """Return the known actions and record types, to suggest in the filter form."""
    return {"actions": _distinct(AuditEvent.action),
            "object_types": _distinct(AuditEvent.object_type)}


def _text(value):
    if value is None:
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return str(value)


def _is_secret(key):
    return any(marker in str(key).lower() for marker in SECRET_MARKERS)


def detail_lines(detail):
    """Turn an event's detail into ``(key, text)`` lines; before/after pairs read "old → new".

    Keys that look like secrets are shown hidden, in case a caller ever recorded one.
    """
    detail = dict(detail or {})
    before, after = detail.pop("before", None), detail.pop("after", None)
    lines = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in list(dict.fromkeys([*before, *after])):
            change = (HIDDEN if _is_secret(key) else
                      f"{_text(before.get(key))} → {_text(after.get(key))}")
            lines.append((key, change))
    elif before is not None or after is not None:
        detail.update({"before": before, "after": after})
    for key, value in detail.items():
        lines.append((key, HIDDEN if _is_secret(key) else _text(value)))
    return lines
