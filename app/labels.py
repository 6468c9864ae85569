"""The one registry of translated display names for the domain's codes.

Every table maps a stored code (tier, status, role, request kind …) to a lazy string, so
the name follows the reader's language. ``label`` looks a code up, ``label_choices``
builds select choices from a table, and ``register_labels`` exposes one lookup function
per table to templates (``tier_label('gold')``, ``sr_status_label(r.status)`` …).
"""
from functools import partial

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms.fields.choices import SelectChoice

from .models import RequestChannel, RequestKind, RequestPriority, RequestStatus, Role

TIER_LABELS = {
    "mass": _l("Mass"),
    "gold": _l("Gold"),
    "platinum": _l("Platinum"),
    "diamond": _l("Diamond"),
    "private": _l("Private banking"),
}

CUSTOMER_STATUS_LABELS = {
    "active": _l("Active"),
    "dormant": _l("Dormant"),
    "closed": _l("Closed"),
}

PRODUCT_CATEGORY_LABELS = {
    "deposit": _l("Deposit"),
    "wealth": _l("Wealth management"),
    "fund": _l("Fund"),
    "insurance": _l("Insurance"),
    "precious_metal": _l("Precious metal"),
    "loan": _l("Loan"),
    "card": _l("Card"),
}

BRANCH_KIND_LABELS = {
    "head_office": _l("Head office"),
    # "Branch" alone is any unit (机构); as a kind it is the level below head office (分行).
    "branch": lazy_pgettext("branch kind", "Branch"),
    "outlet": _l("Outlet"),
}

GENDER_LABELS = {"M": _l("Male"), "F": _l("Female")}

TASK_KIND_LABELS = {
    "birthday": _l("Birthday"),
    "maturity": _l("Maturity"),
    "cadence": _l("Regular contact"),
    "dormant": _l("Dormant customer"),
    "tier_change": _l("Tier change"),
    "risk_review": _l("Risk review"),
    "welcome": _l("Welcome"),
    "service_callback": _l("Service call-back"),
    "campaign": _l("Promotion"),
}

OUTCOME_LABELS = {
    "reached": _l("Reached"),
    "not_reached": _l("Not reached"),
    "product_sold": _l("Product sold"),
    "appointment": _l("Appointment made"),
    "declined": _l("Declined"),
    "complaint": _l("Complaint"),
}

CHANNEL_LABELS = {
    "phone": _l("Phone"),
    "visit": _l("Visit"),
    "wechat": _l("WeChat"),
    "sms": _l("SMS"),
    "video": _l("Video call"),
}

DAY_KIND_LABELS = {
    "holiday": _l("Holiday"),
    "working_day": _l("Working day"),
}

