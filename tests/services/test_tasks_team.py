"""Team services: per-maintainer figures from set-based queries, task reassignment."""
from datetime import date, datetime

import pytest
from sqlalchemy import event, select

from app.errors import FieldInvalid, NotAllowed, NotFound
from app.extensions import db as _db
from app.models import AuditEvent, CustomerStatus, Role, TaskStatus
from app.tasks import services
from app.tasks.services import team as services_team

from ..task_book import add_task, days

TODAY = date(2026, 12, 2)
NOON_UTC = datetime(2026, 12, 2, 4, 0)  # 12:00 in Shanghai
LAST_NIGHT_UTC = datetime(2026, 12, 1, 15, 0)  # 23:00 in Shanghai, the day before


pytestmark = pytest.mark.usefixtures("request_context")


def by_name(stats):
    return {line.staff.id: line for line in stats}


def test_team_figures_per_maintainer(world, make_customer):
    maint = world["maint_a"]
    contacted = [make_customer(maintainer=maint, last_contact_on=TODAY - days(n))
                 for n in (1, 40, 120)]
    make_customer(maintainer=maint)  # never contacted
    make_customer(maintainer=maint, status=CustomerStatus.CLOSED, last_contact_on=TODAY)
    add_task(contacted[0], TODAY)
    add_task(contacted[1], TODAY - days(2))
    add_task(contacted[2], TODAY + days(3))
    add_task(contacted[0], TODAY, status=TaskStatus.DONE, completed_at=NOON_UTC)
    add_task(contacted[1], TODAY - days(1), status=TaskStatus.DONE, completed_at=LAST_NIGHT_UTC)

    line = by_name(services_team.team_overview(world["supervisor_a"], TODAY))[maint.id]

    assert (line.open, line.due_now, line.overdue, line.done_today) == (3, 2, 1, 1)
    assert line.book == 4
    assert (line.coverage(30), line.coverage(90)) == (25, 50)
    assert not line.over_capacity


def test_team_lists_maintainers_in_scope_only(world):
    supervisor_ids = set(by_name(services_team.team_overview(world["supervisor_a"], TODAY)))
    assert {world["maint_a"].id, world["maint_a2"].id} <= supervisor_ids
    assert world["maint_b"].id not in supervisor_ids
    admin_ids = set(by_name(services_team.team_overview(world["admin"], TODAY)))
    assert {world["maint_a"].id, world["maint_b"].id} <= admin_ids


def test_empty_book_has_no_coverage(world):
    line = by_name(services_team.team_overview(world["supervisor_a"], TODAY))[
        world["maint_a2"].id]
    assert line.book == 0 and line.coverage(30) is None


def count_statements(work):
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    return len(statements)


def test_team_figures_take_the_same_queries_for_any_team_size(world, make_staff,
                                                              make_customer):
    def overview():
        _db.session.expire_all()
        services_team.team_overview(world["supervisor_a"], TODAY)

    overview()  # the branch subtree is looked up once per request
    small = count_statements(overview)
    for _ in range(5):
        staff = make_staff(Role.MAINTAINER, world["outlet_a"])
        add_task(make_customer(maintainer=staff), TODAY)
    assert count_statements(overview) == small


@pytest.mark.parametrize("role", ["maint_a", "trainer_a"])
def test_team_view_is_for_supervisors_and_admins(world, role):
    with pytest.raises(NotAllowed):
        services_team.team_overview(world[role], TODAY)


def test_reassign_task_gives_it_to_another_maintainer(world, make_customer):
    task = add_task(make_customer(maintainer=world["maint_a"]), TODAY)
    version = task.version
    services_team.reassign_task(world["supervisor_a"], task.id, version,
                                world["maint_a2"].id)
    _db.session.expire_all()
    assert task.maintainer_id == world["maint_a2"].id and task.version == version + 1
    event_row = _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "task.reassigned", AuditEvent.object_id == str(task.id)))
    assert event_row.detail["from_maintainer_id"] == world["maint_a"].id
    assert services.count_actionable(world["maint_a2"], TODAY) == 1


@pytest.mark.parametrize("target", ["maint_b", "supervisor_a", "maint_a", "inactive", None])
def test_reassign_refuses_a_bad_target(world, make_customer, make_staff, target):
    task = add_task(make_customer(maintainer=world["maint_a"]), TODAY)
    if target == "inactive":
        target_id = make_staff(Role.MAINTAINER, world["outlet_a"], active=False).id
    else:
        target_id = world[target].id if target else None
    with pytest.raises(FieldInvalid):
        services_team.reassign_task(world["supervisor_a"], task.id, task.version, target_id)
    _db.session.rollback()
    assert task.maintainer_id == world["maint_a"].id


def test_reassign_outside_scope_is_not_found(world, make_customer):
    task = add_task(make_customer(maintainer=world["maint_a"]), TODAY)
    with pytest.raises(NotFound):
        services_team.reassign_task(world["supervisor_b"], task.id, task.version,
                                    world["maint_b"].id)


def test_reassign_with_stale_version_is_a_conflict(world, make_customer):
    task = add_task(make_customer(maintainer=world["maint_a"]), TODAY)
    with pytest.raises(services.TaskConflict):
        services_team.reassign_task(world["supervisor_a"], task.id, task.version + 1,
                                    world["maint_a2"].id)


def test_member_tasks_list_the_pending_tasks_in_planned_order(world, make_customer):
    customer = make_customer(maintainer=world["maint_a"])
    later = add_task(customer, TODAY + days(2))
    now = add_task(customer, TODAY)
    add_task(customer, TODAY - days(1), status=TaskStatus.DONE)
    view = services_team.member_tasks(world["supervisor_a"], world["maint_a"].id, TODAY)
    assert [row.task.id for row in view.rows] == [now.id, later.id]
    assert world["maint_a"].id not in {s.id for s in view.targets}
    assert world["maint_a2"].id in {s.id for s in view.targets}


def test_member_tasks_outside_scope_or_of_non_maintainers(world):
    with pytest.raises(NotFound):
        services_team.member_tasks(world["supervisor_b"], world["maint_a"].id, TODAY)
    with pytest.raises(FieldInvalid):
        services_team.member_tasks(world["supervisor_a"], world["trainer_a"].id, TODAY)


def test_local_day_bounds_follow_the_bank_time_zone():
    assert services_team.local_day_bounds(TODAY) == (datetime(2026, 12, 1, 16, 0),
                                                     datetime(2026, 12, 2, 16, 0))
