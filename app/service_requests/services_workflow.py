"""The workflow of a service request: status changes, assignment, comments, satisfaction.

Each change is checked against the version the form showed (a request changed meanwhile
raises :class:`RequestConflict` carrying it as it is now), audited (``service_request.*``)
and added to the timeline in the same transaction. Resolving raises the customer's call-back
task through the task engine; recording the customer's satisfaction completes it.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, update
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..errors import NotAllowed
from ..extensions import db
from ..models import (Channel, Contact, Customer, FollowupRule, Outcome, RequestStatus,
                      RuleKind, Task, TaskStatus)
from ..routing import valid_id
from ..tasks.engine import raise_task
from .labels import STATUS_LABELS
from .services import (CALLBACK_DAYS, CHANGED_MEANWHILE, COMMENT_MAX, REASON_MAX, REASON_MIN,
                       SATISFACTION_COMMENT_MAX, SATISFACTION_ROLES, RequestConflict,
                       RequestInvalid, add_event, checked_text, eligible_assignees,
                       load_request, notify_assignee, source_ref)


# --- changing a request ----------------------------------------------------------------------


def _current(actor, request_id, version):
    """Load the request for a change; raise RequestConflict unless still at ``version``."""
    request = load_request(actor, request_id)
    if version != request.version:
        raise RequestConflict(CHANGED_MEANWHILE, request)
    return request


def _commit_or_conflict(actor, request_id):
    """Commit; a concurrent change (stale version) rolls back and raises RequestConflict."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.expire_all()
        raise RequestConflict(CHANGED_MEANWHILE, load_request(actor, request_id)) from None


def _first_response(request, now):
    """Record the first response at ``now`` (once), flagging it late past its deadline."""
    if request.first_responded_at is None:
        request.first_responded_at = now
        if now > request.first_response_due_at:
            request.response_breached = True


def _cancel_callback_tasks(actor, request, now):
    """Cancel the pending call-back task of a reopened request (one UPDATE, versions bumped)."""
    db.session.execute(
        update(Task)
        .where(Task.kind == RuleKind.SERVICE_CALLBACK, Task.source_ref == source_ref(request.id),
               Task.status.in_(TaskStatus.PENDING))
        .values(status=TaskStatus.CANCELLED, completed_at=now, version=Task.version + 1)
        .execution_options(synchronize_session=False))


def raise_callback_task(request, today):
    """Raise the call-back task for the customer's maintainer; return its id or None."""
    rule = db.session.get(FollowupRule, RuleKind.SERVICE_CALLBACK)
    days = rule.lead_days if rule is not None and rule.lead_days else CALLBACK_DAYS
    task = raise_task(RuleKind.SERVICE_CALLBACK, request.customer_id, source_ref(request.id),
                      today + timedelta(days=days), {"subject": request.subject}, today=today)
    return task.id if task is not None else None


def _apply_transition(actor, request, to_status, comment, now, today):
    """Set the fields a move to ``to_status`` changes; return extra timeline detail.

    Every column is set before the call-back task is raised or cancelled: those statements
    flush the request, and one flush means one version step.
    """
    from_status, detail = request.status, {}
    request.status = to_status
    if to_status == RequestStatus.IN_PROGRESS:
        _first_response(request, now)
        if from_status == RequestStatus.RESOLVED:
            request.resolved_at = None
            detail["reopened"] = True
            _cancel_callback_tasks(actor, request, now)
    elif to_status == RequestStatus.RESOLVED:
        request.resolved_at = now
        if now > request.resolution_due_at:
            request.resolution_breached = True
        detail["callback_task_id"] = raise_callback_task(request, today)
    elif to_status == RequestStatus.CLOSED:
        request.closed_at = now
    elif to_status == RequestStatus.CANCELLED:
        request.cancel_reason = comment
    return detail


def change_status(actor, request_id, version, to_status, comment, now, today):
    """Move a request to ``to_status`` if the workflow allows it; return the request.

    new → in_progress | cancelled, in_progress → resolved | cancelled, resolved → closed |
    in_progress (reopen); closed and cancelled are final. Anything else raises
    RequestInvalid, as does cancelling without a reason. Starting work is the first
    response; resolving raises the customer's call-back task; reopening cancels it.
    """
    request = _current(actor, request_id, version)
    from_status = request.status
    if to_status not in RequestStatus.TRANSITIONS.get(from_status, ()):
        raise RequestInvalid(_l("A request that is %(status)s cannot be moved to “%(target)s”.",
                                status=STATUS_LABELS.get(from_status, from_status),
                                target=STATUS_LABELS.get(to_status, to_status or "—")),
                             "to_status")
    required = (_l("Give the reason for cancelling (at least %(min)d characters).",
                   min=REASON_MIN) if to_status == RequestStatus.CANCELLED else None)
    comment = checked_text(comment, REASON_MAX if required else COMMENT_MAX, "comment",
                           required, REASON_MIN)
    detail = _apply_transition(actor, request, to_status, comment, now, today)
    add_event(request, actor, "status_changed", now, from_status=from_status,
              to_status=to_status, comment=comment or None, detail=detail)
    audit.record(actor, "service_request.status_changed", request, from_status=from_status,
                 to_status=to_status, **({"reason": comment} if required else {}))
    _commit_or_conflict(actor, request_id)
    return request


