"""The shared keyset pager on the four lists: no pager on a single page, links otherwise."""
import pytest

from app import audit, clock
from app.extensions import db as _db
from app.notifications.services import notify

from ..helpers import html
from ..service_request_book import open_request


def customers_list(world, make_customer, count):
    for n in range(count):
        make_customer(maintainer=world["maint_a"], name=f"王{n}")
    return world["maint_a"], "/customers/", "#customer-rows"


def requests_list(world, make_customer, count):
    customer = make_customer(maintainer=world["maint_a"], name="王芳")
    _db.session.commit()
    for n in range(count):
        open_request(world["maint_a"], customer, now=clock.utcnow(), subject=f"Req {n}")
    return world["maint_a"], "/service-requests/", "#request-rows"


def notifications_list(world, make_customer, count):
    for n in range(count):
        notify([world["maint_a"].id], "sr_assigned", {"request_id": n, "subject": "S", "by": "x"})
    return world["maint_a"], "/notifications/", "#notification-list"


def audit_list(world, make_customer, count):
    ref = f"pager{world['admin'].id}"
    for _ in range(count):
        audit.record(world["admin"], "customer.revealed", object_type="customer",
                     object_id=ref, branch_id=world["branch_a"].id)
    return world["admin"], f"/audit/?object_type=customer&object_id={ref}", "#audit-results"


LISTS = [customers_list, requests_list, notifications_list, audit_list]


@pytest.fixture
def small_pages(app, monkeypatch):
    from app.notifications import services
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    original, app.config["PAGE_SIZE"] = app.config["PAGE_SIZE"], 2
    yield
    app.config["PAGE_SIZE"] = original


@pytest.mark.parametrize("make_list", LISTS, ids=lambda f: f.__name__)
def test_a_single_page_shows_no_pager(client, world, make_customer, login_as, small_pages,
                                      make_list):
    who, url, _target = make_list(world, make_customer, 2)
    _db.session.commit()
    login_as(who)
    page = html(client.get(url))
    assert "pagination" not in page and 'rel="next"' not in page


@pytest.mark.parametrize("make_list", LISTS, ids=lambda f: f.__name__)
def test_more_than_a_page_shows_the_shared_pager(client, world, make_customer, login_as,
                                                 small_pages, make_list):
    who, url, target = make_list(world, make_customer, 3)
    _db.session.commit()
    login_as(who)
    page = html(client.get(url))
    assert 'class="pagination' in page and 'rel="next"' in page
    assert f'hx-target="{target}"' in page and 'rel="prev"' not in page
