"""Demo service requests: a few per maintainer in every state, then one SLA check.

``seed_service_requests(today)`` is called by the demo seeder after the customers are in.
Requests, their timelines and the customers' satisfaction go in with bulk inserts; resolved
requests get their call-back task through the task engine, and the SLA job flags and
escalates the overdue ones (so supervisors find notifications). Runs in the caller's
transaction; the caller commits.
"""
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, insert, select

from ...clock import bank_timezone
from ...clock import today as bank_today
from ...clock import utcnow
from ...extensions import db
from ...models import (Customer, CustomerStatus, RequestStatus, Role, ServiceRequest,
                       ServiceRequestEvent, Staff, ValueAddedService)
from .callbacks import raise_callback_task
from .escalation import escalate_service_requests
from .sla import due_times

# kind, priority, channel, status, hours since opening, subject, satisfaction
SCENARIOS = (
    ("complaint", "high", "phone", "new", 5, "信用卡年费扣收争议", None),
    ("account_card", "normal", "counter", "in_progress", 3, "借记卡被锁，无法取款", None),
    ("wealth_inquiry", "normal", "wechat", "resolved", 30, "理财产品到期后的续作方案", None),
    ("other", "low", "online", "closed", 24 * 20, "更新通讯地址", 5),
    ("complaint", "urgent", "counter", "closed", 24 * 45, "柜台排队时间过长", 2),
    ("account_card", "high", "phone", "cancelled", 24 * 3, "网银登录失败", None),
    ("wealth_inquiry", "low", "online", "new", 1, "基金定投扣款日调整", None),
    ("value_added", "normal", "phone", "in_progress", 20, "预约机场贵宾厅", None),
)
DESCRIPTION = "客户来电反映情况，需跟进处理并回复客户。"


def demo_instant(today):
    """Return the instant the demo is seeded "at": now, or noon of ``today`` if not today."""
    if today == bank_today():
        return utcnow()
    noon = datetime.combine(today, time(12), tzinfo=bank_timezone())
    return noon.astimezone(timezone.utc).replace(tzinfo=None)


def _customers_by_maintainer():
    """Return, per active maintainer, their first few active customers (by id)."""
    rows = db.session.execute(
        select(Customer.id, Customer.maintainer_id, Customer.branch_id, Customer.tier)
        .join(Staff, Staff.id == Customer.maintainer_id)
        .where(Staff.role == Role.MAINTAINER, Staff.active.is_(True),
               Customer.status == CustomerStatus.ACTIVE)
        .order_by(Customer.maintainer_id, Customer.id)).all()
    found = {}
    for row in rows:
        mine = found.setdefault(row.maintainer_id, [])
        if len(mine) < 40:
            mine.append(row)
    return found


def _service_for(tier):
    return db.session.scalar(select(ValueAddedService.id).where(
        ValueAddedService.tier == tier, ValueAddedService.active.is_(True))
        .order_by(ValueAddedService.id).limit(1))


def _timestamps(status, opened_at, due_first, due_resolution, now):
    """Return the response, resolution and closing instants of a request in ``status``.

    Each step takes part of the time left, so every instant lies between opening and ``now``
    and within the request's deadlines.
    """
    responded = resolved = closed = None
    if status in (RequestStatus.IN_PROGRESS, RequestStatus.RESOLVED, RequestStatus.CLOSED):
        responded = opened_at + (min(due_first, now) - opened_at) / 4
    if status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        resolved = responded + (min(due_resolution, now) - responded) / 2
    if status == RequestStatus.CLOSED:
        closed = resolved + (now - resolved) / 2
    return responded, resolved, closed


def _plan_rows(now):
    """Return the rows of the demo requests (one scenario after another per maintainer)."""
    rows = []
    for maintainer_id, customers in _customers_by_maintainer().items():
        for n, scenario in enumerate(SCENARIOS):
            kind, priority, channel, status, hours, subject, score = scenario
            customer = next((c for c in customers[n:] if kind != "value_added"
                             or _service_for(c.tier)), None)
            if customer is None:
                continue
            opened_at = now - timedelta(hours=hours)
            first, resolution = due_times(kind, priority, customer.tier, opened_at)
            responded, resolved, closed = _timestamps(status, opened_at, first, resolution, now)
            if score == 2:  # the slow one: answered late and resolved late
                responded, resolved = first + timedelta(hours=2), resolution + timedelta(days=1)
                closed = resolved + timedelta(days=1)
            rows.append({
                "customer_id": customer.id, "branch_id": customer.branch_id, "kind": kind,
                "channel": channel, "priority": priority, "subject": subject,
                "description": DESCRIPTION, "status": status, "assignee_id": maintainer_id,
                "opened_by_id": maintainer_id, "opened_at": opened_at,
                "first_response_due_at": first, "resolution_due_at": resolution,
                "first_responded_at": responded, "resolved_at": resolved, "closed_at": closed,
                "cancel_reason": "客户已自行解决" if status == "cancelled" else None,
                "response_breached": bool(responded and responded > first),
                "resolution_breached": bool(resolved and resolved > resolution),
                "escalation_level": 0,
                "value_added_service_id": (_service_for(customer.tier)
                                           if kind == "value_added" else None),
                "satisfaction": score, "satisfaction_comment": None, "version": 1})
    return rows


def _events(request_ids, rows):
    """Return the timeline events of the demo requests."""
    events = []
    for request_id, row in zip(request_ids, rows):
        actor = row["opened_by_id"]
        events.append({"request_id": request_id, "occurred_at": row["opened_at"],
                       "actor_id": actor, "kind": "opened", "to_status": "new",
                       "detail": {"kind": row["kind"], "priority": row["priority"]}})
        steps = [("new", "in_progress", row["first_responded_at"]),
                 ("in_progress", "resolved", row["resolved_at"]),
                 ("resolved", "closed", row["closed_at"])]
        if row["status"] == "cancelled":
            steps = [("new", "cancelled", row["opened_at"] + timedelta(hours=2))]
        for before, after, at in steps:
            if at is not None:
                events.append({"request_id": request_id, "occurred_at": at, "actor_id": actor,
                               "kind": "status_changed", "from_status": before,
                               "to_status": after, "detail": {},
                               "comment": row["cancel_reason"] if after == "cancelled"
                               else None})
        if row["satisfaction"]:
            events.append({"request_id": request_id, "actor_id": actor,
                           "occurred_at": row["resolved_at"] + (
                               row["closed_at"] - row["resolved_at"]) / 2,
                           "kind": "satisfaction", "detail": {"score": row["satisfaction"]}})
    return events


def seed_service_requests(today):
    """Add the demo requests unless some exist; return how many were added.

    Each active maintainer's customers get one request per scenario (new, in progress,
    resolved awaiting the call-back, closed with a satisfaction score, cancelled, a
    value-added booking); the overdue ones are then flagged and escalated.
    """
    if db.session.scalar(select(func.count()).select_from(ServiceRequest)):
        return 0
    now = demo_instant(today)
    rows = _plan_rows(now)
    if not rows:
        return 0
    ids = list(db.session.scalars(insert(ServiceRequest).returning(
        ServiceRequest.id, sort_by_parameter_order=True), rows))
    events = _events(ids, rows)
    for event in events:
        event.setdefault("from_status", None)
        event.setdefault("to_status", None)
        event.setdefault("comment", None)
    db.session.execute(insert(ServiceRequestEvent), events)
    for request_id, row in zip(ids, rows):
        if row["status"] == RequestStatus.RESOLVED:
            request = db.session.get(ServiceRequest, request_id)
            raise_callback_task(request, today)
    escalate_service_requests(now)
    return len(ids)
