"""Training and certification: the trainer's blueprint and the five-dimension profile."""
from flask import Blueprint

bp = Blueprint("training", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views, views_import, views_people, views_sessions  # noqa: F401
    return bp
