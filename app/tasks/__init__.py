"""The maintainer's task queue, contacts, the supervisor's team view and portfolio handover."""
from flask import Blueprint

bp = Blueprint("tasks", __name__)

from . import views, views_team  # noqa: E402,F401
