"""Blueprint imports."""
from flask import Blueprint

bp = Blueprint("imports", __name__)

from . import views  # noqa: E402,F401
