"""Translated display names for the domain's codes (tiers, statuses, categories …)."""
from functools import partial

from flask_babel import lazy_gettext as _l

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
    "branch": _l("Branch"),
    "outlet": _l("Outlet"),
}

GENDER_LABELS = {"M": _l("Male"), "F": _l("Female")}

LABELS = {
    "tier_label": TIER_LABELS,
    "status_label": CUSTOMER_STATUS_LABELS,
    "category_label": PRODUCT_CATEGORY_LABELS,
    "branch_kind_label": BRANCH_KIND_LABELS,
    "gender_label": GENDER_LABELS,
}


def label(table, code):
    """Return the display name of ``code`` in ``table``, or the code itself if unknown."""
    return table.get(code, code)


def register_labels(app):
    """Expose one lookup function per table to templates, e.g. ``tier_label('gold')``."""
    app.jinja_env.globals.update({name: partial(label, table) for name, table in LABELS.items()})