# The official calendar's names (chinese-calendar package), shown on the calendar page.
HOLIDAY_LABELS = {
    "New Year's Day": _l("New Year's Day"),
    "Spring Festival": _l("Spring Festival"),
    "Tomb-sweeping Day": _l("Tomb-sweeping Day"),
    "Labour Day": _l("Labour Day"),
    "Dragon Boat Festival": _l("Dragon Boat Festival"),
    "National Day": _l("National Day"),
    "Mid-autumn Festival": _l("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _l("Victory Day (70th anniversary)"),
}

DIMENSION_LABELS = {
    "product": _l("Product knowledge"),
    "compliance": _l("Compliance and risk"),
    "sales": _l("Sales and marketing"),
    "service": _l("Service and communication"),
    "digital": _l("Digital and fintech tools"),
}

COURSE_MODE_LABELS = {
    "classroom": _l("Classroom"),
    "online": _l("Online"),
    "on_the_job": _l("On the job"),
}

SESSION_STATUS_LABELS = {
    "planned": _l("Planned"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}

ATTENDANCE_LABELS = {
    "enrolled": _l("Enrolled"),
    "present": _l("Present"),
    "absent": _l("Absent"),
    "excused": _l("Excused"),
}

ROLE_LABELS = {
    Role.MAINTAINER: _l("Maintainer"),
    Role.TRAINER: _l("Trainer"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.ADMIN: _l("Head office"),
}

# Why a customer's tier changed (tier history).
TIER_CHANGE_REASON_LABELS = {
    "import": _l("Customer import"),
    "retier": _l("Nightly re-tiering"),
    "nightly": _l("Nightly re-tiering"),
    "manual": _l("Changed by head office"),
}

TIER_DIRECTION_LABELS = {"upgrade": _l("Upgrade"), "downgrade": _l("Downgrade")}

REQUEST_KIND_LABELS = {
    RequestKind.COMPLAINT: _l("Complaint"),
    RequestKind.ACCOUNT_CARD: _l("Account or card issue"),
    RequestKind.WEALTH_INQUIRY: _l("Wealth inquiry"),
    RequestKind.VALUE_ADDED: _l("Value-added booking"),
    RequestKind.OTHER: _l("Other"),
}

REQUEST_PRIORITY_LABELS = {
    RequestPriority.LOW: _l("Low"),
    RequestPriority.NORMAL: _l("Normal"),
    RequestPriority.HIGH: _l("High"),
    RequestPriority.URGENT: _l("Urgent"),
}

REQUEST_CHANNEL_LABELS = {
    RequestChannel.COUNTER: _l("At the counter"),
    RequestChannel.PHONE: _l("Phone"),
    RequestChannel.ONLINE: _l("Online banking"),
    RequestChannel.WECHAT: _l("WeChat"),
    RequestChannel.LETTER: _l("Letter"),
}

REQUEST_STATUS_LABELS = {
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

# The reason of an escalation, as a notification's text says it.
ESCALATION_REASON_LABELS = {
    "response": _l("no first response in time"),
    "resolution": _l("not resolved in time"),
}

SATISFACTION_LABELS = {
    1: _l("1 – very dissatisfied"),
    2: _l("2 – dissatisfied"),
    3: _l("3 – neutral"),
    4: _l("4 – satisfied"),
    5: _l("5 – very satisfied"),
}

LABELS = {
    "tier_label": TIER_LABELS,
    "status_label": CUSTOMER_STATUS_LABELS,
    "category_label": PRODUCT_CATEGORY_LABELS,
    "branch_kind_label": BRANCH_KIND_LABELS,
    "gender_label": GENDER_LABELS,
    "kind_label": TASK_KIND_LABELS,
    "outcome_label": OUTCOME_LABELS,
    "channel_label": CHANNEL_LABELS,
    "day_kind_label": DAY_KIND_LABELS,
    "holiday_label": HOLIDAY_LABELS,
    "dimension_label": DIMENSION_LABELS,
    "course_mode_label": COURSE_MODE_LABELS,
    "session_status_label": SESSION_STATUS_LABELS,
    "attendance_label": ATTENDANCE_LABELS,
    "role_label": ROLE_LABELS,
    "tier_reason_label": TIER_CHANGE_REASON_LABELS,
    "sr_kind_label": REQUEST_KIND_LABELS,
    "sr_priority_label": REQUEST_PRIORITY_LABELS,
    "sr_channel_label": REQUEST_CHANNEL_LABELS,
    "sr_status_label": REQUEST_STATUS_LABELS,
    "sr_sla_label": SLA_STATE_LABELS,
    "sr_breach_label": BREACH_LABELS,
    "sr_satisfaction_label": SATISFACTION_LABELS,
}


def label(table, code):
    """Return the display name of ``code`` in ``table``, or the code itself if unknown."""
    return table.get(code, code)


def label_choices(table, codes, blank=None):
    """Return select choices for ``codes`` labelled from ``table`` (``blank`` first if given)."""
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(code, label(table, code)) for code in codes]


def role_label(role):
    """Return the translated name of ``role``."""
    return label(ROLE_LABELS, role)


def transition_label(from_status, to_status):
    """Return what the button moving a request from ``from_status`` to ``to_status`` says."""
    if from_status == RequestStatus.RESOLVED and to_status == RequestStatus.IN_PROGRESS:
        return REOPEN_LABEL
    return label(TRANSITION_LABELS, to_status)


def register_labels(app):
    """Expose one lookup function per table to templates, e.g. ``tier_label('gold')``."""
    app.jinja_env.globals.update({name: partial(label, table) for name, table in LABELS.items()})
    app.jinja_env.globals["sr_transition_label"] = transition_label
