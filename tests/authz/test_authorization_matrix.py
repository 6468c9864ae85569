"""The authorization matrix as a contract: every route, every role, in and out of scope.

For each route of ``app.url_map`` (listed in ``matrix.MATRIX``) and each role, with a record
in the role's scope and one outside it: an allowed role is served (200/302, or a 4xx
validation answer to a POST without its fields, never 403/404); a refused role gets
403/404; an out-of-scope record is a 404; an anonymous visitor is sent to the login page.
Refusals change nothing but the audit trail's refusal entries, and are audited.
"""
import pytest

from app import audit
from app.extensions import db
from app.models import Staff

from .matrix import MATRIX, routes
from .requests import CSRF_MESSAGE, form_data, login_redirect, send, target
from .world import ANONYMOUS, ROLES, digest, refusal_count, rolled_back

ALLOWED_GET = (200, 302, 303)
ALLOWED_POST = ALLOWED_GET + (400, 409, 422)


def app_routes(app):
    """Return {endpoint: methods} of every rule of the app (HEAD and OPTIONS left out)."""
    found = {}
    for rule in app.url_map.iter_rules():
        found.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    return found


def test_every_route_is_in_the_matrix(app):
    actual = app_routes(app)
    missing = sorted(set(actual) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(actual))
    wrong = sorted(endpoint for endpoint in set(actual) & set(MATRIX)
                   if actual[endpoint] != MATRIX[endpoint].method_set)
    covered = len(set(actual) & set(MATRIX)) - len(wrong)
    summary = f"authorization matrix covers {covered} of {len(actual)} routes"
    print(summary)
    assert not missing, f"{summary}; add to tests/authz/matrix.py: {', '.join(missing)}"
    assert not stale, f"{summary}; no longer routes: {', '.join(stale)}"
    assert not wrong, f"{summary}; methods differ for: {', '.join(wrong)}"
    assert covered == len(actual) == len(MATRIX)


def expectation(access, role, in_scope):
    """Return what ``role`` must get: 'allowed', 'refused', 'not found' or 'login'."""
    if role not in access.roles:
        return "login" if role == ANONYMOUS else "refused"
    return "allowed" if in_scope or access.scope is None else "not found"


def check(method, expected, response, record_exists):
    """Assert the answer fits ``expected``; return whether a refusal audit entry is due."""
    status = response.status_code
    if expected == "login":
        assert login_redirect(response), status
        return False
    if expected == "allowed":
        assert status in (ALLOWED_GET if method == "GET" else ALLOWED_POST), status
        assert CSRF_MESSAGE not in response.get_data(as_text=True)
        return False
    if expected == "not found":
        assert status == 404, status
        return record_exists
    assert status in (403, 404), status
    return True


def probe(bank, endpoint, method, role, in_scope):
    """Send one request of the matrix and check its answer (and that a refusal changed nothing)."""
    access = MATRIX[endpoint]
    expected = expectation(access, role, in_scope)
    url, params, record_exists = target(bank, endpoint, role, in_scope)
    if method == "POST":
        params = {**form_data(bank, endpoint), **params}
    with rolled_back(bank):
        before, refusals = digest(), refusal_count()
        response = send(bank, method, url, role, params)
        context = f"{method} {url} {params or ''} as {role}: expected {expected}"
        try:
            audit_due = check(method, expected, response, record_exists)
        except AssertionError as error:
            raise AssertionError(f"{context}, got {error}") from None
        if expected != "allowed":
            assert digest() == before, f"{context}: a refused request changed data"
        if audit_due and role != ANONYMOUS:
            assert refusal_count() == refusals + 1, f"{context}: the refusal was not audited"


@pytest.mark.parametrize("endpoint, method", routes(), ids=[" ".join(r) for r in routes()])
def test_route_answers_every_role_as_the_matrix_says(bank, endpoint, method):
    scopes = (True, False) if MATRIX[endpoint].scope is not None else (True,)
    for role in ROLES:
        for in_scope in scopes:
            probe(bank, endpoint, method, role, in_scope)


def test_digest_sees_any_change_but_refusals(bank):
    with rolled_back(bank):
        before = digest()
        staff = db.session.get(Staff, bank.ids["maint_a"])
        audit.record(staff, "access.refused", object_type="customer", object_id=1)
        db.session.flush()
        assert digest() == before
        staff.display_name += " (changed)"
        db.session.flush()
        assert digest() != before
