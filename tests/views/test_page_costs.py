"""What each main page costs: SQL statements that do not grow with the book, a bounded queue.

Each page is requested twice, before and after the book grows; the statement count must
stay the same (no query per row) and under the page's budget. The page benchmark
(``scripts/bench pages``) measures the time; these tests keep the causes from coming back.
"""
import pytest

from app import clock
from app.tasks.services.queue import QUEUE_SECTION_LIMIT, UPCOMING_DAY_LIMIT

from ..task_book import add_book, add_task, days

# (who, page, most statements one request may run)
PAGES = [
    ("maint_a", "/tasks/", 13),  # 12 + the working-day calendar (main, issue 7)
    ("maint_a", "/customers/{customer}", 11),
    ("supervisor_a", "/", 6),
    ("supervisor_a", "/customers/", 5),
    ("supervisor_a", "/customers/?q=C0", 5),
    ("supervisor_a", "/tasks/team", 6),
    ("supervisor_a", "/service-requests/", 4),
    ("admin", "/", 5),
    ("trainer_a", "/training/", 7),  # the month calendar of the training home (issue 9)
]


@pytest.fixture
def grow(world, make_customer, db):
    """Add ``count`` customers of maint_a, each with tasks today, overdue and tomorrow."""
    return lambda count: add_book(world["maint_a"], make_customer, count, clock.today())


@pytest.mark.parametrize("who, page, budget", PAGES)
def test_page_statements_do_not_grow_with_the_book(client, world, login_as, grow, get_counting,
                                                   who, page, budget):
    first = grow(2)[0]
    url = page.format(customer=first.id)
    login_as(world[who])
    client.get(url)  # warm-up: the session's first request may refresh it
    response, small = get_counting(url)
    assert response.status_code == 200
    grow(6)
    response, large = get_counting(url)
    assert response.status_code == 200
    assert large.count == small.count, [s for s, _ in large.statements]
    assert small.count <= budget, (small.count, [s for s, _ in small.statements])


def test_queue_renders_a_screenful(client, world, login_as, make_customer, db):
    today = clock.today()
    tomorrow = today + days(1)
    first = add_task(make_customer(maintainer=world["maint_a"]), today, priority=99)
    for _ in range(QUEUE_SECTION_LIMIT + 4):
        add_task(make_customer(maintainer=world["maint_a"]), today)
    for _ in range(UPCOMING_DAY_LIMIT + 5):
        add_task(make_customer(maintainer=world["maint_a"]), tomorrow + days(30),
                 scheduled_on=tomorrow)
    login_as(world["maint_a"])
    page = client.get("/tasks/").get_data(as_text=True)
    # today's first 50 and the first 20 of the next working day (a weekend's go to Monday)
    assert page.count('id="task-row-') == QUEUE_SECTION_LIMIT + UPCOMING_DAY_LIMIT
    assert page.count("Only the most urgent tasks are shown") == 2
    # the row links are built once per page, and right for each row
    assert f'href="/tasks/{first.id}/complete"' in page
    assert f'hx-get="/tasks/{first.id}/snooze"' in page
    assert f'href="/customers/{first.customer_id}"' in page
