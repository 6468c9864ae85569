"""Head-office administration: staff, branches, tiers, value-added services, follow-up rules."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import views_branches, views_settings, views_staff  # noqa: E402,F401
from . import views_rules  # noqa: E402,F401
from . import views_sla  # noqa: E402,F401
