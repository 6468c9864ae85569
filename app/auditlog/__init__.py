"""Blueprint auditlog."""
from flask import Blueprint

bp = Blueprint("auditlog", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views  # noqa: F401
    return bp
