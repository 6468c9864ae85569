"""The navigation bar: which pages each role sees."""
from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from .access import CUSTOMER_ROLES, MANAGER_ROLES
from .models import Role

# (endpoint, label, roles that see it, URL prefix that marks it active)
NAV = [
    ("dashboard.home", _l("Home"), Role.ALL, None),
    ("tasks.queue", _l("My queue"), (Role.MAINTAINER,), "/tasks"),
    ("customers.index", _l("Customers"), CUSTOMER_ROLES, "/customers"),
    ("tasks.team", _l("Team"), (Role.SUPERVISOR,), "/tasks/team"),
    ("service_requests.index", _l("Service requests"), CUSTOMER_ROLES, "/service-requests"),
    ("training.home", _l("Training"), Role.ALL, "/training"),
    ("imports.upload", _l("Import"), MANAGER_ROLES, "/imports"),
    ("admin.staff_list", _l("Administration"), (Role.ADMIN,), "/admin"),
    ("auditlog.index", _l("Audit"), MANAGER_ROLES, "/audit"),
]


def nav_items(staff):
    """Return the navigation entries ``staff`` sees, marking the current one active."""
    items = []
    for endpoint, label, roles, prefix in NAV:
        if not staff.has_role(*roles) or endpoint not in current_app.view_functions:
            continue
        url = url_for(endpoint)
        active = request.path.startswith(prefix) if prefix else request.path == url
        items.append({"url": url, "label": label, "active": active, "endpoint": endpoint})
    return items


def register_navigation(app):
    """Expose the navigation helpers to every template."""
    from flask_login import current_user

    @app.context_processor
    def navigation():
        return {
            "nav_items": lambda: nav_items(current_user),
        }
