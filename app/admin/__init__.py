"""Head-office administration: staff, branches, tiers, services, follow-up rules, working days."""
from flask import Blueprint

bp = Blueprint("admin", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views_branches, views_settings, views_staff, views_rules, views_sla  # noqa: F401
    from . import views_calendar  # noqa: F401
    from . import views_reveal_watch  # noqa: F401
    return bp
