"""The maintainer's task queue, contacts, the supervisor's team view and portfolio handover."""
from flask import Blueprint

bp = Blueprint("tasks", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views, views_team  # noqa: F401
    return bp
