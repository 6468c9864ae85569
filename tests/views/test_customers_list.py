"""The customer list: scoping, live search, filters, keyset paging and the htmx fragment."""
import pytest
from sqlalchemy import Select, event, select
from sqlalchemy.dialects import postgresql

from app.extensions import db as _db
from app.models import AuditEvent

from ..customer_book import build_book, listed_ids, pager_link, person


@pytest.fixture
def book(world, make_customer):
    return build_book(world, make_customer)


def ids_of(book, *keys):
    return [book[key].id for key in keys]


def test_maintainer_sees_only_own_customers(client, world, book, login_as):
    login_as(world["maint_a"])
    response = client.get("/customers/")
    assert response.status_code == 200
    assert listed_ids(response) == ids_of(book, "a1", "a2")
    assert "李雷" not in response.get_data(as_text=True)


def test_maintainer_search_stays_within_own_customers(client, world, book, login_as):
    login_as(world["maint_a"])
    assert listed_ids(client.get("/customers/?q=1234")) == ids_of(book, "a1")
    assert listed_ids(client.get(f"/customers/?q={book['prefix']}")) == ids_of(book, "a1", "a2")
    assert listed_ids(client.get("/customers/?q=李")) == []


def test_supervisor_sees_branch_and_outlet_but_not_other_branch(client, world, book, login_as):
    login_as(world["supervisor_a"])
    assert listed_ids(client.get("/customers/")) == ids_of(book, "a1", "a2", "a3")


def test_admin_sees_every_customer(client, world, book, login_as):
    login_as(world["admin"])
    response = client.get("/customers/", query_string={"q": book["prefix"]})
    assert listed_ids(response) == ids_of(book, "a1", "a2", "a3", "b1")


def test_trainer_may_not_open_the_list(client, world, book, login_as, db):
    login_as(world["trainer_a"])
    assert client.get("/customers/").status_code == 403
    assert client.get_htmx("/customers/?q=王").status_code == 403
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "access.forbidden", AuditEvent.actor_id == world["trainer_a"].id))


def test_list_needs_a_login(client):
    response = client.get("/customers/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("q, expected", [
    ("王", ("a2", "a1")),  # names in alphabetical order: 王明, 王芳
    ("王芳", ("a1",)),
    ("{prefix}2", ("a3",)),
    ("{lower}1", ("a1", "a2")),
    ("{prefix}1002", ("a2",)),
    ("{prefix}", ("a1", "a2", "a3")),
    ("1234", ("a1", "a3")),
    ("5678", ("a2",)),
    ("123", ()),
    ("芳", ()),
    ("  王芳  ", ("a1",)),
])
def test_search_by_name_number_or_mobile_last4(client, world, book, login_as, q, expected):
    login_as(world["supervisor_a"])
    q = q.format(prefix=book["prefix"], lower=book["prefix"].lower())
    assert listed_ids(client.get("/customers/", query_string={"q": q})) == ids_of(book, *expected)


def test_mobile_search_says_what_it_searched(client, world, book, login_as):
    login_as(world["supervisor_a"])
    page = client.get("/customers/?q=1234").get_data(as_text=True)
    assert "mobile ends in 1234" in page


@pytest.mark.parametrize("args, expected", [
    ({"tier": "gold"}, ("a1",)),
    ({"tier": "platinum"}, ("a2",)),
    ({"status": "dormant"}, ("a2",)),
    ({"status": "active"}, ("a1", "a3")),
    ({"tier": "gold", "q": "王"}, ("a1",)),
])
def test_tier_and_status_filters(client, world, book, login_as, args, expected):
    login_as(world["supervisor_a"])
    assert listed_ids(client.get("/customers/", query_string=args)) == ids_of(book, *expected)


def test_maintainer_filter(client, world, book, login_as):
    login_as(world["supervisor_a"])
    response = client.get("/customers/", query_string={"maintainer": world["maint_a2"].id})
    assert listed_ids(response) == ids_of(book, "a3")


