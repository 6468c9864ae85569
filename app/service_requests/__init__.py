"""Blueprint service_requests: customers' requests and complaints with SLA clocks."""
from flask import Blueprint

bp = Blueprint("service_requests", __name__)

# Registers the call-back's completion handler with the task engine (no view is loaded).
from .services import callbacks  # noqa: E402,F401


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views, views_detail  # noqa: F401
    return bp
