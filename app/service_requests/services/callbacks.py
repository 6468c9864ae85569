"""The service call-back: where service requests and the task queue meet, in one place.

Resolving a request raises the customer's call-back task (``raise_callback_task``);
reopening it cancels that task (``cancel_callback_tasks``). The customer's satisfaction is
recorded here, whichever side the maintainer starts from: on the request's page
(``record_satisfaction``, which completes the pending call-back task) or by completing the
call-back task in the queue with a score (``complete_callback_from_queue``, registered
with the task engine). The tasks never import service requests; service requests reach
the tasks only through ``app.tasks.engine``.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import access, audit
from ...database import commit_or_conflict
from ...errors import FieldInvalid, NotAllowed
from ...extensions import db
from ...models import FollowupRule, RequestStatus, RuleKind, Task, TaskStatus
from ...tasks.engine import (cancel_source_tasks, complete_source_tasks, on_completion,
                             raise_task)
from .requests import (CALLBACK_DAYS, SATISFACTION_COMMENT_MAX,
                       RequestConflict, add_event, checked_text,
                       conflict_for, load_request, request_id_from_source, source_ref)


def raise_callback_task(request, today):
    """Raise the call-back task for the customer's maintainer; return its id or None."""
    rule = db.session.get(FollowupRule, RuleKind.SERVICE_CALLBACK)
    days = rule.lead_days if rule is not None and rule.lead_days else CALLBACK_DAYS
    task = raise_task(RuleKind.SERVICE_CALLBACK, request.customer_id, source_ref(request.id),
                      today + timedelta(days=days), {"subject": request.subject}, today=today)
    return task.id if task is not None else None


def cancel_callback_tasks(request, now):
    """Cancel the pending call-back task of a reopened request."""
    cancel_source_tasks(RuleKind.SERVICE_CALLBACK, source_ref(request.id), now)


def open_callback_task(request_id):
    """Return the pending call-back task of a request, if there is one."""
    return db.session.scalar(select(Task).where(
        Task.kind == RuleKind.SERVICE_CALLBACK, Task.source_ref == source_ref(request_id),
        Task.status.in_(TaskStatus.PENDING)).order_by(Task.id.desc()).limit(1))


def _complete_callback_tasks(actor, request, score, comment, now, today):
    """Complete the request's pending call-back task(s) as a phone call; return their ids."""
    note = _l("Satisfaction %(score)d/5", score=score)
    note = f"{note}: {comment}" if comment else str(note)
    return complete_source_tasks(actor, RuleKind.SERVICE_CALLBACK, source_ref(request.id),
                                 note, now, today, request.branch_id,
                                 service_request_id=request.id)


def record_satisfaction(actor, request_id, score, comment, now, today, commit=True):
    """Store the customer's satisfaction (1–5, comment) on a resolved or closed request.

    Maintainers and supervisors who can see the request. Also completes the request's
    pending call-back task, if any, recording the call as a contact. Satisfaction is
    recorded once: a second time raises RequestConflict. With ``commit=False`` it joins the
    caller's transaction (the queue's completion of a call-back task) and leaves the commit
    to it. Returns the request.
    """
    if not actor.has_role(*access.CONTACT_ROLES):
        raise NotAllowed()
    request = load_request(actor, request_id)
    if request.status not in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        raise FieldInvalid(_l("Satisfaction is recorded once the request is resolved."),
                           "score")
    if request.satisfaction is not None:
        raise RequestConflict(_l("The customer's satisfaction was already recorded; nothing "
                                 "was changed."), request)
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise FieldInvalid(_l("Choose a score from 1 to 5."), "score")
    comment = checked_text(comment, SATISFACTION_COMMENT_MAX, "comment")
    request.satisfaction, request.satisfaction_comment = score, comment or None
    tasks = _complete_callback_tasks(actor, request, score, comment, now, today)
    add_event(request, actor, "satisfaction", now, comment=comment or None,
              detail={"score": score, "task_ids": tasks})
    audit.record(actor, "service_request.satisfaction_recorded", request, score=score,
                 task_ids=tasks)
    if commit:
        commit_or_conflict(conflict_for(actor, request_id))
    else:
        db.session.flush()
    return request


@on_completion(RuleKind.SERVICE_CALLBACK)
def complete_callback_from_queue(actor, task, score, comment, now, today):
    """Store the score given when completing a call-back task, in the completion's transaction.

    A bad score (or a request that cannot take one) refuses the completion: everything is
    rolled back and the error is shown on the queue form's satisfaction field.
    """
    request_id = request_id_from_source(task.source_ref)
    if request_id is None:
        return
    try:
        record_satisfaction(actor, request_id, score, comment, now, today, commit=False)
    except FieldInvalid as error:
        db.session.rollback()
        raise FieldInvalid(error.message, "satisfaction")
