"""A small customer book on top of the ``world`` fixture, shared by the customer tests."""
import html
import itertools
import re
from datetime import date, timedelta

from .helpers import resident_id

ROW_LINK_RE = re.compile(r'href="/customers/(\d+)"')
PAGER_LINK_RE = re.compile(r'href="(/customers/\?[^"]*\b{}=\d+[^"]*)"')
_books = itertools.count(1)
_people = itertools.count(1)


def person(**fields):
    """Return ``fields`` plus a birth date and a valid ID number no other test customer has."""
    n = next(_people)
    birth = fields.setdefault("birth_on", date(1950, 1, 1) + timedelta(days=n))
    fields.setdefault("id_number", resident_id(n % 997, birth))
    return fields


def build_book(world, make_customer):
    """Four customers: two of maint_a (outlet_a), one of maint_a2 (branch_a), one of maint_b.

    Keys: a1 (王芳, gold, mobile …1234), a2 (王明, platinum, dormant), a3 (李雷, branch_a,
    mobile …1234), b1 (张伟, outlet_b); ``prefix`` starts every customer number of this book,
    followed by 1 for maint_a's customers, 2 for a3 and 3 for b1.
    """
    prefix = f"K{next(_books):05d}"
    return {
        "prefix": prefix,
        "a1": make_customer(**person(
            maintainer=world["maint_a"], name="王芳", customer_number=f"{prefix}1001",
            mobile="13900001234", tier="gold", aum_fen=120_000_00,
            last_contact_on=date(2025, 11, 3))),
        "a2": make_customer(**person(
            maintainer=world["maint_a"], name="王明", customer_number=f"{prefix}1002",
            mobile="13800005678", tier="platinum", aum_fen=800_000_00, status="dormant")),
        "a3": make_customer(**person(
            maintainer=world["maint_a2"], branch=world["branch_a"], name="李雷",
            customer_number=f"{prefix}2001", mobile="13700001234")),
        "b1": make_customer(**person(
            maintainer=world["maint_b"], name="张伟", customer_number=f"{prefix}3001",
            mobile="13600009999")),
    }


def listed_ids(response):
    """Return the ids of the customers linked from a list answer, in order, once each."""
    ids = []
    for match in ROW_LINK_RE.findall(response.get_data(as_text=True)):
        if int(match) not in ids:
            ids.append(int(match))
    return ids


def pager_link(response, direction):
    """Return the URL of the pager's ``after`` (next) or ``before`` (previous) link, or None."""
    match = re.search(PAGER_LINK_RE.pattern.format(direction), response.get_data(as_text=True))
    return html.unescape(match.group(1)) if match else None
