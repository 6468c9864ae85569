"""Durations of service requests in words: '2 d 3 h', '1 h 5 min left', '20 min overdue'.

The names of request kinds, priorities, statuses … live in the one registry, ``app.labels``.
"""
from flask_babel import gettext as _


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


TEMPLATE_HELPERS = {
    "sr_duration": duration_text,
    "sr_time_left": time_left_text,
}