def assign_request(actor, request_id, version, assignee_id, now):
    """Assign a request to an eligible staff member (see ``eligible_assignees``); notify them."""
    request = _current(actor, request_id, version)
    if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise RequestInvalid(_l("A closed or cancelled request cannot be reassigned."),
                             "assignee_id")
    assignee = next((s for s in eligible_assignees(actor, request)
                     if s.id == valid_id(assignee_id)), None)
    if assignee is None:
        raise RequestInvalid(_l("Choose an active colleague of the request's branch."),
                             "assignee_id")
    if assignee.id == request.assignee_id:
        raise RequestInvalid(_l("The request is already assigned to %(name)s.",
                                name=assignee.display_name), "assignee_id")
    previous = request.assignee
    request.assignee_id = assignee.id
    add_event(request, actor, "assigned", now, detail={
        "from_id": previous.id if previous else None,
        "from_name": previous.display_name if previous else None,
        "to_id": assignee.id, "to_name": assignee.display_name})
    audit.record(actor, "service_request.assigned", request,
                 from_staff_id=previous.id if previous else None, to_staff_id=assignee.id)
    if assignee.id != actor.id:
        notify_assignee(request, actor, now)
    _commit_or_conflict(actor, request_id)
    return request


def add_comment(actor, request_id, comment, now):
    """Add a comment to the timeline; the first one by staff counts as the first response."""
    request = load_request(actor, request_id)
    comment = checked_text(comment, COMMENT_MAX, "comment", _l("Write the comment."))
    _first_response(request, now)
    add_event(request, actor, "comment", now, comment=comment)
    audit.record(actor, "service_request.commented", request, length=len(comment))
    _commit_or_conflict(actor, request_id)
    return request


# --- satisfaction after the call-back --------------------------------------------------------


def _complete_callback_tasks(actor, request, score, comment, now, today):
    """Complete the request's pending call-back task(s) with a Contact each; return their ids.

    One set-based UPDATE (status done, outcome reached, version bumped), one bulk INSERT of
    contacts, and the customer's last contact moved to ``today``.
    """
    note = _l("Satisfaction %(score)d/5", score=score)
    note = f"{note}: {comment}" if comment else str(note)
    done = db.session.execute(
        update(Task)
        .where(Task.kind == RuleKind.SERVICE_CALLBACK, Task.source_ref == source_ref(request.id),
               Task.status.in_(TaskStatus.PENDING))
        .values(status=TaskStatus.DONE, outcome=Outcome.REACHED, completed_at=now,
                note=note[:500], version=Task.version + 1)
        .returning(Task.id, Task.customer_id)
        .execution_options(synchronize_session=False)).all()
    if not done:
        return []
    db.session.execute(insert(Contact), [
        {"customer_id": customer_id, "staff_id": actor.id, "task_id": task_id,
         "channel": Channel.PHONE, "contacted_at": now, "outcome": Outcome.REACHED,
         "summary": note[:1000], "products_discussed": []}
        for task_id, customer_id in done])
    db.session.execute(
        update(Customer)
        .where(Customer.id == request.customer_id,
               or_(Customer.last_contact_on.is_(None), Customer.last_contact_on < today))
        .values(last_contact_on=today, updated_at=now)
        .execution_options(synchronize_session=False))
    audit.record_many(actor, "task.completed", "task", [
        (task_id, request.branch_id, {"kind": RuleKind.SERVICE_CALLBACK,
                                      "customer_id": customer_id, "outcome": Outcome.REACHED,
                                      "channel": Channel.PHONE, "service_request_id": request.id})
        for task_id, customer_id in done])
    return [task_id for task_id, _customer in done]


def record_satisfaction(actor, request_id, score, comment, now, today, commit=True):
    """Store the customer's satisfaction (1–5, comment) on a resolved or closed request.

    Maintainers and supervisors who can see the request. Also completes the request's
    pending call-back task, if any, recording the call as a contact. Satisfaction is
    recorded once: a second time raises RequestConflict. With ``commit=False`` it joins the
    caller's transaction (the queue's completion of a call-back task) and leaves the commit
    to it. Returns the request.
    """
    if actor.role not in SATISFACTION_ROLES:
        raise NotAllowed()
    request = load_request(actor, request_id)
    if request.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        raise RequestInvalid(_l("Satisfaction is recorded once the request is resolved."),
                             "score")
    if request.satisfaction is not None:
        raise RequestConflict(_l("The customer's satisfaction was already recorded; nothing "
                                 "was changed."), request)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise RequestInvalid(_l("Choose a score from 1 to 5."), "score")
    comment = checked_text(comment, SATISFACTION_COMMENT_MAX, "comment")
    request.satisfaction, request.satisfaction_comment = score, comment or None
    tasks = _complete_callback_tasks(actor, request, score, comment, now, today)
    add_event(request, actor, "satisfaction", now, comment=comment or None,
              detail={"score": score, "task_ids": tasks})
    audit.record(actor, "service_request.satisfaction_recorded", request, score=score,
                 task_ids=tasks)
    if commit:
        _commit_or_conflict(actor, request_id)
    else:
        db.session.flush()
    return request
