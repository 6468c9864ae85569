"""Blueprint notifications: a staff member's in-app messages and the unread badge."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views  # noqa: F401
    return bp
