"""Notifications: write them in bulk for other features, list and mark one's own as read.

A staff member only ever sees their own notifications; another's id is not found (audited).
"""
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update

from .. import access
from ..clock import utcnow
from ..extensions import db
from ..models import Notification
from ..paging import keyset_page
from ..routing import clamp_id, local_path

PAGE_SIZE = 30
LINK_MAX = 200


def notify(staff_ids, kind, params=None, link=None, now=None):
    """Add one notification of ``kind`` for each of ``staff_ids`` (one bulk INSERT).

    ``params`` are the plain values the text of ``kind`` needs (see ``texts.TEXTS``);
    ``link`` is a path on this site. Runs in the caller's transaction: the caller commits.
    Returns how many were added.
    """
    return notify_many([(staff_ids, kind, params, link)], now)


def notify_many(messages, now=None):
    """Add the notifications of many messages in ONE bulk INSERT (set-based work, e.g. SLA).

    Each message is ``(staff_ids, kind, params, link)``, what one ``notify`` call takes.
    Runs in the caller's transaction: the caller commits. Returns how many were added.
    """
    created_at = now or utcnow()
    rows = [{"staff_id": staff_id, "kind": kind, "params": dict(params or {}),
             "link": (link or None) and link[:LINK_MAX], "created_at": created_at}
            for staff_ids, kind, params, link in messages
            for staff_id in sorted({staff_id for staff_id in staff_ids if staff_id is not None})]
    if rows:
        db.session.execute(insert(Notification), rows)
    return len(rows)


@dataclass
class NotificationPage:
    """A page of one's notifications, newest first, whether newer / older pages exist."""

    notifications: list
    has_prev: bool
    has_next: bool
    unread: int


def unread_count(actor):
    """Return how many of ``actor``'s notifications are unread."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.staff_id == actor.id, Notification.read_at.is_(None))) or 0


def list_notifications(actor, before=None, after=None, page_size=None):
    """Return a page of ``actor``'s notifications newest first (keyset, ``app.paging``).

    ``before`` gives those older than that id, ``after`` the page of those newer than it.
    """
    page = keyset_page(select(Notification), Notification, [Notification.staff_id == actor.id],
                       descending=True, after=clamp_id(before), before=clamp_id(after),
                       size=page_size or PAGE_SIZE)
    return NotificationPage(page.rows, page.has_prev, page.has_next, unread_count(actor))


def open_notification(actor, notification_id, now):
    """Mark one of ``actor``'s notifications read; return its link (a local path) or None.

    Another's (or an unknown) id raises NotFound; the refusal of another's is audited.
    """
    notification = access.load_scoped(actor, Notification, notification_id,
                                      Notification.staff_id == actor.id)
    if notification.read_at is None:
        notification.read_at = now
    link = local_path(notification.link)
    db.session.commit()
    return link


def mark_all_read(actor, now):
    """Mark every unread notification of ``actor`` read; return how many were."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.staff_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount
