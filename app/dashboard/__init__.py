"""The home page: a summary fitted to the staff member's role, and the health check."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views  # noqa: F401
    return bp
