"""The workflow of a service request: status changes, assignment, comments.

Each change is checked against the version the form showed (a request changed meanwhile
raises :class:`RequestConflict` carrying it as it is now), audited (``service_request.*``)
and added to the timeline in the same transaction. Resolving raises the customer's call-back
task and reopening cancels it (``callbacks``, where the satisfaction is recorded too).
"""
from flask_babel import lazy_gettext as _l

from ... import audit
from ...database import commit_or_conflict
from ...errors import FieldInvalid
from ...labels import REQUEST_STATUS_LABELS, label
from ...models import RequestStatus
from ...routing import valid_id
from .callbacks import cancel_callback_tasks, raise_callback_task
from .requests import (CHANGED_MEANWHILE, COMMENT_MAX, REASON_MAX, REASON_MIN, RequestConflict,
                       add_event, checked_text, conflict_for,
                       eligible_assignees, load_request, notify_assignee)


# --- changing a request ----------------------------------------------------------------------


def _current(actor, request_id, version):
    """Load the request for a change; raise RequestConflict unless still at ``version``."""
    request = load_request(actor, request_id)
    if version != request.version:
        raise RequestConflict(CHANGED_MEANWHILE, request)
    return request


def _first_response(request, now):
    """Record the first response at ``now`` (once), flagging it late past its deadline."""
    if request.first_responded_at is None:
        request.first_responded_at = now
        if now > request.first_response_due_at:
            request.response_breached = True


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
            cancel_callback_tasks(request, now)
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
    FieldInvalid, as does cancelling without a reason. Starting work is the first
    response; resolving raises the customer's call-back task; reopening cancels it.
    """
    request = _current(actor, request_id, version)
    from_status = request.status
    if to_status not in RequestStatus.TRANSITIONS.get(from_status, ()):
        raise FieldInvalid(_l("A request that is %(status)s cannot be moved to “%(target)s”.",
                              status=label(REQUEST_STATUS_LABELS, from_status),
                              target=REQUEST_STATUS_LABELS.get(to_status, to_status or "—")),
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
    commit_or_conflict(conflict_for(actor, request_id))
    return request


def assign_request(actor, request_id, version, assignee_id, now):
    """Assign a request to an eligible staff member (see ``eligible_assignees``); notify them."""
    request = _current(actor, request_id, version)
    if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise FieldInvalid(_l("A closed or cancelled request cannot be reassigned."),
                           "assignee_id")
    assignee = next((s for s in eligible_assignees(actor, request)
                     if s.id == valid_id(assignee_id)), None)
    if assignee is None:
        raise FieldInvalid(_l("Choose an active colleague of the request's branch."),
                           "assignee_id")
    if assignee.id == request.assignee_id:
        raise FieldInvalid(_l("The request is already assigned to %(name)s.",
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
    commit_or_conflict(conflict_for(actor, request_id))
    return request


def add_comment(actor, request_id, comment, now):
    """Add a comment to the timeline; the first one by staff counts as the first response."""
    request = load_request(actor, request_id)
    comment = checked_text(comment, COMMENT_MAX, "comment", _l("Write the comment."))
    _first_response(request, now)
    add_event(request, actor, "comment", now, comment=comment)
    audit.record(actor, "service_request.commented", request, length=len(comment))
    commit_or_conflict(conflict_for(actor, request_id))
    return request
