"""The queue pages: list and filter, counter, complete and snooze with htmx, refusals."""
import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db as _db
from app.models import AuditEvent, Contact, TaskStatus

from ..helpers import html, reload
from ..task_book import add_task, days


@pytest.fixture
def today(app):
    return clock.today()


@pytest.fixture
def mine(world, make_customer, today):
    """Two tasks of maint_a due today and one of maint_b."""
    a = make_customer(maintainer=world["maint_a"], name="王芳", mobile="13912345678")
    b = make_customer(maintainer=world["maint_b"], name="张伟")
    return {
        "birthday": add_task(a, today, priority=40),
        "maturity": add_task(a, today, kind="maturity", priority=70,
                             note_params={"product": "稳盈90天", "amount_fen": 20_000_000,
                                          "date": today.isoformat()}),
        "other": add_task(b, today),
    }


def complete_data(task, **overrides):
    data = {"version": task.version, "outcome": "reached", "channel": "phone", "note": "ok"}
    data.update(overrides)
    return data


# --- the queue -----------------------------------------------------------------------------


def test_maintainer_sees_own_queue_with_masked_mobile(client, world, mine, login_as):
    login_as(world["maint_a"])
    page = html(client.get("/tasks/"))
    assert "王芳" in page and "139****5678" in page and "13912345678" not in page
    assert "张伟" not in page
    assert page.index("task-row-%d" % mine["maturity"].id) < page.index(
        "task-row-%d" % mine["birthday"].id)
    assert 'hx-history="false"' in page


def test_maintainer_home_is_the_queue(client, world, login_as):
    login_as(world["maint_a"])
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/tasks/")


def test_navigation_shows_queue_with_counter(client, world, mine, login_as):
    login_as(world["maint_a"])
    page = html(client.get("/tasks/"))
    assert 'id="queue-counter"' in page and 'data-count="2"' in page
    assert 'hx-trigger="tasks-changed from:body"' in page


def test_supervisor_navigation_has_team_not_queue(client, world, login_as):
    login_as(world["supervisor_a"])
    page = html(client.get("/"))
    assert 'href="/tasks/team"' in page and "My queue" not in page


@pytest.mark.parametrize("role", ["supervisor_a", "admin", "trainer_a"])
def test_only_maintainers_open_the_queue(client, world, login_as, role):
    login_as(world[role])
    assert client.get("/tasks/").status_code == 403
    assert client.get("/tasks/counter").status_code == 403


def test_queue_needs_a_login(client):
    response = client.get("/tasks/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_kind_filter_returns_the_list_fragment(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.get_htmx("/tasks/?kind=maturity")
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="task-queue"' in page and "HX-Request" in response.headers["Vary"]
    assert "task-row-%d" % mine["maturity"].id in page
    assert "task-row-%d" % mine["birthday"].id not in page


def test_unknown_kind_is_ignored(client, world, mine, login_as):
    login_as(world["maint_a"])
    page = html(client.get("/tasks/?kind=<script>"))
    assert "task-row-%d" % mine["birthday"].id in page and "<script>" not in page


def test_counter_fragment_counts_todays_tasks(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.get_htmx("/tasks/counter")
    assert response.status_code == 200 and "<html" not in html(response)
    assert 'data-count="2"' in html(response)


# --- complete ------------------------------------------------------------------------------


def test_complete_form_is_a_dialog_fragment(client, world, mine, login_as):
    login_as(world["maint_a"])
    response = client.get_htmx(f"/tasks/{mine['birthday'].id}/complete")
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'name="outcome"' in page and 'hx-target="#task-row-%d"' % mine["birthday"].id in page


def test_complete_form_works_as_a_full_page(client, world, mine, login_as):
    login_as(world["maint_a"])
    page = html(client.get(f"/tasks/{mine['birthday'].id}/complete"))
    assert "<html" in page and "hx-post" not in page.split("<main")[1]


def test_complete_with_htmx_removes_row_and_triggers_refresh(client, world, mine, login_as,
                                                             today):
    login_as(world["maint_a"])
    task = mine["birthday"]
    response = client.post_form(f"/tasks/{task.id}/complete", complete_data(task), htmx=True)
    assert response.status_code == 200
    assert "tasks-changed" in response.headers["HX-Trigger"]
    page = html(response)
    assert "<html" not in page and "<tr" not in page and 'hx-swap-oob="true"' in page
    task = reload(task)
    assert task.status == TaskStatus.DONE and task.outcome == "reached"
    assert task.customer.last_contact_on == today
    assert _db.session.scalar(select(Contact).where(Contact.task_id == task.id))
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "task.completed", AuditEvent.object_id == str(task.id)))
    counter = html(client.get_htmx("/tasks/counter"))
    assert 'data-count="1"' in counter


