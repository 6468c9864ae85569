"""Blueprint customers."""
from flask import Blueprint

bp = Blueprint("customers", __name__)

from . import views  # noqa: E402,F401
