"""Hostile values in every form field and query parameter of every route, for every role.

Each example takes the fields a route's page offers (with the values the page gives them),
then sets some to hostile values (very long, NUL, outside the BMP, markup, ``hx-*``
attributes, quotes, SQL metacharacters, huge and negative numbers, impossible dates),
repeats some and drops others, and sends that, as a plain or an htmx request, as one of
the roles allowed on the route (each route and role is a test case; a redirect to a page of
the site is followed). No answer may be a 5xx, and no HTML answer may carry a markup value
of the input unescaped.

The budget is ``PORTAL_FUZZ_EXAMPLES`` examples in all, shared evenly by the cases (default
200, at least 2 a case, a fixed seed, so the suite stays fast and stable); a long run is
e.g. ``PORTAL_FUZZ_EXAMPLES=10000 pytest tests/authz/test_fuzz.py -s`` (random; it prints
each case's examples, requests and failures, and the totals at the end).
"""
import io
import math
import os
import re
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from .forms import discover
from .matrix import MATRIX, routes
from .requests import send, target
from .world import rolled_back

TOTAL_EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES") or 200)
LONG_RUN = TOTAL_EXAMPLES > 200
PER_CASE = max(2, math.ceil(TOTAL_EXAMPLES / sum(len(MATRIX[e].roles) for e, _ in routes())))
MARK = "zq"  # every markup value carries it, so a reflection is told from the page's own markup
EXTRA_NAMES = ("next", "page", "id")  # probed on every route besides its own parameters


@dataclass(frozen=True)
class KnownDefect:
    """A failure the fuzzing finds that is being fixed elsewhere (tolerated until then)."""

    endpoint: str
    name: str
    value: str  # a regular expression the sent value matches
    issue: str


# Failures the fuzzing finds that are being fixed elsewhere, each with the issue it is filed
# under: tolerated (and counted) until the fix lands, then taken off. The four of issue 13
# items 4 and 5 were fixed on the "defects" branch and are off the list.
KNOWN_DEFECTS = ()

NASTY = (
    "", " ", "\t", "x" * 20_000, "\x00", "a\x00b", "𠀀𠮷", "😀" * 3, "客户\U00020000",
    "<b>zq</b>", '<img src=x onerror="zq">', '" hx-get="/zq" x="', "zq\"><b>zq</b>",
    "' OR '1'='1", "1; DROP TABLE staff; --", "%", "_", "\\", "%_\\%",
    "-1", "0", "-0", "1.5", "1e309", "NaN", "-inf", "2147483648", "-2147483649",
    "9223372036854775808", "99999999999999999999999999", "0x10", "1_000",
    "9999-12-31", "0001-01-01", "2026-02-30", "0000-00-00", "2026-13-01", "10000-01-01",
    "-2026-01-01", "2026-1-1", "31/12/2026", "true", "on", "null", "[]", "{}",
    "../../etc/passwd", "//evil.example/x", "javascript:alert(1)", "/\r\nX-Zq: 1",
    "\u202e\u200b", "\ufeff",
)
HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(date.isoformat),
    st.text(max_size=10).map(lambda text: f"<b>{MARK}{text}</b>"),
    st.text(max_size=10).map(lambda text: f'{MARK}" hx-get="/{text}'),
)
STATS = Counter()
SKIP = ("csrf_token",)


@pytest.fixture(scope="module")
def fields(bank):
    """The form fields and query parameters of every route, found once for the module."""
    found = discover(bank)
    yield found
    print(f"\nfuzzing: {STATS['examples']} examples, {STATS['requests']} requests, "
          f"{STATS['5xx']} answers 5xx ({STATS['known']} of them known), "
          f"{STATS['reflected']} reflections ({STATS['known reflected']} known)")