def test_complete_without_htmx_goes_back_to_the_queue(client, world, mine, login_as):
    login_as(world["maint_a"])
    task = mine["birthday"]
    response = client.post_form(f"/tasks/{task.id}/complete", complete_data(task))
    assert response.status_code == 302 and response.headers["Location"].endswith("/tasks/")
    assert reload(task).status == TaskStatus.DONE


def test_complete_without_csrf_is_refused(client, world, mine, login_as):
    login_as(world["maint_a"])
    task = mine["birthday"]
    response = client.post(f"/tasks/{task.id}/complete", data=complete_data(task))
    assert response.status_code == 400
    assert reload(task).status == TaskStatus.OPEN


@pytest.mark.parametrize("overrides", [
    {"outcome": "sang"}, {"outcome": ""}, {"channel": "pigeon"}, {"version": "x"},
    {"note": "x" * 501},
])
def test_complete_with_bad_input_changes_nothing(client, world, mine, login_as, overrides):
    login_as(world["maint_a"])
    task = mine["birthday"]
    response = client.post_form(f"/tasks/{task.id}/complete", complete_data(task, **overrides),
                                htmx=True)
    assert response.status_code == 422 and "<html" not in html(response)
    assert "invalid-feedback" in html(response) or "alert-danger" in html(response)
    assert "HX-Trigger" not in response.headers
    assert reload(task).status == TaskStatus.OPEN


def test_complete_with_stale_version_is_a_conflict(client, world, mine, login_as):
    login_as(world["maint_a"])
    task = mine["birthday"]
    response = client.post_form(f"/tasks/{task.id}/complete",
                                complete_data(task, version=task.version + 5), htmx=True)
    assert response.status_code == 409
    assert "changed meanwhile" in html(response) and "<html" not in html(response)
    assert "tasks-changed" in response.headers["HX-Trigger"]  # the list refreshes
    assert reload(task).status == TaskStatus.OPEN


def test_completing_twice_is_a_conflict(client, world, mine, login_as):
    login_as(world["maint_a"])
    task = mine["birthday"]
    data = complete_data(task)
    client.post_form(f"/tasks/{task.id}/complete", data, htmx=True)
    response = client.post_form(f"/tasks/{task.id}/complete", data, htmx=True)
    assert response.status_code == 409 and "already completed" in html(response)
    assert len(list(_db.session.scalars(select(Contact).where(
        Contact.task_id == task.id)))) == 1


def test_form_of_a_completed_task_says_so(client, world, mine, login_as):
    login_as(world["maint_a"])
    task = mine["birthday"]
    client.post_form(f"/tasks/{task.id}/complete", complete_data(task), htmx=True)
    for action in ("complete", "snooze"):
        response = client.get_htmx(f"/tasks/{task.id}/{action}")
        assert response.status_code == 409 and "already completed" in html(response)


