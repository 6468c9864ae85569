"""Blueprint service_requests: customers' requests and complaints with SLA clocks."""
from flask import Blueprint

bp = Blueprint("service_requests", __name__)

from . import views, views_detail  # noqa: E402,F401