def base_params(bank, fields, endpoint, method, role):
    """Return the route's parameters as the role's page fills them in, and the record's id."""
    url, record, _ = target(bank, endpoint, role)
    params = MultiDict(fields.defaults.get((endpoint, method, role), ()))
    for name in list(params):
        if name.endswith(SKIP):
            params.setlist(name, [bank.csrf_token(role)])
    for name, value in record.items():
        params.setdefault(name, value)
    return url, params


def apply(params, changes, files):
    """Return ``params`` with the drawn changes: values replaced (repeated) or dropped."""
    params = params.copy()
    for name, values in changes.items():
        if values is None:
            params.pop(name, None)
        elif name in files:
            params.setlist(name, [(io.BytesIO(v.encode()), f"{v[:20]}.csv") for v in values])
        else:
            params.setlist(name, values)
    return params


def known(endpoint, changes, problem):
    """Return the known defect that explains ``problem`` with these changes, if any."""
    for defect in KNOWN_DEFECTS:
        sent = changes.get(defect.name) or ()
        if defect.endpoint == endpoint and any(re.search(defect.value, v) for v in sent):
            STATS[f"known {problem}" if problem != "5xx" else "known"] += 1
            event(f"known defect: {defect.issue}")
            return defect
    return None


def reflected(response, changes):
    """Return a markup value of the input that the HTML answer carries unescaped, or None."""
    if response.mimetype != "text/html":
        return None
    page = response.get_data(as_text=True)
    for values in changes.values():
        for value in values or ():
            if MARK in value and ("<" in value or '"' in value) and value in page:
                return value
    return None


def probe(bank, endpoint, method, role, url, params, changes, htmx=False):
    """Send one hostile request; fail on a 5xx or a reflected value (unless known)."""
    STATS["requests"] += 1
    context = f"{method} {url} as {role}{' (htmx)' if htmx else ''} with {dict(changes)!r:.2000}"
    with rolled_back(bank):
        try:
            response = send(bank, method, url, role, params, follow=True, htmx=htmx)
        except Exception:  # noqa: BLE001 - an exception escaping the app is its 500
            status, detail, response = 500, traceback.format_exc(limit=-6), None
        else:
            status, detail = response.status_code, ""
    if status >= 500:
        STATS["5xx"] += 1
        assert known(endpoint, changes, "5xx"), f"{status} for {context}\n{detail}"
    value = reflected(response, changes) if response is not None else None
    if value is not None:
        STATS["reflected"] += 1
        assert known(endpoint, changes, "reflected"), (
            f"{value!r} reflected raw: {context}")


def cases():
    """Return every (endpoint, method, role) the fuzzing tries: each route as each role let in."""
    return [(endpoint, method, role) for endpoint, method in routes()
            for role in MATRIX[endpoint].roles]


@pytest.fixture
def tally(request):
    """In a long run, print what each route and role got through (the run's progress)."""
    before = STATS.copy()
    yield
    if LONG_RUN:
        print(f"\n{request.node.callspec.id}: {dict(STATS - before)}", flush=True)


@pytest.mark.parametrize("endpoint, method, role", cases(), ids=[" ".join(c) for c in cases()])
@settings(max_examples=PER_CASE, deadline=None, derandomize=not LONG_RUN, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_hostile_input_never_gives_a_5xx_or_reflected_markup(
        bank, fields, tally, endpoint, method, role, data):
    names = sorted(n for n in fields.names.get((endpoint, method), ()) | set(EXTRA_NAMES)
                   if not n.endswith(SKIP))
    changes = data.draw(st.dictionaries(
        st.sampled_from(names), st.none() | st.lists(HOSTILE, min_size=1, max_size=3),
        min_size=1, max_size=4), label="changes")
    htmx = data.draw(st.booleans(), label="htmx")
    STATS["examples"] += 1
    files = fields.files.get((endpoint, method), set())
    url, params = base_params(bank, fields, endpoint, method, role)
    probe(bank, endpoint, method, role, url, apply(params, changes, files), changes, htmx)
