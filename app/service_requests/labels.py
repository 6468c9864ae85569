"""Translated names of request kinds, priorities, channels, statuses and timeline events."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import RequestChannel, RequestKind, RequestPriority, RequestStatus

KIND_LABELS = {
    RequestKind.COMPLAINT: _l("Complaint"),
    RequestKind.ACCOUNT_CARD: _l("Account or card issue"),
    RequestKind.WEALTH_INQUIRY: _l("Wealth inquiry"),
    RequestKind.VALUE_ADDED: _l("Value-added booking"),
    RequestKind.OTHER: _l("Other"),
}

PRIORITY_LABELS = {
    RequestPriority.LOW: _l("Low"),
    RequestPriority.NORMAL: _l("Normal"),
    RequestPriority.HIGH: _l("High"),
    RequestPriority.URGENT: _l("Urgent"),
}

CHANNEL_LABELS = {
    RequestChannel.COUNTER: _l("At the counter"),
    RequestChannel.PHONE: _l("Phone"),
    RequestChannel.ONLINE: _l("Online banking"),
    RequestChannel.WECHAT: _l("WeChat"),
    RequestChannel.LETTER: _l("Letter"),
}

STATUS_LABELS = {
    RequestStatus.NEW: _l("New"),
    RequestStatus.IN_PROGRESS: _l("In progress"),
    RequestStatus.RESOLVED: _l("Resolved"),
    RequestStatus.CLOSED: _l("Closed"),
    RequestStatus.CANCELLED: _l("Cancelled"),
}

# What the button that moves a request to a status says.
TRANSITION_LABELS = {
    RequestStatus.IN_PROGRESS: _l("Start work"),
    RequestStatus.RESOLVED: _l("Mark resolved"),
    RequestStatus.CLOSED: _l("Close"),
    RequestStatus.CANCELLED: _l("Cancel request"),
}
REOPEN_LABEL = _l("Reopen")

SLA_STATE_LABELS = {
    "on_time": _l("On time"),
    "due_soon": _l("Due soon"),
    "breached": _l("Breached"),
    "met": _l("Within SLA"),
}

BREACH_LABELS = {
    "response": _l("first response overdue"),
    "resolution": _l("resolution overdue"),
}

SATISFACTION_LABELS = {
    1: _l("1 – very dissatisfied"),
    2: _l("2 – dissatisfied"),
    3: _l("3 – neutral"),
    4: _l("4 – satisfied"),
    5: _l("5 – very satisfied"),
}


def transition_label(from_status, to_status):
    """Return what the button moving a request from ``from_status`` to ``to_status`` says."""
    if from_status == RequestStatus.RESOLVED and to_status == RequestStatus.IN_PROGRESS:
        return REOPEN_LABEL
    return TRANSITION_LABELS.get(to_status, to_status)


def duration_text(seconds):
    """Return a duration as days and hours, or hours and minutes: '2 d 3 h', '1 h 5 min'."""
    minutes = abs(int(seconds)) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h", days=days, hours=hours)
    if hours:
        return _("%(hours)d h %(minutes)d min", hours=hours, minutes=minutes)
    return _("%(minutes)d min", minutes=minutes)


def time_left_text(seconds):
    """Return the time left to a deadline, or how long it is overdue."""
    if seconds > 0:
        return _("%(duration)s left", duration=duration_text(seconds))
    return _("%(duration)s overdue", duration=duration_text(seconds))


def _lookup(table):
    return lambda code: table.get(code, code)


TEMPLATE_HELPERS = {
    "sr_kind_label": _lookup(KIND_LABELS),
    "sr_priority_label": _lookup(PRIORITY_LABELS),
    "sr_channel_label": _lookup(CHANNEL_LABELS),
    "sr_status_label": _lookup(STATUS_LABELS),
    "sr_sla_label": _lookup(SLA_STATE_LABELS),
    "sr_breach_label": _lookup(BREACH_LABELS),
    "sr_transition_label": transition_label,
    "sr_duration": duration_text,
    "sr_time_left": time_left_text,
    "sr_satisfaction_label": _lookup(SATISFACTION_LABELS),
}
