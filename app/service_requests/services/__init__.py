"""The services of the service_requests blueprint, one module per topic.

``requests`` (opening a request, loading one, the errors and checks the others share),
``workflow`` (status, assignment, comments), ``callbacks`` (the call-back task and the
customer's satisfaction, where requests meet the task queue), ``detail`` (the request's
page), ``listing`` (the list, its filters and the export), ``report`` (the SLA compliance
report), ``sla`` (the SLA clocks and head office's targets), ``escalation`` (the SLA
check the job runs) and ``demo`` (the demo seed). The names of ``requests`` the views use
most are gathered here.
"""
from .requests import (AllowanceExceeded, OpenInput, RequestConflict, eligible_assignees,
                       find_customer_by_number, load_request, open_request, opening_context,
                       request_id_from_source, source_ref, year_bounds)

__all__ = ["AllowanceExceeded", "OpenInput", "RequestConflict", "eligible_assignees",
           "find_customer_by_number", "load_request", "open_request", "opening_context",
           "request_id_from_source", "source_ref", "year_bounds"]
