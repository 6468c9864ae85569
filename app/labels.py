"""Translated display names for the domain's codes (tiers, statuses, categories …)."""
from functools import partial

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

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
}


def label(table, code):
    """Return the display name of ``code`` in ``table``, or the code itself if unknown."""
    return table.get(code, code)


def register_labels(app):
    """Expose one lookup function per table to templates, e.g. ``tier_label('gold')``."""
    app.jinja_env.globals.update({name: partial(label, table) for name, table in LABELS.items()})
