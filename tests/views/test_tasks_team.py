"""Team view, a maintainer's tasks with reassignment, and the portfolio handover pages."""
import re

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db as _db
from app.models import AuditEvent, Customer, Role

from ..helpers import html, reload
from ..task_book import add_task

TOKEN_RE = re.compile(r'name="token"[^>]*value="([0-9a-f]+)"')


@pytest.fixture
def book(world, make_customer):
    """maint_a looks after three customers with one open task each; maint_b after one."""
    customers = [make_customer(maintainer=world["maint_a"], tier=tier, name=f"客户{tier}")
                 for tier in ("gold", "mass", "private")]
    tasks = [add_task(c, clock.today()) for c in customers]
    other = make_customer(maintainer=world["maint_b"], name="张伟")
    return {"customers": customers, "tasks": tasks, "other": add_task(other, clock.today())}


# --- team view -----------------------------------------------------------------------------


def test_supervisor_sees_the_maintainers_of_the_branch(client, world, book, login_as):
    login_as(world["supervisor_a"])
    page = html(client.get("/tasks/team"))
    assert world["maint_a"].display_name in page and world["maint_a2"].display_name in page
    assert world["maint_b"].display_name not in page
    assert "Coverage 30 days" in page


def test_admin_sees_every_maintainer(client, world, book, login_as):
    login_as(world["admin"])
    page = html(client.get("/tasks/team"))
    assert world["maint_b"].display_name in page


@pytest.mark.parametrize("role", ["maint_a", "trainer_a"])
def test_maintainers_and_trainers_may_not_open_the_team_view(client, world, login_as, role):
    login_as(world[role])
    assert client.get("/tasks/team").status_code == 403
    assert client.get(f"/tasks/team/{world['maint_a'].id}").status_code == 403
    assert client.get("/tasks/team/handover").status_code == 403


def test_member_page_lists_tasks_with_reassign_controls(client, world, book, login_as):
    login_as(world["supervisor_a"])
    page = html(client.get(f"/tasks/team/{world['maint_a'].id}"))
    for task in book["tasks"]:
        assert f'id="member-task-{task.id}"' in page
    assert f'<option value="{world["maint_a2"].id}"' in page
    assert f'<option value="{world["maint_b"].id}"' not in page


def test_member_page_outside_scope_is_not_found(client, world, login_as):
    login_as(world["supervisor_a"])
    assert client.get(f"/tasks/team/{world['maint_b'].id}").status_code == 404
    assert client.get("/tasks/team/999999999").status_code == 404


# --- reassign ------------------------------------------------------------------------------


def reassign(client, task, maintainer_id, htmx=True, **extra):
    data = {"version": task.version, "maintainer_id": maintainer_id, **extra}
    return client.post_form(f"/tasks/{task.id}/reassign", data, htmx=htmx)


def test_reassign_with_htmx_moves_the_task(client, world, book, login_as):
    login_as(world["supervisor_a"])
    task = book["tasks"][0]
    response = reassign(client, task, world["maint_a2"].id)
    assert response.status_code == 200 and "tasks-changed" in response.headers["HX-Trigger"]
    assert "<html" not in html(response) and "<tr" not in html(response)
    assert reload(task).maintainer_id == world["maint_a2"].id
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "task.reassigned", AuditEvent.object_id == str(task.id)))


