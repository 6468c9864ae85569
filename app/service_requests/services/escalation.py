"""SLA escalation: flag breached service requests and escalate each one once per level.

Breaches are flagged with two set-based UPDATEs: the first response is breached when nobody
responded by its deadline (or responded late), the resolution when the request was not
resolved by its deadline. Then each breached open request is escalated:

- level 1, at any breach: to the active supervisors of the nearest branch, walking up from
  the request's branch, that has any;
- level 2, when the resolution is breached (the rule chosen: a request still unresolved past
  its resolution deadline needs the next level up): to the active supervisors of the nearest
  branch above the level-1 branch that has any, or the active head-office admins if none.

A request whose resolution deadline passes before anybody escalated it goes through both
levels in one run. Each escalation happens exactly once: the UPDATE that raises
``escalation_level`` is guarded by ``WHERE escalation_level < N``, so a second run (or a
second scheduler process) finds nothing left to do. Each is audited, added to the timeline
and notified to every recipient. The job neither reads nor bumps the request's version: it
only writes flags and the escalation level, which no form edits, so it never makes a user's
form stale. Timeline lines go through ``add_events``, notifications through ``notify_many``;
everything runs in the caller's transaction (the caller commits; ``app.jobs.sla`` does).
"""
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select, update

from ... import audit
from ...extensions import db
from ...models import Branch, RequestStatus, Role, ServiceRequest, Staff
from ...notifications.services import notify_many
from ...notifications.texts import SR_ESCALATED
from .requests import add_events

LEVEL_SUPERVISOR = 1
LEVEL_ABOVE = 2


@dataclass
class EscalationResult:
    """What one run of the SLA job did."""

    response_breached: int = 0
    resolution_breached: int = 0
    escalated: dict = field(default_factory=lambda: {LEVEL_SUPERVISOR: 0, LEVEL_ABOVE: 0})
    notifications: int = 0

    def as_dict(self):
        """Return the result as plain JSON-ready values."""
        return {"response_breached": self.response_breached,
                "resolution_breached": self.resolution_breached,
                "escalated_level_1": self.escalated[LEVEL_SUPERVISOR],
                "escalated_level_2": self.escalated[LEVEL_ABOVE],
                "notifications": self.notifications}


@dataclass
class BranchTree:
    """The branch tree with the active supervisors of each branch and the active admins."""

    parents: dict
    supervisors: dict
    admins: list

    @classmethod
    def load(cls):
        """Read the tree and the people escalations go to (three small queries)."""
        parents = dict(db.session.execute(select(Branch.id, Branch.parent_id)).all())
        supervisors = {}
        for staff_id, name, branch_id in db.session.execute(
                select(Staff.id, Staff.display_name, Staff.branch_id)
                .where(Staff.role == Role.SUPERVISOR, Staff.active.is_(True))
                .order_by(Staff.id)):
            supervisors.setdefault(branch_id, []).append((staff_id, name))
        admins = [tuple(row) for row in db.session.execute(
            select(Staff.id, Staff.display_name)
            .where(Staff.role == Role.ADMIN, Staff.active.is_(True)).order_by(Staff.id))]
        return cls(parents, supervisors, admins)

    def nearest_supervised(self, branch_id):
        """Return the nearest branch from ``branch_id`` up (inclusive) with supervisors."""
        seen = set()
        while branch_id is not None and branch_id not in seen:
            if self.supervisors.get(branch_id):
                return branch_id
            seen.add(branch_id)
            branch_id = self.parents.get(branch_id)
        return None

    def recipients(self, branch_id, level):
        """Return the ``(staff id, name)`` a request of ``branch_id`` escalates to at ``level``."""
        anchor = self.nearest_supervised(branch_id)
        if anchor is not None and level == LEVEL_ABOVE:
            anchor = self.nearest_supervised(self.parents.get(anchor))
        return self.supervisors[anchor] if anchor is not None else self.admins


