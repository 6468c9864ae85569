"""Blueprint service_requests: customers' requests and complaints with SLA clocks."""
from flask import Blueprint

bp = Blueprint("service_requests", __name__)


def blueprint():
    """Return ``bp`` with its views attached; importing the package alone loads no view."""
    from . import views, views_detail  # noqa: F401
    return bp
