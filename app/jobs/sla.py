"""The SLA job (every five minutes): flag breached service requests and escalate them."""
from ..clock import utcnow
from ..extensions import db
from ..service_requests.services.escalation import escalate_service_requests


def run_sla_escalation(now=None):
    """Run the SLA check now in one transaction and commit it; return an ``EscalationResult``."""
    result = escalate_service_requests(now or utcnow())
    db.session.commit()
    return result
