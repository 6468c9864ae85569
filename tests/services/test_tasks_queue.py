"""Queue services: sections and ordering, completing, snoozing, conflicts, contacts, activity."""
from datetime import date

import pytest
from sqlalchemy import event, select, text

from app.errors import FieldInvalid, NotAllowed, NotFound
from app.extensions import db as _db
from app.models import AuditEvent, Contact, CustomerStatus, Task, TaskStatus
from app.tasks import services

from ..task_book import add_task, days

TODAY = date(2026, 12, 2)  # a Wednesday: the next working days are 3, 4, 7, 8 and 9 December


pytestmark = pytest.mark.usefixtures("request_context")


@pytest.fixture
def people(world, make_customer):
    return {
        "a1": make_customer(maintainer=world["maint_a"], tier="gold", name="王芳"),
        "a2": make_customer(maintainer=world["maint_a"], name="王明"),
        "b1": make_customer(maintainer=world["maint_b"], name="张伟"),
    }


def ids(rows):
    return [row.task.id for row in rows]


def events(action, object_id):
    return list(_db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_id == str(object_id))))


def contacts_of(customer):
    return list(_db.session.scalars(select(Contact).where(Contact.customer_id == customer.id)))


# --- the queue ---------------------------------------------------------------------------


def test_queue_orders_today_by_priority_then_overdue_then_next_days(world, people):
    a1, a2 = people["a1"], people["a2"]
    low = add_task(a1, TODAY, priority=40)
    high = add_task(a2, TODAY, priority=70)
    late = add_task(a1, TODAY - days(3), priority=50, kind="maturity")
    tomorrow = add_task(a2, TODAY + days(1))
    monday = add_task(a1, TODAY + days(5))
    add_task(a1, TODAY + days(20))  # beyond the five working days
    add_task(a2, TODAY, status=TaskStatus.DONE)
    add_task(people["b1"], TODAY)  # another maintainer's

    queue = services.task_queue(world["maint_a"], TODAY)

    assert ids(queue.due.rows) == [high.id, low.id]
    assert ids(queue.overdue.rows) == [late.id]
    assert queue.overdue.rows[0].priority == 53 and queue.overdue.rows[0].days_overdue == 3
    assert [s.day for s in queue.upcoming] == [date(2026, 12, d) for d in (3, 4, 7, 8, 9)]
    assert ids(queue.upcoming[0].rows) == [tomorrow.id]
    assert ids(queue.upcoming[2].rows) == [monday.id]
    assert queue.kind_counts == {"birthday": 4, "maturity": 1}


def test_overdue_task_outranks_a_fresher_one_as_days_pass(world, people):
    old = add_task(people["a1"], TODAY - days(30), priority=40)
    add_task(people["a2"], TODAY - days(1), priority=60)
    queue = services.task_queue(world["maint_a"], TODAY)
    assert queue.overdue.rows[0].task.id == old.id and queue.overdue.rows[0].priority == 70


def test_snoozed_task_comes_back_on_its_day(world, people):
    back = add_task(people["a1"], TODAY - days(1), scheduled_on=TODAY,
                    status=TaskStatus.SNOOZED, snoozed_until=TODAY)
    later = add_task(people["a2"], TODAY, scheduled_on=TODAY + days(1),
                     status=TaskStatus.SNOOZED, snoozed_until=TODAY + days(1))
    queue = services.task_queue(world["maint_a"], TODAY)
    assert ids(queue.overdue.rows) == [back.id]
    assert ids(queue.upcoming[0].rows) == [later.id]
    assert services.count_actionable(world["maint_a"], TODAY) == 1


def test_weekend_task_is_listed_under_the_next_working_day(world, people):
    saturday = add_task(people["a1"], TODAY + days(3))
    queue = services.task_queue(world["maint_a"], TODAY)
    assert ids(queue.upcoming[2].rows) == [saturday.id]  # Monday 7 December


def test_kind_filter_keeps_the_counts_of_every_kind(world, people):
    add_task(people["a1"], TODAY)
    maturity = add_task(people["a2"], TODAY, kind="maturity")
    queue = services.task_queue(world["maint_a"], TODAY, kind="maturity")
    assert ids(queue.due.rows) == [maturity.id]
    assert queue.kind_counts == {"birthday": 1, "maturity": 1}
    assert services.task_queue(world["maint_a"], TODAY, kind="nonsense").kind is None


def test_queue_shows_why_from_the_rule_template(world, people):
    add_task(people["a1"], date(2026, 12, 2), note_params={"date": "2026-12-09"})
    row = services.task_queue(world["maint_a"], TODAY).due.rows[0]
    assert row.why == "Birthday on Dec 9"


def test_only_maintainers_have_a_queue(world):
    with pytest.raises(NotAllowed):
        services.task_queue(world["supervisor_a"], TODAY)
    assert services.count_actionable(world["supervisor_a"], TODAY) == 0


