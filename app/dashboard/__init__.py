"""The home page: a summary fitted to the staff member's role, and the health check."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from . import views  # noqa: E402,F401
