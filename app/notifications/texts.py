"""The texts of in-app notifications, rendered at display time in the reader's language.

A notification stores a ``kind`` and plain ``params``; the text comes from ``TEXTS`` so it
follows the reader's language and later wording changes. Params named in ``PARAM_LABELS``
are codes translated through their table (e.g. the reason of an escalation).
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..labels import ESCALATION_REASON_LABELS, label

SR_ESCALATED = "sr_escalated"
SR_ASSIGNED = "sr_assigned"
REVEAL_LIMIT_REACHED = "reveal_limit_reached"
CERT_EXPIRING = "cert_expiring"
CERT_EXPIRED = "cert_expired"

TEXTS = {
    SR_ESCALATED: _l("Service request #%(request_id)s “%(subject)s” is escalated to you "
                     "(level %(level)s): %(reason)s."),
    SR_ASSIGNED: _l("Service request #%(request_id)s “%(subject)s” was assigned to you by "
                    "%(by)s."),
    REVEAL_LIMIT_REACHED: _l("%(name)s reached today's limit of %(limit)s personal-data "
                             "reveals and cannot reveal more until tomorrow."),
    CERT_EXPIRING: _l("The %(certification)s certification of %(holder)s expires on "
                      "%(expires_on)s, in %(days)s days: plan its renewal."),
    CERT_EXPIRED: _l("The %(certification)s certification of %(holder)s expired on "
                     "%(expires_on)s."),
}

PARAM_LABELS = {"reason": ESCALATION_REASON_LABELS}


def render_text(kind, params):
    """Return the text of a notification of ``kind`` with ``params``, in the current language.

    An unknown kind, or params that do not fit the template, give a neutral text rather
    than an error, so an old notification never breaks the page.
    """
    template = TEXTS.get(kind)
    if template is None:
        return _("You have a new notification.")
    values = {}
    for name, value in (params or {}).items():
        values[name] = label(PARAM_LABELS[name], value) if name in PARAM_LABELS else value
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return _("You have a new notification.")
