"""Customer services: keyset paging, search, the 360 helpers, reveal and set-based reassign."""
from datetime import date

import pytest
from sqlalchemy import event, select

from app.customers import services
from app.errors import NotAllowed, NotFound
from app.extensions import db as _db
from app.models import AuditEvent

from ..customer_book import build_book, person


pytestmark = pytest.mark.usefixtures("request_context")


@pytest.fixture
def book(world, make_customer):
    return build_book(world, make_customer)


@pytest.fixture
def seven(world, make_customer):
    return [make_customer(**person(maintainer=world["maint_a"])).id for _ in range(7)]


def page_ids(page):
    return [c.id for c in page.customers]


def test_first_page_has_next_but_no_previous(world, seven):
    page = services.list_customers(world["maint_a"], page_size=3)
    assert page_ids(page) == seven[:3]
    assert page.has_next and not page.has_prev


def test_middle_page_after_an_id(world, seven):
    page = services.list_customers(world["maint_a"], after=seven[2], page_size=3)
    assert page_ids(page) == seven[3:6]
    assert page.has_next and page.has_prev


def test_last_page_has_no_next(world, seven):
    page = services.list_customers(world["maint_a"], after=seven[5], page_size=3)
    assert page_ids(page) == seven[6:]
    assert page.has_prev and not page.has_next


def test_page_before_an_id_comes_in_ascending_order(world, seven):
    page = services.list_customers(world["maint_a"], before=seven[6], page_size=3)
    assert page_ids(page) == seven[3:6]
    assert page.has_prev and page.has_next
    page = services.list_customers(world["maint_a"], before=seven[3], page_size=3)
    assert page_ids(page) == seven[:3]
    assert not page.has_prev and page.has_next


def test_before_the_first_id_falls_back_to_the_first_page(world, seven):
    page = services.list_customers(world["maint_a"], before=seven[0], page_size=3)
    assert page_ids(page) == seven[:3]
    assert not page.has_prev


def test_exact_fit_has_no_next_page(world, make_customer):
    ids = [make_customer(**person(maintainer=world["maint_a"])).id for _ in range(3)]
    page = services.list_customers(world["maint_a"], page_size=3)
    assert page_ids(page) == ids and not page.has_next


def test_four_digits_search_the_mobile_and_other_text_the_name_and_number():
    assert services.search_condition("1234")[1] == "mobile"
    assert services.search_condition("12345")[1] == "text"
    assert services.search_condition("王")[1] == "text"


def test_prefix_search_matches_a_range_not_a_pattern(world, book, make_customer):
    make_customer(**person(maintainer=world["maint_a"], name="王%"))
    page = services.list_customers(world["maint_a"], q="王%")
    assert [c.name for c in page.customers] == ["王%"]
    page = services.list_customers(world["maint_a"], q="_")
    assert page.customers == []


def test_prefix_search_finds_names_with_characters_outside_the_bmp(world, make_customer):
    """U+20000 (a rare CJK character) sorts after U+FFFF, right after the prefix."""
    for name in ("王𠀀", "王𠀀明", "王\U0010fffd", "王明"):
        make_customer(**person(maintainer=world["maint_a"], name=name))
    make_customer(**person(maintainer=world["maint_a"], name="玉𠀀"))
    page = services.list_customers(world["maint_a"], q="王")
    assert sorted(c.name for c in page.customers) == sorted(
        ["王𠀀", "王𠀀明", "王\U0010fffd", "王明"])
    page = services.list_customers(world["maint_a"], q="王𠀀")
    assert sorted(c.name for c in page.customers) == ["王𠀀", "王𠀀明"]


def test_filters_outside_scope_are_dropped_with_notices(world, book):
    page = services.list_customers(world["supervisor_a"], maintainer=world["maint_b"].id,
                                   branch=world["branch_b"].id)
    assert len(page.notices) == 2
    assert {c.id for c in page.customers} == {book[k].id for k in ("a1", "a2", "a3")}


def test_trainer_may_not_list_customers(world):
    with pytest.raises(NotAllowed):
        services.list_customers(world["trainer_a"])


