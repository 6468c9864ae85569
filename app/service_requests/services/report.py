"""SLA compliance and satisfaction by branch, kind and month, for supervisors and head office.

Finished requests are those resolved (or resolved then closed) within the period, counted in
the month of their resolution. A request is within its SLA when it was first answered by its
first-response deadline and resolved by its resolution deadline, and never flagged as
breached. Each table is one GROUP BY query; months are bucketed with a CASE over month
bounds computed in Python in the bank's time zone, so the same SQL runs on SQLite and
PostgreSQL.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import Float, and_, case, cast, func, literal, select

from ... import access
from ...clock import bank_timezone
from ...errors import NotAllowed
from ...extensions import db
from ...labels import REQUEST_KIND_LABELS
from ...models import Branch, RequestKind, RequestStatus, ServiceRequest

MONTHS = 6


@dataclass
class Figures:
    """One line of the report."""

    label: object  # a branch name, a kind's label, or the first day of a month
    finished: int = 0
    within_sla: int = 0
    rated: int = 0
    satisfaction_avg: Optional[float] = None

    @property
    def compliance(self):
        """Return the share of finished requests within SLA, in percent (None if none)."""
        return round(100 * self.within_sla / self.finished, 1) if self.finished else None


@dataclass
class Report:
    """The report: the period, the totals and the three breakdowns."""

    start: datetime
    months: list
    total: Figures
    by_branch: list
    by_kind: list
    by_month: list


def _utc(aware):
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def month_starts(now, count=MONTHS):
    """Return the local first days of the last ``count`` months up to ``now``'s, plus the next.

    Each is ``(local first day (a date), naive UTC instant)``, oldest first; the last one
    bounds the current month from above.
    """
    zone = bank_timezone()
    local = now.replace(tzinfo=timezone.utc).astimezone(zone)
    year, month = local.year, local.month
    starts = []
    for offset in range(count - 1, -2, -1):
        y, m = divmod(year * 12 + month - 1 - offset, 12)
        first = datetime(y, m + 1, 1, tzinfo=zone)
        starts.append((first.date(), _utc(first)))
    return starts


def within_sla():
    """Return the SQL condition of a finished request that met both of its SLA targets."""
    return and_(ServiceRequest.response_breached.is_(False),
                ServiceRequest.resolution_breached.is_(False),
                ServiceRequest.first_responded_at.is_not(None),
                ServiceRequest.first_responded_at <= ServiceRequest.first_response_due_at,
                ServiceRequest.resolved_at <= ServiceRequest.resolution_due_at)


def _figures_columns():
    return (func.count(ServiceRequest.id),
            func.sum(case((within_sla(), 1), else_=0)),
            func.count(ServiceRequest.satisfaction),
            func.avg(cast(ServiceRequest.satisfaction, Float)))


def _figures(label, row):
    finished, met, rated, average = row
    return Figures(label, finished or 0, int(met or 0), rated or 0,
                   round(float(average), 2) if average is not None else None)


def _grouped(actor, key, conditions):
    stmt = (select(key, *_figures_columns())
            .where(access.service_request_filter(actor), *conditions).group_by(key))
    return {row[0]: row[1:] for row in db.session.execute(stmt)}


def compliance_report(actor, now):
    """Return the report for the requests ``actor`` may see, over the last six months."""
    if not actor.has_role(*access.MANAGER_ROLES):
        raise NotAllowed()
    months = month_starts(now)
    start, end = months[0][1], months[-1][1]
    finished = [ServiceRequest.status.in_((RequestStatus.RESOLVED, RequestStatus.CLOSED)),
                ServiceRequest.resolved_at >= start, ServiceRequest.resolved_at < end]
    total = db.session.execute(select(*_figures_columns()).where(
        access.service_request_filter(actor), *finished)).one()
    branches = _grouped(actor, ServiceRequest.branch_id, finished)
    names = dict(db.session.execute(select(Branch.id, Branch.name).where(
        Branch.id.in_(list(branches)))).all()) if branches else {}
    by_branch = sorted((_figures(names.get(b, b), row) for b, row in branches.items()),
                       key=lambda f: str(f.label))
    kinds = _grouped(actor, ServiceRequest.kind, finished)
    by_kind = [_figures(REQUEST_KIND_LABELS[kind], kinds[kind])
               for kind in RequestKind.ALL if kind in kinds]
    bucket = case(*((ServiceRequest.resolved_at < bound, literal(index))
                    for index, (_label, bound) in enumerate(months[1:])), else_=literal(-1))
    buckets = _grouped(actor, bucket, finished)
    by_month = [_figures(label, buckets.get(index, (0, 0, 0, None)))
                for index, (label, _bound) in enumerate(months[:-1])]
    return Report(start, [label for label, _bound in months[:-1]], _figures("", total),
                  by_branch, by_kind, by_month)
