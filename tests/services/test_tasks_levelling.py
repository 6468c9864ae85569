"""level_workload and effective_priority: capacity per working day, highest priority first."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.tasks.levelling import level_workload
from app.models import RuleKind, Task, TaskStatus
from app.tasks.priority import effective_priority
from app.workdays import is_working_day, working_days_from
from tests.calendar_book import (FIRST_WORKING_DAY_AFTER_2027, MAKE_UP_SATURDAY_2026,
                                 SPRING_FESTIVAL_2026, SPRING_FESTIVAL_2027,
                                 enter_spring_festival_2027)

THURSDAY = date(2026, 12, 3)
FRIDAY = date(2026, 12, 4)
SATURDAY = date(2026, 12, 5)
MONDAY = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)


@pytest.fixture
def make_task(db, make_customer):
    """Build an open task for ``maintainer`` directly (not through a rule)."""
    def make(maintainer, priority=50, due_on=THURSDAY, scheduled_on=THURSDAY,
             status=TaskStatus.OPEN, **fields):
        customer = make_customer(maintainer=maintainer)
        task = Task(kind=RuleKind.CAMPAIGN, customer_id=customer.id, maintainer_id=maintainer.id,
                    source_ref="", due_on=due_on, scheduled_on=scheduled_on, priority=priority,
                    status=status, note_params={}, **fields)
        db.session.add(task)
        db.session.flush()
        return task
    return make


def _days(db, tasks):
    db.session.expire_all()
    return [db.session.get(Task, task.id).scheduled_on for task in tasks]


def test_capacity_three_spreads_seven_tasks_three_three_one_skipping_the_weekend(
        db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 3
    tasks = [make_task(maint, priority=90 - n) for n in range(7)]  # highest priority first

    result = level_workload(THURSDAY)

    assert _days(db, tasks) == [THURSDAY] * 3 + [FRIDAY] * 3 + [MONDAY]
    assert result.levelled == 7
    assert result.moved == 4
    db.session.expire_all()
    assert all(db.session.get(Task, t.id).status == TaskStatus.OPEN for t in tasks)


def test_levelling_is_per_maintainer(db, world, make_task):
    world["maint_a"].daily_capacity = 1
    world["maint_b"].daily_capacity = 1
    mine = [make_task(world["maint_a"], priority=p) for p in (60, 50)]
    theirs = [make_task(world["maint_b"], priority=p) for p in (40, 30)]

    level_workload(THURSDAY)

    assert _days(db, mine) == [THURSDAY, FRIDAY]
    assert _days(db, theirs) == [THURSDAY, FRIDAY]


def test_overdue_tasks_climb_by_one_point_a_day(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 1
    fresh = make_task(maint, priority=50, due_on=THURSDAY)
    overdue = make_task(maint, priority=45, due_on=THURSDAY - timedelta(days=10))

    level_workload(THURSDAY)

    assert _days(db, [overdue, fresh]) == [THURSDAY, FRIDAY]


def test_ties_go_to_the_older_task(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 1
    first, second = make_task(maint), make_task(maint)

    level_workload(THURSDAY)

    assert _days(db, [first, second]) == [THURSDAY, FRIDAY]


def test_a_weekend_day_keeps_one_day_of_work_then_plans_from_monday(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 2
    tasks = [make_task(maint, priority=90 - n, scheduled_on=SATURDAY) for n in range(5)]

    level_workload(SATURDAY)

    assert _days(db, tasks) == [SATURDAY, SATURDAY, MONDAY, MONDAY, TUESDAY]


def test_moved_tasks_get_a_new_version_and_a_second_run_moves_nothing(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 1
    stays, moves = make_task(maint, priority=60), make_task(maint, priority=50)

    level_workload(THURSDAY)
    again = level_workload(THURSDAY)

    db.session.expire_all()
    assert db.session.get(Task, stays.id).version == 1
    assert db.session.get(Task, moves.id).version == 2
    assert again.moved == 0


def test_done_and_still_snoozed_tasks_are_left_alone(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 1
    done = make_task(maint, priority=99, status=TaskStatus.DONE, scheduled_on=MONDAY)
    snoozed = make_task(maint, priority=99, status=TaskStatus.SNOOZED, scheduled_on=TUESDAY,
                        snoozed_until=TUESDAY)
    back = make_task(maint, priority=98, status=TaskStatus.SNOOZED, scheduled_on=THURSDAY,
                     snoozed_until=THURSDAY)
    open_task = make_task(maint, priority=10, scheduled_on=THURSDAY)

    result = level_workload(THURSDAY)

    assert _days(db, [done, snoozed, back, open_task]) == [MONDAY, TUESDAY, THURSDAY, FRIDAY]
    assert result.levelled == 2


def test_tasks_after_the_horizon_stay_where_they_are(db, world, make_task):
    maint = world["maint_a"]
    far = make_task(maint, scheduled_on=THURSDAY + timedelta(days=30))

    level_workload(THURSDAY, horizon=THURSDAY + timedelta(days=14))

    assert _days(db, [far]) == [THURSDAY + timedelta(days=30)]


def test_a_zero_capacity_counts_as_one(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 0
    tasks = [make_task(maint, priority=p) for p in (60, 50)]

    level_workload(THURSDAY)

    assert _days(db, tasks) == [THURSDAY, FRIDAY]


def test_nothing_is_dropped_however_long_the_backlog(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 2
    tasks = [make_task(maint, priority=100 - n) for n in range(23)]

    level_workload(THURSDAY)

    days = _days(db, tasks)
    assert days == sorted(days)
    assert days[-1] == date(2026, 12, 18)  # the 12th working day from Thursday 3 December
    assert all(day.weekday() < 5 for day in days)
    assert max(days.count(day) for day in days) == 2


def test_effective_priority_adds_the_days_overdue(db, world, make_task):
    maint = world["maint_a"]
    overdue = make_task(maint, priority=40, due_on=THURSDAY - timedelta(days=5))
    future = make_task(maint, priority=40, due_on=THURSDAY + timedelta(days=5))

    rows = dict(db.session.execute(
        select(Task.id, effective_priority(THURSDAY)).where(Task.id.in_([overdue.id, future.id]))
    ).all())

    assert rows == {overdue.id: 45, future.id: 40}


# --- China's working days ------------------------------------------------------------------

def test_overflow_before_the_2027_spring_festival_is_levelled_past_the_holiday(
        db, world, make_task):
    enter_spring_festival_2027()
    eve = date(2027, 2, 4)  # Thursday, the last working day before the holiday
    maint = world["maint_a"]
    maint.daily_capacity = 1
    urgent = make_task(maint, priority=90, due_on=eve, scheduled_on=eve)
    after = make_task(maint, priority=50, due_on=FIRST_WORKING_DAY_AFTER_2027,
                      scheduled_on=FIRST_WORKING_DAY_AFTER_2027)
    later = make_task(maint, priority=40, due_on=FIRST_WORKING_DAY_AFTER_2027,
                      scheduled_on=FIRST_WORKING_DAY_AFTER_2027)

    level_workload(eve)

    # Monday to Friday would have put them on Friday 5 and Monday 8 February, in the holiday.
    assert _days(db, [urgent, after, later]) == [eve, FIRST_WORKING_DAY_AFTER_2027,
                                                 date(2027, 2, 15)]


def test_a_task_due_on_the_first_working_day_after_the_2027_holiday_stays_past_it(
        db, world, make_task):
    enter_spring_festival_2027()
    today = date(2027, 2, 3)
    maint = world["maint_a"]
    maint.daily_capacity = 2
    today_work = [make_task(maint, priority=90, due_on=today, scheduled_on=today)
                  for _ in range(2)]
    eve_work = [make_task(maint, priority=80, due_on=today, scheduled_on=today)
                for _ in range(2)]
    due_after = make_task(maint, priority=50, due_on=FIRST_WORKING_DAY_AFTER_2027,
                          scheduled_on=date(2027, 2, 8))  # planned in the holiday before

    level_workload(today)

    assert _days(db, today_work + eve_work + [due_after]) == (
        [today] * 2 + [date(2027, 2, 4)] * 2 + [FIRST_WORKING_DAY_AFTER_2027])


def test_the_queue_never_plans_work_on_a_holiday(db, world, make_task):
    enter_spring_festival_2027()
    maint = world["maint_a"]
    maint.daily_capacity = 1
    for year_start in (date(2026, 2, 12), date(2027, 2, 3)):
        tasks = [make_task(maint, priority=90 - n, due_on=year_start, scheduled_on=year_start)
                 for n in range(12)]

        level_workload(year_start)

        days = _days(db, tasks)
        assert days[0] == year_start
        assert all(is_working_day(day) for day in days)
        assert not set(days) & set(SPRING_FESTIVAL_2026 + SPRING_FESTIVAL_2027)
        assert days == [year_start] + working_days_from(year_start + timedelta(days=1), 11)
        for task in tasks:
            db.session.delete(task)
        db.session.flush()


def test_levelling_plans_on_the_2026_make_up_saturdays(db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 1
    friday = date(2026, 2, 13)
    tasks = [make_task(maint, priority=90 - n, due_on=friday, scheduled_on=friday)
             for n in range(3)]

    level_workload(friday)

    assert _days(db, tasks) == [friday, MAKE_UP_SATURDAY_2026, date(2026, 2, 24)]


def test_levelling_on_a_holiday_keeps_today_then_skips_to_the_next_working_day(
        db, world, make_task):
    maint = world["maint_a"]
    maint.daily_capacity = 1
    holiday = date(2026, 2, 17)
    tasks = [make_task(maint, priority=90 - n, due_on=holiday, scheduled_on=holiday)
             for n in range(2)]

    level_workload(holiday)

    assert _days(db, tasks) == [holiday, date(2026, 2, 24)]


def test_a_backlog_beyond_the_slot_cap_piles_on_the_last_day(db, world, make_task, monkeypatch):
    from app.tasks import levelling

    monkeypatch.setattr(levelling, "MAX_SLOTS", 2)
    maint = world["maint_a"]
    maint.daily_capacity = 1
    tasks = [make_task(maint, priority=90 - n) for n in range(4)]

    level_workload(THURSDAY)

    assert _days(db, tasks) == [THURSDAY, FRIDAY, FRIDAY, FRIDAY]