def test_another_maintainers_task_is_not_found(client, world, mine, login_as):
    login_as(world["maint_a"])
    task = mine["other"]
    assert client.get(f"/tasks/{task.id}/complete").status_code == 404
    response = client.post_form(f"/tasks/{task.id}/complete", complete_data(task), htmx=True)
    assert response.status_code == 404 and "<html" not in html(response)
    assert reload(task).status == TaskStatus.OPEN


@pytest.mark.parametrize("task_id", [999999999, 2**40])
def test_unknown_task_is_not_found(client, world, login_as, task_id):
    login_as(world["maint_a"])
    assert client.get(f"/tasks/{task_id}/complete").status_code == 404
    assert client.post_form(f"/tasks/{task_id}/snooze", {"until": "2030-01-01",
                                                         "version": 1}).status_code == 404


def test_supervisor_may_not_complete(client, world, mine, login_as):
    login_as(world["supervisor_a"])
    task = mine["birthday"]
    response = client.post_form(f"/tasks/{task.id}/complete", complete_data(task), htmx=True)
    assert response.status_code == 403
    assert reload(task).status == TaskStatus.OPEN


# --- snooze --------------------------------------------------------------------------------


def test_snooze_form_offers_tomorrow_to_14_days(client, world, mine, login_as, today):
    login_as(world["maint_a"])
    page = html(client.get_htmx(f"/tasks/{mine['birthday'].id}/snooze"))
    assert "<html" not in page
    assert f'min="{(today + days(1)).isoformat()}"' in page
    assert f'max="{(today + days(14)).isoformat()}"' in page


def test_snooze_with_htmx_moves_the_task(client, world, mine, login_as, today):
    login_as(world["maint_a"])
    task = mine["birthday"]
    until = today + days(3)
    response = client.post_form(f"/tasks/{task.id}/snooze",
                                {"until": until.isoformat(), "version": task.version},
                                htmx=True)
    assert response.status_code == 200 and "tasks-changed" in response.headers["HX-Trigger"]
    task = reload(task)
    assert (task.status, task.snoozed_until, task.scheduled_on) == (
        TaskStatus.SNOOZED, until, until)
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "task.snoozed", AuditEvent.object_id == str(task.id)))


@pytest.mark.parametrize("until", ["yesterday", "2020-01-01", "today", "plus15", "not-a-date",
                                   ""])
def test_snooze_refuses_bad_dates(client, world, mine, login_as, today, until):
    login_as(world["maint_a"])
    task = mine["birthday"]
    value = {"yesterday": (today - days(1)).isoformat(), "today": today.isoformat(),
             "plus15": (today + days(15)).isoformat()}.get(until, until)
    response = client.post_form(f"/tasks/{task.id}/snooze",
                                {"until": value, "version": task.version}, htmx=True)
    assert response.status_code == 422 and "invalid-feedback" in html(response)
    assert reload(task).status == TaskStatus.OPEN


def test_snooze_without_csrf_is_refused(client, world, mine, login_as, today):
    login_as(world["maint_a"])
    task = mine["birthday"]
    response = client.post(f"/tasks/{task.id}/snooze",
                           data={"until": (today + days(2)).isoformat(), "version": 1})
    assert response.status_code == 400 and reload(task).status == TaskStatus.OPEN


def test_snooze_of_another_maintainers_task_is_not_found(client, world, mine, login_as, today):
    login_as(world["maint_a"])
    task = mine["other"]
    response = client.post_form(f"/tasks/{task.id}/snooze",
                                {"until": (today + days(2)).isoformat(),
                                 "version": task.version})
    assert response.status_code == 404 and reload(task).status == TaskStatus.OPEN


def test_snooze_with_stale_version_is_a_conflict(client, world, mine, login_as, today):
    login_as(world["maint_a"])
    task = mine["birthday"]
    response = client.post_form(f"/tasks/{task.id}/snooze",
                                {"until": (today + days(2)).isoformat(),
                                 "version": task.version + 1}, htmx=True)
    assert response.status_code == 409 and reload(task).status == TaskStatus.OPEN