def _flag(column, condition, which, now):
    """Set one breach flag where ``condition`` holds; add a timeline event per request."""
    flagged = db.session.execute(
        update(ServiceRequest)
        .where(column.is_(False), ServiceRequest.status != RequestStatus.CANCELLED, condition)
        .values({column: True})
        .returning(ServiceRequest.id, ServiceRequest.branch_id)
        .execution_options(synchronize_session=False)).all()
    if flagged:
        add_events("breached", now, [(request_id, {"which": which})
                                     for request_id, _branch in flagged])
        audit.record_many(None, "service_request.breached", "service_request", [
            (request_id, branch_id, {"which": which}) for request_id, branch_id in flagged])
    return len(flagged)


def flag_breaches(now):
    """Flag the first-response and resolution breaches at ``now``; return both counts."""
    is_open = ServiceRequest.status.in_(RequestStatus.OPEN)
    response = _flag(
        ServiceRequest.response_breached,
        or_(and_(is_open, ServiceRequest.first_responded_at.is_(None),
                 ServiceRequest.first_response_due_at <= now),
            ServiceRequest.first_responded_at > ServiceRequest.first_response_due_at),
        "response", now)
    resolution = _flag(
        ServiceRequest.resolution_breached,
        or_(and_(is_open, ServiceRequest.resolution_due_at <= now),
            ServiceRequest.resolved_at > ServiceRequest.resolution_due_at),
        "resolution", now)
    return response, resolution


def _candidates(level):
    """Return the open breached requests still below ``level`` (id, branch, subject, reason)."""
    breach = (ServiceRequest.resolution_breached.is_(True) if level == LEVEL_ABOVE else
              or_(ServiceRequest.response_breached.is_(True),
                  ServiceRequest.resolution_breached.is_(True)))
    return db.session.execute(
        select(ServiceRequest.id, ServiceRequest.branch_id, ServiceRequest.subject,
               ServiceRequest.resolution_breached)
        .where(ServiceRequest.status.in_(RequestStatus.OPEN), breach,
               ServiceRequest.escalation_level < level)
        .order_by(ServiceRequest.id)).all()


def _claim(ids, level):
    """Raise the escalation level of ``ids`` to ``level``; return the ids this run raised."""
    if not ids:
        return set()
    return set(db.session.scalars(
        update(ServiceRequest)
        .where(ServiceRequest.id.in_(ids), ServiceRequest.escalation_level < level)
        .values(escalation_level=level)
        .returning(ServiceRequest.id)
        .execution_options(synchronize_session=False)))


def escalate_level(level, tree, now):
    """Escalate every open breached request below ``level`` to it; return (requests, notes)."""
    candidates = _candidates(level)
    claimed = _claim([row.id for row in candidates], level)
    events, audits, messages = [], [], []
    for request_id, branch_id, subject, resolution_breached in candidates:
        if request_id not in claimed:
            continue
        reason = "resolution" if resolution_breached else "response"
        recipients = tree.recipients(branch_id, level)
        detail = {"level": level, "reason": reason,
                  "recipient_ids": [staff_id for staff_id, _name in recipients],
                  "recipients": [name for _staff_id, name in recipients]}
        events.append((request_id, detail))
        audits.append((request_id, branch_id, detail))
        messages.append(([staff_id for staff_id, _name in recipients], SR_ESCALATED,
                         {"request_id": request_id, "subject": subject, "level": level,
                          "reason": reason}, f"/service-requests/{request_id}"))
    if events:
        add_events("escalated", now, events)
        audit.record_many(None, "service_request.escalated", "service_request", audits)
    return len(events), notify_many(messages, now)


def escalate_service_requests(now):
    """Flag SLA breaches at ``now`` and escalate breached open requests once per level.

    Idempotent: a second run at the same ``now`` changes nothing. Runs in the caller's
    transaction; the caller commits. Returns an :class:`EscalationResult`.
    """
    result = EscalationResult()
    result.response_breached, result.resolution_breached = flag_breaches(now)
    tree = BranchTree.load()
    for level in (LEVEL_SUPERVISOR, LEVEL_ABOVE):
        escalated, notified = escalate_level(level, tree, now)
        result.escalated[level] = escalated
        result.notifications += notified
    return result