def test_counter_counts_due_and_overdue_only(world, people):
    add_task(people["a1"], TODAY)
    add_task(people["a1"], TODAY - days(2))
    add_task(people["a2"], TODAY + days(1))
    add_task(people["a2"], TODAY, status=TaskStatus.DONE)
    assert services.count_actionable(world["maint_a"], TODAY) == 2


# --- completing ----------------------------------------------------------------------------


def test_complete_records_contact_and_moves_last_contact(world, people):
    customer = people["a1"]
    customer.last_contact_on = date(2026, 6, 1)
    task = add_task(customer, TODAY)
    services.complete_task(world["maint_a"], task.id, task.version, "reached", "phone",
                           "  Wished a happy birthday  ", TODAY)
    _db.session.expire_all()
    assert task.status == TaskStatus.DONE and task.outcome == "reached"
    assert task.completed_at is not None and task.note == "Wished a happy birthday"
    contact = _db.session.scalar(select(Contact).where(Contact.task_id == task.id))
    assert (contact.channel, contact.outcome, contact.staff_id) == (
        "phone", "reached", world["maint_a"].id)
    assert customer.last_contact_on == TODAY
    [event] = events("task.completed", task.id)
    assert event.branch_id == customer.branch_id and event.detail["contact_id"] == contact.id


def test_complete_never_moves_last_contact_backwards(world, people):
    customer = people["a1"]
    customer.last_contact_on = TODAY + days(5)
    task = add_task(customer, TODAY)
    services.complete_task(world["maint_a"], task.id, task.version, "reached", "visit", "",
                           TODAY)
    _db.session.expire_all()
    assert customer.last_contact_on == TODAY + days(5)


def test_complete_of_another_maintainers_task_is_not_found(world, people):
    task = add_task(people["b1"], TODAY)
    with pytest.raises(NotFound):
        services.complete_task(world["maint_a"], task.id, task.version, "reached", "phone", "",
                               TODAY)
    assert _db.session.get(Task, task.id).status == TaskStatus.OPEN
    assert events("access.refused", task.id)


@pytest.mark.parametrize("outcome, channel, field", [
    ("sang", "phone", "outcome"), ("reached", "pigeon", "channel"), (None, "phone", "outcome")])
def test_complete_refuses_unknown_outcome_or_channel(world, people, outcome, channel, field):
    task = add_task(people["a1"], TODAY)
    with pytest.raises(FieldInvalid) as refused:
        services.complete_task(world["maint_a"], task.id, task.version, outcome, channel, "",
                               TODAY)
    assert refused.value.field == field
    _db.session.rollback()
    assert _db.session.get(Task, task.id).status == TaskStatus.OPEN
    assert not contacts_of(people["a1"])


def test_complete_with_stale_version_changes_nothing(world, people):
    task = add_task(people["a1"], TODAY)
    with pytest.raises(services.TaskConflict) as conflict:
        services.complete_task(world["maint_a"], task.id, task.version - 1, "reached", "phone",
                               "", TODAY)
    assert "changed meanwhile" in conflict.value.message
    assert not contacts_of(people["a1"])
    assert people["a1"].last_contact_on is None


def test_complete_of_a_done_task_is_a_conflict(world, people):
    task = add_task(people["a1"], TODAY, status=TaskStatus.DONE)
    with pytest.raises(services.TaskConflict) as conflict:
        services.complete_task(world["maint_a"], task.id, task.version, "reached", "phone", "",
                               TODAY)
    assert "already completed" in conflict.value.message


def test_concurrent_change_while_completing_is_a_conflict(world, people):
    task = add_task(people["a1"], TODAY)
    task_id, version = task.id, task.version

    def someone_else_first(state):
        # Another session changes the task just before the completion's UPDATE runs.
        if state.is_update:
            state.session.connection().execute(
                text("UPDATE task SET version = version + 1 WHERE id = :id"), {"id": task_id})

    event.listen(_db.session, "do_orm_execute", someone_else_first)
    try:
        with pytest.raises(services.TaskConflict):
            services.complete_task(world["maint_a"], task_id, version, "reached", "phone", "",
                                   TODAY)
    finally:
        event.remove(_db.session, "do_orm_execute", someone_else_first)
    assert not contacts_of(people["a1"])
    assert _db.session.get(Task, task_id).status == TaskStatus.OPEN


def test_supervisor_cannot_complete_tasks(world, people):
    task = add_task(people["a1"], TODAY)
    with pytest.raises(NotAllowed):
        services.complete_task(world["supervisor_a"], task.id, task.version, "reached",
                               "phone", "", TODAY)


# --- snoozing ------------------------------------------------------------------------------


