"""Blueprint auditlog."""
from flask import Blueprint

bp = Blueprint("auditlog", __name__)

from . import views  # noqa: E402,F401