def test_maintainer_filter_works_on_htmx_requests_too(client, world, book, login_as):
    login_as(world["supervisor_a"])
    response = client.get_htmx("/customers/", query_string={"maintainer": world["maint_a"].id})
    assert listed_ids(response) == ids_of(book, "a1", "a2")


def test_maintainer_filter_ignores_staff_who_are_not_maintainers(client, world, book, login_as):
    login_as(world["supervisor_a"])
    response = client.get("/customers/", query_string={"maintainer": world["supervisor_a"].id})
    assert listed_ids(response) == ids_of(book, "a1", "a2", "a3")
    assert "not in your branches" in response.get_data(as_text=True)


def test_branch_filter(client, world, book, login_as):
    login_as(world["supervisor_a"])
    response = client.get("/customers/", query_string={"branch": world["outlet_a"].id})
    assert listed_ids(response) == ids_of(book, "a1", "a2")
    response = client.get("/customers/", query_string={"branch": world["branch_a"].id})
    assert listed_ids(response) == ids_of(book, "a3")


@pytest.mark.parametrize("args", [
    {"tier": "emerald"},
    {"status": "sleeping"},
    {"maintainer": "abc"},
    {"branch": "1;drop"},
    {"after": "x", "before": "y"},
    {"after": "99999999999999999999"},
    {"before": "-5"},
    {"maintainer": "99999999999999999999"},
    {"q": "x" * 500},
])
def test_bad_filter_values_do_not_break_the_list(client, world, book, login_as, args):
    login_as(world["supervisor_a"])
    response = client.get("/customers/", query_string=args)
    assert response.status_code == 200
    assert client.get_htmx("/customers/", query_string=args).status_code == 200


def test_plain_list_shows_no_notices(client, world, book, login_as):
    login_as(world["supervisor_a"])
    for url in ("/customers/", "/customers/?q=&tier=&maintainer=&branch=&status="):
        assert "(ignored)" not in client.get(url).get_data(as_text=True)


def test_unknown_tier_is_ignored_with_a_notice(client, world, book, login_as):
    login_as(world["supervisor_a"])
    response = client.get("/customers/?tier=emerald")
    assert listed_ids(response) == ids_of(book, "a1", "a2", "a3")
    assert "(ignored)" in response.get_data(as_text=True)


def test_maintainer_and_branch_outside_scope_are_ignored(client, world, book, login_as):
    login_as(world["supervisor_a"])
    response = client.get("/customers/", query_string={"maintainer": world["maint_b"].id})
    assert listed_ids(response) == ids_of(book, "a1", "a2", "a3")
    assert "not in your branches" in response.get_data(as_text=True)
    response = client.get("/customers/", query_string={"branch": world["branch_b"].id})
    assert listed_ids(response) == ids_of(book, "a1", "a2", "a3")
    assert "not one of yours" in response.get_data(as_text=True)


def test_htmx_search_returns_only_the_rows_fragment(client, world, book, login_as):
    login_as(world["supervisor_a"])
    response = client.get_htmx("/customers/?q=王")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text and 'id="customer-rows"' not in text
    assert listed_ids(response) == ids_of(book, "a2", "a1")
    assert "HX-Request" in response.headers.get("Vary", "")


def test_full_page_includes_rows_live_search_and_no_history(client, world, book, login_as):
    login_as(world["supervisor_a"])
    text = client.get("/customers/").get_data(as_text=True)
    assert "<html" in text and 'id="customer-rows"' in text
    assert 'hx-history="false"' in text
    assert 'hx-trigger="input changed delay:300ms, search"' in text
    assert 'hx-push-url="true"' in text
    assert 'data-check-all="customer_ids"' in text


def test_list_masks_mobiles(client, world, book, login_as):
    login_as(world["supervisor_a"])
    text = client.get("/customers/").get_data(as_text=True)
    assert "139****1234" in text
    assert book["a1"].mobile not in text and book["a1"].id_number not in text


