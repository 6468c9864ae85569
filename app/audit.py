"""Write audit events in the same transaction as the change they describe."""
from flask import has_request_context, request
from sqlalchemy import insert

from .clock import utcnow
from .extensions import db
from .models import AuditEvent


def _client_ip():
    if not has_request_context():
        return None
    return request.remote_addr


def record(actor, action, obj=None, *, branch_id=None, object_type=None, object_id=None,
           **detail):
    """Add an audit event for ``actor`` doing ``action`` to ``obj``; the caller commits.

    ``branch_id`` defaults to the record's branch, else the actor's, so supervisors see the
    events of their subtree.
    """
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
        if branch_id is None:
            branch_id = getattr(obj, "branch_id", None)
    if branch_id is None and actor is not None:
        branch_id = actor.branch_id
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.username if actor is not None else detail.get("username"),
        branch_id=branch_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        ip=_client_ip(),
        detail=detail,
    )
    db.session.add(event)
    return event


def record_many(actor, action, object_type, rows):
    """Bulk-insert one event per ``(object_id, branch_id, detail)`` row; the caller commits.

    For set-based changes (reassigning thousands of customers) where one ``record`` call
    per row would load and flush an ORM object each.
    """
    now, ip = utcnow(), _client_ip()
    values = [
        {"occurred_at": now, "actor_id": actor.id if actor else None,
         "actor_name": actor.username if actor else None, "branch_id": branch_id,
         "action": action, "object_type": object_type, "object_id": str(object_id), "ip": ip,
         "detail": detail}
        for object_id, branch_id, detail in rows]
    if values:
        db.session.execute(insert(AuditEvent), values)
