"""Sending one request of the matrix or the fuzzing: the URL, the client, the body."""
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict

from .matrix import MATRIX

CSRF_MESSAGE = "sent without its security token"


def rule_arguments(app, endpoint):
    """Return the URL arguments of ``endpoint``'s rule."""
    return set().union(*(rule.arguments for rule in app.url_map.iter_rules(endpoint)))


def target(bank, endpoint, role, in_scope=True):
    """Return the URL, the parameters naming the record for ``role``, and whether it exists."""
    access = MATRIX[endpoint]
    values, params, exists = {}, {}, False
    if access.scope is not None:
        scope = access.scope
        record = scope.record(bank.ids, role, in_scope)
        exists = record != scope.missing
        if scope.arg in rule_arguments(bank.app, endpoint):
            values[scope.arg] = record
        else:
            params[scope.arg] = record
    url = bank.app.url_map.bind("localhost").build(endpoint, values)
    return url, params, exists


def form_data(bank, endpoint):
    """Return the form fields the matrix sends with a POST to ``endpoint``."""
    data = {}
    for name, value in MATRIX[endpoint].data.items():
        data[name] = bank.ids.get(value, value) if isinstance(value, str) else value
    return data


def send(bank, method, url, role, params=None, follow=False, htmx=False):
    """Send ``params`` to ``url`` as ``role`` (a POST with the session's CSRF token).

    ``htmx`` sends it as htmx does; ``follow`` follows a redirect to a page of this site.
    """
    client = bank.client(role)
    params = MultiDict(params or {})
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        response = client.get(url, query_string=params, headers=headers)
    else:
        if "csrf_token" not in params:
            params["csrf_token"] = client.csrf_token
        response = client.post(url, data=params, headers=headers)
    if follow and is_local_redirect(response):
        response.close()
        response = client.get(response.headers["Location"], headers=headers)
    response.get_data()
    response.close()
    return response


def is_local_redirect(response):
    """Tell whether ``response`` redirects to a page of this site other than the login."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    parts = urlsplit(response.headers.get("Location", ""))
    return not parts.netloc and parts.path.startswith("/") and parts.path != "/login"


def login_redirect(response):
    """Tell whether ``response`` sends the visitor to the login page."""
    return (response.status_code == 302
            and urlsplit(response.headers.get("Location", "")).path == "/login")