def test_reassign_without_htmx_returns_to_the_list(client, world, book, login_as):
    login_as(world["supervisor_a"])
    task = book["tasks"][0]
    response = reassign(client, task, world["maint_a2"].id, htmx=False,
                        back_staff_id=world["maint_a"].id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/tasks/team/{world['maint_a'].id}")


@pytest.mark.parametrize("target", ["maint_b", "trainer_a", "", "abc", str(2**40)])
def test_reassign_to_a_bad_target_shows_the_row_with_an_error(client, world, book, login_as,
                                                              target):
    login_as(world["supervisor_a"])
    task = book["tasks"][0]
    target_id = world[target].id if target in world else target
    response = reassign(client, task, target_id)
    assert response.status_code == 422 and f'id="member-task-{task.id}"' in html(response)
    assert "invalid-feedback" in html(response)
    assert reload(task).maintainer_id == world["maint_a"].id


def test_reassign_with_stale_version_is_a_conflict(client, world, book, login_as):
    login_as(world["supervisor_a"])
    task = book["tasks"][0]
    response = client.post_form(f"/tasks/{task.id}/reassign",
                                {"version": task.version + 3,
                                 "maintainer_id": world["maint_a2"].id}, htmx=True)
    assert response.status_code == 409
    assert reload(task).maintainer_id == world["maint_a"].id


def test_reassign_outside_scope_is_not_found(client, world, book, login_as):
    login_as(world["supervisor_a"])
    task = book["other"]
    assert reassign(client, task, world["maint_a2"].id).status_code == 404
    assert reload(task).maintainer_id == world["maint_b"].id


def test_reassign_without_csrf_is_refused(client, world, book, login_as):
    login_as(world["supervisor_a"])
    task = book["tasks"][0]
    response = client.post(f"/tasks/{task.id}/reassign",
                           data={"version": task.version, "maintainer_id": world["maint_a2"].id})
    assert response.status_code == 400


def test_maintainer_may_not_reassign(client, world, book, login_as):
    login_as(world["maint_a"])
    assert reassign(client, book["tasks"][0], world["maint_a2"].id).status_code == 403


# --- handover ------------------------------------------------------------------------------


def preview_url(world, giver="maint_a", receivers=("maint_a2",)):
    to = "&".join(f"to_ids={world[r].id}" for r in receivers)
    return f"/tasks/team/handover?from_id={world[giver].id}&{to}&preview=1"


def test_handover_page_offers_maintainers_in_scope(client, world, book, login_as):
    login_as(world["supervisor_a"])
    page = html(client.get(f"/tasks/team/handover?from_id={world['maint_a'].id}"))
    assert world["maint_a2"].display_name in page and world["maint_b"].display_name not in page
    assert "Hand over now" not in page


def test_handover_preview_then_confirm(client, world, book, login_as):
    login_as(world["supervisor_a"])
    page = html(client.get(preview_url(world)))
    assert "Hand over now" in page and "Customers received" in page
    token = TOKEN_RE.search(page).group(1)
    response = client.post_form("/tasks/team/handover", {
        "from_id": world["maint_a"].id, "to_ids": [world["maint_a2"].id], "token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/tasks/team")
    _db.session.expire_all()
    assert {c.maintainer_id for c in book["customers"]} == {world["maint_a2"].id}
    assert {reload(t).maintainer_id for t in book["tasks"]} == {world["maint_a2"].id}
    assert _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "portfolio.handed_over",
        AuditEvent.object_id == str(world["maint_a"].id)))
    assert "3 customers" in html(client.get("/tasks/team"))


def test_changed_plan_is_refused_with_the_new_preview(client, world, book, login_as,
                                                      make_customer):
    login_as(world["supervisor_a"])
    token = TOKEN_RE.search(html(client.get(preview_url(world)))).group(1)
    make_customer(maintainer=world["maint_a"], tier="diamond")
    _db.session.commit()
    response = client.post_form("/tasks/team/handover", {
        "from_id": world["maint_a"].id, "to_ids": [world["maint_a2"].id], "token": token})
    assert response.status_code == 409 and "changed since the preview" in html(response)
    assert TOKEN_RE.search(html(response)).group(1) != token
    assert _db.session.scalar(select(func.count()).select_from(Customer).where(
        Customer.maintainer_id == world["maint_a"].id)) == 4


@pytest.mark.parametrize("receivers, message", [
    (("maint_a",), "themselves"), (("maint_b",), "active maintainer"), ((), "at least one")])
def test_handover_preview_refusals(client, world, book, login_as, receivers, message):
    login_as(world["supervisor_a"])
    response = client.get(preview_url(world, receivers=receivers))
    assert response.status_code == 422 and message in html(response)
    assert "Hand over now" not in html(response)


def test_handover_of_a_maintainer_outside_scope_is_not_found(client, world, book, login_as):
    login_as(world["supervisor_a"])
    assert client.get(preview_url(world, giver="maint_b")).status_code == 404


def test_handover_of_an_impossible_id_is_not_found(client, world, login_as):
    login_as(world["supervisor_a"])
    response = client.get(f"/tasks/team/handover?from_id={2**40}&to_ids={2**40}&preview=1")
    assert response.status_code == 404


def test_handover_with_nothing_to_hand_over(client, world, login_as):
    login_as(world["supervisor_a"])
    response = client.get(preview_url(world, giver="maint_a2", receivers=("maint_a",)))
    assert response.status_code == 422 and "no customers" in html(response)


def test_handover_confirm_needs_csrf_and_a_complete_form(client, world, book, login_as):
    login_as(world["supervisor_a"])
    data = {"from_id": world["maint_a"].id, "to_ids": [world["maint_a2"].id], "token": "x"}
    assert client.post("/tasks/team/handover", data=data).status_code == 400
    response = client.post_form("/tasks/team/handover", {"from_id": world["maint_a"].id})
    assert response.status_code == 422
    assert _db.session.scalar(select(func.count()).select_from(Customer).where(
        Customer.maintainer_id == world["maint_a"].id)) == 3


def test_maintainer_may_not_hand_over(client, world, book, login_as, make_staff):
    login_as(world["maint_a"])
    response = client.post_form("/tasks/team/handover", {
        "from_id": world["maint_a"].id, "to_ids": [world["maint_a2"].id], "token": "x"})
    assert response.status_code == 403


def test_inactive_receivers_are_not_offered(client, world, login_as, make_staff):
    gone = make_staff(Role.MAINTAINER, world["outlet_a"], active=False, display_name="Gone")
    _db.session.commit()
    login_as(world["supervisor_a"])
    page = html(client.get("/tasks/team/handover"))
    assert f'value="{gone.id}"' in page.split("handover-receivers")[0]  # offered as giver
    assert f'value="{gone.id}"' not in page.split("handover-receivers")[1]
