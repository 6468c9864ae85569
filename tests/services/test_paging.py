"""The shared keyset pager: both directions, composite keys, newest first, no lost rows."""
import pytest
from sqlalchemy import select

from app.models import Customer
from app.paging import Page, keyset_page

from ..customer_book import person


@pytest.fixture
def named(world, make_customer):
    """Seven customers of maint_a whose names repeat, so (name, id) decides the order."""
    names = ["王七", "王一", "王三", "王五", "王一", "王二", "王四"]
    customers = [make_customer(**person(maintainer=world["maint_a"], name=n)) for n in names]
    return [c.id for c in sorted(customers, key=lambda c: (c.name, c.id))]


def walk(conditions, keys, descending, size):
    """Walk every page forward, then back from the last; return both lists of pages."""
    def page(**anchor):
        return keyset_page(select(Customer), Customer, conditions, keys=keys,
                           descending=descending, size=size, **anchor)
    current = page()
    forward = [current]
    while current.has_next:
        current = page(after=current.rows[-1].id)
        forward.append(current)
    back = [current]
    while current.has_prev:
        current = page(before=current.rows[0].id)
        back.insert(0, current)
    return forward, back


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("size", [1, 3, 7])
def test_pages_walk_both_ways_in_name_order(world, named, descending, size):
    conditions = [Customer.maintainer_id == world["maint_a"].id, Customer.id.in_(named)]
    forward, back = walk(conditions, (Customer.name, Customer.id), descending, size)
    ids = [[c.id for c in p.rows] for p in forward]
    expected = named[::-1] if descending else named
    assert [i for page in ids for i in page] == expected
    assert [[c.id for c in p.rows] for p in back] == ids
    assert not forward[0].has_prev and not forward[-1].has_next
    assert all(p.has_prev for p in forward[1:]) and all(p.has_next for p in forward[:-1])
    assert (len(forward) == 1) == forward[0].single


@pytest.mark.parametrize("descending", [False, True])
def test_pages_by_id_alone(world, named, descending):
    forward, back = walk([Customer.id.in_(named)], None, descending, 2)
    assert [c.id for p in forward for c in p.rows] == sorted(named, reverse=descending)
    assert [len(p.rows) for p in forward] == [2, 2, 2, 1]


def test_unknown_anchor_gives_the_first_page(world, named):
    conditions = [Customer.id.in_(named)]
    keys = (Customer.name, Customer.id)
    first = keyset_page(select(Customer), Customer, conditions, keys=keys, size=3)
    for anchor in ({"after": 2_000_000_000}, {"before": 2_000_000_000}):
        page = keyset_page(select(Customer), Customer, conditions, keys=keys, size=3, **anchor)
        assert [c.id for c in page.rows] == [c.id for c in first.rows] and not page.has_prev


def test_nothing_before_the_first_row_gives_the_first_page(world, named):
    page = keyset_page(select(Customer), Customer, [Customer.id.in_(named)], size=3,
                       before=min(named))
    assert [c.id for c in page.rows] == sorted(named)[:3] and not page.has_prev


def test_a_single_page_is_single():
    assert Page([1], False, False).single
    assert not Page([1], True, False).single and not Page([1], False, True).single