def test_maintainer_has_no_reassign_targets(world, book):
    assert services.list_options(world["maint_a"]).reassign_targets == []


def test_supervisor_reassigns_to_the_active_maintainers_in_scope(world, book):
    options = services.list_options(world["supervisor_a"])
    assert world["maint_a"] in options.reassign_targets
    assert world["maint_b"] not in options.maintainers + options.reassign_targets


@pytest.mark.parametrize("born, today, age, days", [
    (date(1980, 5, 17), date(2026, 5, 16), 45, 1),
    (date(1980, 5, 17), date(2026, 5, 17), 46, 0),
    (date(1980, 5, 17), date(2026, 5, 18), 46, 364),
    (date(1992, 2, 29), date(2025, 2, 28), 32, 1),
    (date(1992, 2, 29), date(2028, 2, 28), 35, 1),
])
def test_age_and_days_to_birthday(born, today, age, days):
    assert services.age_on(born, today) == age
    assert services.days_to_birthday(born, today) == days


@pytest.mark.parametrize("assessed, expires", [
    (date(2025, 6, 1), date(2026, 6, 1)),
    (date(2024, 2, 29), date(2025, 3, 1)),
])
def test_risk_assessment_expires_after_one_year(world, make_customer, assessed, expires):
    customer = make_customer(**person(maintainer=world["maint_a"], risk_level="C2",
                                      risk_assessed_on=assessed))
    assert customer.risk_assessment_expires_on == expires
    assert customer.risk_assessment_valid_on(date.fromordinal(expires.toordinal() - 1))
    assert not customer.risk_assessment_valid_on(expires)


def test_customer_360_out_of_scope_is_not_found(world, book, db):
    db.session.commit()  # a refusal rolls back the open transaction before auditing
    with pytest.raises(NotFound):
        services.customer_360(world["maint_b"], book["a1"].id, date(2026, 1, 1))


def test_reveal_with_a_short_reason_records_nothing(world, book, db):
    with pytest.raises(services.RevealRefused) as refused:
        services.reveal_personal_data(world["maint_a"], book["a1"].id, "mobile", " abc ")
    assert refused.value.customer.id == book["a1"].id
    assert not db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "customer.revealed", AuditEvent.object_id == str(book["a1"].id)))


def test_reveal_returns_the_value_and_records_the_reason(world, book, db):
    customer, value = services.reveal_personal_data(
        world["supervisor_a"], book["a3"].id, "id_number", "  Counter identity check ")
    assert value == book["a3"].id_number
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "customer.revealed", AuditEvent.object_id == str(book["a3"].id)))
    assert event.detail == {"field": "id_number", "reason": "Counter identity check"}


def test_trainer_may_not_reveal(world, book):
    with pytest.raises(NotAllowed):
        services.reveal_personal_data(world["trainer_a"], book["a1"].id, "mobile", "because")


def test_reassign_is_one_update_statement(world, book, db):
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement.lower())

    event.listen(_db.engine, "before_cursor_execute", remember)
    try:
        result = services.reassign_customers(
            world["supervisor_a"], [book["a1"].id, book["a2"].id, book["a3"].id],
            world["maint_a2"].id)
    finally:
        event.remove(_db.engine, "before_cursor_execute", remember)
    assert (result.moved, result.unchanged) == (2, 1)
    assert len([s for s in statements if s.startswith("update customer")]) == 1
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "customer.reassigned",
        AuditEvent.object_id.in_([str(book["a1"].id), str(book["a2"].id)])))
    assert len(list(events)) == 2


def test_maintainer_may_not_reassign(world, book):
    with pytest.raises(NotAllowed):
        services.reassign_customers(world["maint_a"], [book["a1"].id], world["maint_a2"].id)


def test_reassign_refuses_an_empty_selection(world):
    with pytest.raises(services.ReassignRefused):
        services.reassign_customers(world["supervisor_a"], [], world["maint_a2"].id)


def test_reassign_refuses_too_many_at_once(world):
    ids = list(range(1, services.MAX_REASSIGN + 2))
    with pytest.raises(services.ReassignRefused):
        services.reassign_customers(world["supervisor_a"], ids, world["maint_a2"].id)
