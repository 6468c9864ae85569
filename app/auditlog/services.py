"""Reading the audit trail: scoped, filtered, newest first, paged by id (``app.paging``)."""
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional

from sqlalchemy import func, select

from .. import access
from ..clock import bank_timezone
from ..extensions import db
from ..models import AuditEvent, Branch
from ..paging import keyset_page

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


def _conditions(filters):
    """Return the SQL conditions of ``filters`` (the scope is added by the caller)."""
    conditions = []
    if filters.actor:
        conditions.append(func.lower(AuditEvent.actor_name) == filters.actor.strip().lower())
    if filters.action:
        conditions.append(AuditEvent.action.startswith(filters.action.strip(), autoescape=True))
    if filters.object_type:
        conditions.append(AuditEvent.object_type == filters.object_type.strip())
    if filters.object_id:
        conditions.append(AuditEvent.object_id == filters.object_id.strip())
    if filters.from_on:
        conditions.append(AuditEvent.occurred_at >= local_day_start(filters.from_on))
    if filters.to_on:
        conditions.append(AuditEvent.occurred_at < local_day_start(filters.to_on + timedelta(1)))
    return conditions


def list_events(actor, filters, *, before_id=None, after_id=None, limit=50):
    """Return one page (a ``paging.Page`` of ``EventRow``) of the events ``actor`` may see.

    Newest first, paged by id (keyset): ``before_id`` gives the events older than that id,
    ``after_id`` the page of those newer than it.
    """
    page = keyset_page(select(AuditEvent), AuditEvent,
                       [access.audit_filter(actor), *_conditions(filters)], descending=True,
                       after=before_id, before=after_id, size=limit)
    names = _branch_names({event.branch_id for event in page.rows if event.branch_id})
    page.rows = [EventRow(event, names.get(event.branch_id), detail_lines(event.detail))
                 for event in page.rows]
    return page


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