def test_maintainer_gets_no_reassign_controls(client, world, book, login_as):
    login_as(world["maint_a"])
    text = client.get("/customers/").get_data(as_text=True)
    assert 'id="reassign-form"' not in text and 'name="customer_ids"' not in text


def test_empty_book_explains_itself(client, world, login_as):
    login_as(world["maint_a"])
    text = client.get("/customers/").get_data(as_text=True)
    assert "No customers are assigned to you yet." in text


def test_search_without_matches_offers_to_clear(client, world, book, login_as):
    login_as(world["maint_a"])
    text = client.get("/customers/?q=nobody").get_data(as_text=True)
    assert "No customers match your search and filters." in text


@pytest.fixture
def many(world, make_customer, app):
    customers = [make_customer(**person(maintainer=world["maint_a"])) for _ in range(7)]
    original = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 3
    yield [c.id for c in customers]
    app.config["PAGE_SIZE"] = original


def test_keyset_paging_walks_forward_and_back_without_gaps(client, world, many, login_as):
    login_as(world["maint_a"])
    response = client.get("/customers/")
    pages = [listed_ids(response)]
    assert pager_link(response, "before") is None
    while (link := pager_link(response, "after")) is not None:
        response = client.get(link)
        pages.append(listed_ids(response))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [i for page in pages for i in page] == sorted(many)
    back = [pages[-1]]
    while (link := pager_link(response, "before")) is not None:
        response = client.get_htmx(link)
        assert "<html" not in response.get_data(as_text=True)
        back.insert(0, listed_ids(response))
    assert back == pages


def test_name_search_pages_in_name_order_both_ways(client, world, make_customer, app,
                                                   login_as):
    names = ["王七", "王一", "王三", "王五", "王一", "王二", "王四"]
    customers = [make_customer(**person(maintainer=world["maint_a"], name=n)) for n in names]
    expected = [c.id for c in sorted(customers, key=lambda c: (c.name, c.id))]
    original, app.config["PAGE_SIZE"] = app.config["PAGE_SIZE"], 3
    try:
        login_as(world["maint_a"])
        response = client.get("/customers/?q=王")
        pages = [listed_ids(response)]
        while (link := pager_link(response, "after")) is not None:
            response = client.get(link)
            pages.append(listed_ids(response))
        assert [i for page in pages for i in page] == expected
        back = [pages[-1]]
        while (link := pager_link(response, "before")) is not None:
            response = client.get(link)
            back.insert(0, listed_ids(response))
        assert back == pages
    finally:
        app.config["PAGE_SIZE"] = original


def test_paging_keeps_the_filters(client, world, many, login_as):
    login_as(world["maint_a"])
    response = client.get("/customers/?q=C0&status=active")
    link = pager_link(response, "after")
    assert "q=C0" in link and "status=active" in link


def test_paging_past_the_end_offers_the_first_page(client, world, many, login_as):
    login_as(world["maint_a"])
    text = client.get(f"/customers/?after={max(many)}").get_data(as_text=True)
    assert "There are no more customers after this point." in text


def test_list_never_counts_or_offsets(client, world, many, login_as):
    login_as(world["maint_a"])
    statements = []

    def remember(conn, clause, *args):
        if isinstance(clause, Select):  # rendered for PostgreSQL: SQLite always adds OFFSET 0
            statements.append(str(clause.compile(dialect=postgresql.dialect())).lower())

    event.listen(_db.engine, "before_execute", remember)
    try:
        client.get("/customers/")
        client.get(pager_link(client.get("/customers/"), "after"))
        client.get_htmx("/customers/?q=C0&tier=mass")
    finally:
        event.remove(_db.engine, "before_execute", remember)
    customer_queries = [s for s in statements if "from customer" in s]
    assert customer_queries
    assert not [s for s in customer_queries if "offset" in s or "count(" in s]
