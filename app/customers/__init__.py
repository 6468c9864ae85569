"""Blueprint customers."""
from flask import Blueprint

bp = Blueprint("customers", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views  # noqa: F401
    return bp