def test_snooze_moves_task_to_the_chosen_day(world, people):
    task = add_task(people["a1"], TODAY)
    services.snooze_task(world["maint_a"], task.id, task.version, TODAY + days(2), TODAY)
    _db.session.expire_all()
    assert (task.status, task.snoozed_until, task.scheduled_on) == (
        TaskStatus.SNOOZED, TODAY + days(2), TODAY + days(2))
    assert task.due_on == TODAY  # the natural due date never changes
    assert events("task.snoozed", task.id)[0].detail["until"] == "2026-12-04"
    queue = services.task_queue(world["maint_a"], TODAY)
    assert not queue.due.rows and ids(queue.upcoming[1].rows) == [task.id]


@pytest.mark.parametrize("offset", [0, -1, 15, None])
def test_snooze_refuses_days_outside_tomorrow_to_14_days(world, people, offset):
    task = add_task(people["a1"], TODAY)
    until = None if offset is None else TODAY + days(offset)
    with pytest.raises(FieldInvalid):
        services.snooze_task(world["maint_a"], task.id, task.version, until, TODAY)
    _db.session.rollback()
    assert _db.session.get(Task, task.id).status == TaskStatus.OPEN


def test_snooze_accepts_the_fourteenth_day(world, people):
    task = add_task(people["a1"], TODAY)
    services.snooze_task(world["maint_a"], task.id, task.version, TODAY + days(14), TODAY)
    assert task.snoozed_until == TODAY + days(14)


def test_snooze_with_stale_version_is_a_conflict(world, people):
    task = add_task(people["a1"], TODAY)
    with pytest.raises(services.TaskConflict):
        services.snooze_task(world["maint_a"], task.id, task.version + 1, TODAY + days(1), TODAY)


def test_default_snooze_day_is_the_next_working_day():
    assert services.default_snooze_day(date(2026, 12, 4)) == date(2026, 12, 7)


def test_the_queue_looks_ahead_over_china_s_working_days(world, people):
    friday = date(2026, 2, 13)
    in_the_holiday = add_task(people["a1"], date(2026, 2, 17))  # planned before the calendar

    queue = services.task_queue(world["maint_a"], friday)

    assert [s.day for s in queue.upcoming] == [date(2026, 2, 14)] + [
        date(2026, 2, d) for d in (24, 25, 26, 27)]  # the make-up Saturday, then after
    assert ids(queue.upcoming[1].rows) == [in_the_holiday.id]
    assert services.default_snooze_day(friday) == date(2026, 2, 14)
    assert services.default_snooze_day(date(2026, 2, 14)) == date(2026, 2, 24)


# --- contacts ------------------------------------------------------------------------------


def test_maintainer_logs_contact_and_last_contact_moves(world, people):
    contact = services.log_contact(world["maint_a"], people["a1"].id, "wechat", "appointment",
                                   "Meeting on Friday", TODAY)
    _db.session.expire_all()
    assert people["a1"].last_contact_on == TODAY
    assert contact.task_id is None and contact.summary == "Meeting on Friday"
    assert events("contact.logged", people["a1"].id)


def test_supervisor_logs_contact_in_scope_only(world, people):
    services.log_contact(world["supervisor_a"], people["a1"].id, "visit", "reached", "At the "
                         "counter", TODAY)
    with pytest.raises(NotFound):
        services.log_contact(world["supervisor_b"], people["a1"].id, "visit", "reached", "x",
                             TODAY)


@pytest.mark.parametrize("role", ["admin", "trainer_a"])
def test_admin_and_trainer_do_not_log_contacts(world, people, role):
    with pytest.raises(NotAllowed):
        services.log_contact(world[role], people["a1"].id, "phone", "reached", "x", TODAY)


def test_contact_needs_a_summary(world, people):
    with pytest.raises(FieldInvalid) as refused:
        services.log_contact(world["maint_a"], people["a1"].id, "phone", "reached", "  ", TODAY)
    assert refused.value.field == "summary"


def test_activity_lists_contacts_pending_and_recent_tasks(world, people):
    customer = people["a1"]
    pending = add_task(customer, TODAY + days(1))
    done = add_task(customer, TODAY)
    services.complete_task(world["maint_a"], done.id, done.version, "reached", "phone", "ok",
                           TODAY)
    services.log_contact(world["maint_a"], customer.id, "sms", "not_reached", "No answer",
                         TODAY)
    old = add_task(customer, TODAY - days(60), status=TaskStatus.DONE,
                   completed_at=date(2026, 9, 1))
    activity = services.customer_activity(world["maint_a"], customer, TODAY)
    assert [c.summary for c in activity.contacts] == ["No answer", "ok"]
    assert ids(activity.pending) == [pending.id]
    assert ids(activity.recent) == [done.id] and old.id not in ids(activity.recent)
    assert activity.can_log


def test_closed_customer_activity_still_shows(world, people):
    people["a1"].status = CustomerStatus.CLOSED
    activity = services.activity_for(world["admin"], people["a1"].id, TODAY)
    assert activity.contacts == [] and not activity.can_log
