"""Blueprint notifications: a staff member's in-app messages and the unread badge."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from . import views  # noqa: E402,F401
