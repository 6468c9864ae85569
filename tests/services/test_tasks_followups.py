"""generate_followups: each rule's SQL raises the right tasks, once, for the right customers."""
from datetime import date, timedelta

import pytest

from app.tasks.followups import generate_followups
from app.tasks.followup_rules import birthday_due_dates
from app.models import CustomerStatus, RuleKind, TaskStatus, TierHistory
from tests.calendar_book import enter_spring_festival_2027

MONDAY = date(2026, 11, 30)


@pytest.fixture
def maint(world):
    return world["maint_a"]


def test_birthday_within_lead_days_is_due_on_the_birthday(maint, make_customer, tasks_of):
    soon = make_customer(maintainer=maint, birth_on=date(1980, 12, 2))
    later = make_customer(maintainer=maint, birth_on=date(1980, 12, 20))

    result = generate_followups(MONDAY)

    (task,) = tasks_of(soon)
    assert (task.kind, task.due_on, task.scheduled_on) == (
        RuleKind.BIRTHDAY, date(2026, 12, 2), MONDAY)
    assert task.maintainer_id == maint.id
    assert task.source_ref == ""
    assert task.status == TaskStatus.OPEN
    assert task.priority == 40
    assert task.note_params == {"date": "2026-12-02"}
    assert tasks_of(later) == []
    assert result.created[RuleKind.BIRTHDAY] == 1


def test_birthday_on_29_february_falls_on_28_february_in_other_years(maint, make_customer,
                                                                     tasks_of):
    leapling = make_customer(maintainer=maint, birth_on=date(1988, 2, 29))

    generate_followups(date(2027, 2, 25))
    generate_followups(date(2028, 2, 25))

    assert [t.due_on for t in tasks_of(leapling)] == [date(2027, 2, 28), date(2028, 2, 29)]


def test_birthday_lead_days_run_across_the_year_end(maint, make_customer, tasks_of):
    new_year = make_customer(maintainer=maint, birth_on=date(1990, 1, 3))
    new_years_eve = make_customer(maintainer=maint, birth_on=date(1991, 12, 31))

    generate_followups(date(2026, 12, 30))

    assert [t.due_on for t in tasks_of(new_year)] == [date(2027, 1, 3)]
    assert tasks_of(new_year)[0].note_params == {"date": "2027-01-03"}
    assert [t.due_on for t in tasks_of(new_years_eve)] == [date(2026, 12, 31)]


def test_birthday_dates_cover_exactly_the_lead_window():
    due = birthday_due_dates(date(2026, 12, 30), 7)
    assert due["12-30"] == date(2026, 12, 30)
    assert due["01-06"] == date(2027, 1, 6)
    assert "01-07" not in due and "12-29" not in due


@pytest.mark.parametrize("matures_on, due_on", [
    (date(2026, 12, 5), date(2026, 12, 4)),   # Saturday -> Friday
    (date(2026, 12, 6), date(2026, 12, 4)),   # Sunday -> Friday
    (date(2026, 12, 8), date(2026, 12, 8)),   # Tuesday stays
])
def test_maturity_on_a_weekend_is_due_the_friday_before(maint, make_customer, make_holding,
                                                        make_product, tasks_of, matures_on,
                                                        due_on):
    customer = make_customer(maintainer=maint, tier="gold")
    product = make_product(name="稳健理财90天")
    holding = make_holding(customer, product=product, amount_fen=200_000_00,
                           matures_on=matures_on)

    generate_followups(MONDAY)

    (task,) = tasks_of(customer, RuleKind.MATURITY)
    assert (task.kind, task.due_on, task.source_ref) == (RuleKind.MATURITY, due_on,
                                                         f"holding:{holding.id}")
    assert task.priority == 70 + 10
    assert task.note_params == {"date": matures_on.isoformat(), "product": "稳健理财90天",
                                "amount_fen": 200_000_00}


def test_maturity_outside_the_lead_days_raises_nothing(maint, make_customer, make_holding,
                                                       tasks_of):
    customer = make_customer(maintainer=maint)
    make_holding(customer, matures_on=MONDAY + timedelta(days=15))
    make_holding(customer, matures_on=MONDAY - timedelta(days=1))
    make_holding(customer, matures_on=None)

    generate_followups(MONDAY)

    assert tasks_of(customer) == []


def test_each_maturing_holding_gets_its_own_task(maint, make_customer, make_holding, tasks_of):
    customer = make_customer(maintainer=maint)
    first = make_holding(customer, matures_on=date(2026, 12, 1))
    second = make_holding(customer, matures_on=date(2026, 12, 1))

    generate_followups(MONDAY)

    assert {t.source_ref for t in tasks_of(customer)} == {f"holding:{first.id}",
                                                          f"holding:{second.id}"}


def test_cadence_is_due_the_tier_interval_after_the_last_contact(maint, make_customer,
                                                                 tasks_of):
    late = make_customer(maintainer=maint, tier="gold", last_contact_on=date(2026, 8, 1))
    recent = make_customer(maintainer=maint, tier="gold", last_contact_on=date(2026, 10, 1))
    never = make_customer(maintainer=maint, tier="private", onboarded_on=date(2026, 11, 1))
    mass = make_customer(maintainer=maint, tier="mass", last_contact_on=date(2025, 12, 1))

    generate_followups(MONDAY)

    (task,) = tasks_of(late)  # due 30 Oct, raised on Monday: due Monday, not a month overdue
    assert (task.kind, task.due_on) == (RuleKind.CADENCE, MONDAY)
    assert task.priority == 50 + 10
    assert task.note_params == {"last_contact": "2026-08-01", "interval": 90}
    assert tasks_of(recent) == []
    (from_onboarding,) = tasks_of(never)
    assert from_onboarding.due_on == MONDAY  # onboarded 1 Nov + 14 days
    assert from_onboarding.priority == 50 + 40
    assert tasks_of(mass, RuleKind.CADENCE) == []


def test_cadence_is_raised_lead_days_before_it_is_due(maint, make_customer, set_rule,
                                                      tasks_of):
    set_rule(RuleKind.CADENCE, lead_days=5)
    customer = make_customer(maintainer=maint, tier="diamond", last_contact_on=date(2026, 11, 3))

    generate_followups(MONDAY)

    assert [t.due_on for t in tasks_of(customer)] == [date(2026, 12, 3)]


def test_cadence_waits_while_one_is_pending(maint, make_customer, tasks_of, db):
    customer = make_customer(maintainer=maint, tier="gold", last_contact_on=date(2026, 8, 1))
    generate_followups(MONDAY)
    customer.last_contact_on = date(2026, 8, 20)  # an ad-hoc contact; the task is still open
    db.session.flush()

    generate_followups(MONDAY + timedelta(days=1))

    assert len(tasks_of(customer, RuleKind.CADENCE)) == 1


def test_dormant_needs_no_contact_for_the_threshold_and_aum_above_the_floor(
        maint, make_customer, tasks_of):
    dormant = make_customer(maintainer=maint, aum_fen=20_000_00,
                            last_contact_on=date(2026, 3, 1))
    poor = make_customer(maintainer=maint, aum_fen=5_000_00, last_contact_on=date(2026, 3, 1))
    recent = make_customer(maintainer=maint, aum_fen=20_000_00,
                           last_contact_on=date(2026, 8, 1))

    generate_followups(MONDAY)

    (task,) = tasks_of(dormant)
    assert (task.kind, task.due_on) == (RuleKind.DORMANT, MONDAY)
    assert task.note_params == {"since": "2026-03-01", "days": 180, "amount_fen": 20_000_00}
    assert tasks_of(poor) == [] and tasks_of(recent) == []


def test_dormant_leaves_tiers_with_a_contact_interval_to_the_cadence_rule(
        maint, make_customer, tasks_of):
    gold = make_customer(maintainer=maint, tier="gold", aum_fen=60_000_00,
                         last_contact_on=date(2026, 3, 1))

    generate_followups(MONDAY)

    assert [t.kind for t in tasks_of(gold)] == [RuleKind.CADENCE]


def test_dormant_threshold_and_floor_come_from_the_rule(
        maint, make_customer, set_rule, tasks_of):
    set_rule(RuleKind.DORMANT, threshold_days=60, min_aum_fen=1_000_00)
    customer = make_customer(maintainer=maint, aum_fen=2_000_00,
                             last_contact_on=date(2026, 9, 1))

    generate_followups(MONDAY)

    assert [(t.kind, t.due_on) for t in tasks_of(customer)] == [(RuleKind.DORMANT, MONDAY)]


def _history(db, customer, from_tier, to_tier, changed_on):
    row = TierHistory(customer_id=customer.id, from_tier=from_tier, to_tier=to_tier,
                      aum_fen=customer.aum_fen, changed_on=changed_on, reason="retier")
    db.session.add(row)
    db.session.flush()
    return row


def test_tier_change_tells_upgrade_or_downgrade(maint, make_customer, tasks_of, db):
    up = make_customer(maintainer=maint, tier="platinum")
    down = make_customer(maintainer=maint, tier="gold")
    upgrade = _history(db, up, "gold", "platinum", MONDAY - timedelta(days=1))
    downgrade = _history(db, down, "platinum", "gold", MONDAY)

    generate_followups(MONDAY)

    (task,) = tasks_of(up, RuleKind.TIER_CHANGE)
    assert (task.kind, task.source_ref, task.due_on) == (
        RuleKind.TIER_CHANGE, f"tier:{upgrade.id}", MONDAY + timedelta(days=2))
    assert task.note_params == {"from_tier": "gold", "to_tier": "platinum",
                                "direction": "upgrade"}
    (task,) = tasks_of(down, RuleKind.TIER_CHANGE)
    assert task.source_ref == f"tier:{downgrade.id}"
    assert task.note_params["direction"] == "downgrade"


def test_tier_change_ignores_old_changes_and_first_tiers(maint, make_customer, tasks_of, db):
    old = make_customer(maintainer=maint, tier="gold")
    first = make_customer(maintainer=maint, tier="gold")
    _history(db, old, "mass", "gold", MONDAY - timedelta(days=4))
    _history(db, first, None, "gold", MONDAY)

    generate_followups(MONDAY)

    assert tasks_of(old, RuleKind.TIER_CHANGE) == []
    assert tasks_of(first, RuleKind.TIER_CHANGE) == []


def test_risk_review_is_due_when_the_assessment_expires(maint, make_customer, tasks_of):
    soon = make_customer(maintainer=maint, risk_level="C3", risk_assessed_on=date(2025, 12, 20))
    valid = make_customer(maintainer=maint, risk_level="C3", risk_assessed_on=date(2026, 1, 15))
    never = make_customer(maintainer=maint)

    generate_followups(MONDAY)

    (task,) = tasks_of(soon)
    assert (task.kind, task.due_on) == (RuleKind.RISK_REVIEW, date(2026, 12, 20))
    assert task.note_params == {"date": "2026-12-20"}
    assert tasks_of(valid) == [] and tasks_of(never) == []


def test_expired_risk_assessment_raises_one_review_due_today(maint, make_customer, tasks_of):
    expired = make_customer(maintainer=maint, risk_level="C2",
                            risk_assessed_on=date(2024, 2, 29))

    generate_followups(MONDAY)
    generate_followups(MONDAY + timedelta(days=1))

    (task,) = tasks_of(expired)
    assert task.due_on == MONDAY
    assert task.note_params == {"date": "2025-03-01"}


def test_expired_risk_assessment_is_raised_again_after_the_review_is_done(
        maint, make_customer, tasks_of, db):
    expired = make_customer(maintainer=maint, risk_level="C2",
                            risk_assessed_on=date(2025, 6, 1))
    generate_followups(MONDAY)
    tasks_of(expired)[0].status = TaskStatus.DONE
    db.session.flush()

    generate_followups(MONDAY + timedelta(days=1))

    assert [t.due_on for t in tasks_of(expired)] == [MONDAY, MONDAY + timedelta(days=1)]


def test_welcome_once_per_new_customer(maint, make_customer, tasks_of, db):
    new = make_customer(maintainer=maint, onboarded_on=MONDAY - timedelta(days=2))
    old = make_customer(maintainer=maint, onboarded_on=MONDAY - timedelta(days=8))

    generate_followups(MONDAY)
    tasks_of(new)[0].status = TaskStatus.DONE
    db.session.flush()
    generate_followups(MONDAY + timedelta(days=1))

    (task,) = tasks_of(new)
    assert (task.kind, task.source_ref, task.due_on) == (
        RuleKind.WELCOME, "welcome", MONDAY + timedelta(days=1))
    assert task.note_params == {"date": (MONDAY - timedelta(days=2)).isoformat()}
    assert task.priority == 65
    assert tasks_of(old) == []


def test_closed_customers_get_no_task(maint, make_customer, make_holding, tasks_of, db):
    closed = make_customer(maintainer=maint, status=CustomerStatus.CLOSED, tier="gold",
                           birth_on=date(1980, 12, 1), aum_fen=50_000_00,
                           last_contact_on=date(2025, 1, 1), risk_level="C1",
                           risk_assessed_on=date(2024, 1, 1),
                           onboarded_on=MONDAY - timedelta(days=1))
    make_holding(closed, matures_on=MONDAY + timedelta(days=1))
    _history(db, closed, "mass", "gold", MONDAY)

    result = generate_followups(MONDAY)

    assert tasks_of(closed) == []
    assert result.total == 0


def test_disabled_rules_raise_nothing(maint, make_customer, set_rule, tasks_of):
    set_rule(RuleKind.BIRTHDAY, enabled=False)
    customer = make_customer(maintainer=maint, birth_on=date(1980, 12, 1))

    result = generate_followups(MONDAY)

    assert tasks_of(customer) == []
    assert RuleKind.BIRTHDAY not in result.created


def test_customers_without_a_maintainer_are_counted_not_dropped_silently(
        world, make_customer, tasks_of):
    orphan = make_customer(branch=world["outlet_a"], birth_on=date(1980, 12, 1),
                           aum_fen=20_000_00, last_contact_on=date(2025, 1, 1))
    make_customer(branch=world["outlet_a"], birth_on=date(1970, 12, 2))

    result = generate_followups(MONDAY)

    assert tasks_of(orphan) == []
    assert result.unassigned == 2
    assert result.total == 0


def test_generation_is_idempotent(maint, make_customer, make_holding, tasks_of):
    customer = make_customer(maintainer=maint, tier="gold", birth_on=date(1980, 12, 1),
                             last_contact_on=date(2026, 1, 1), risk_level="C1",
                             risk_assessed_on=date(2025, 12, 15))
    make_holding(customer, matures_on=MONDAY + timedelta(days=3))

    first = generate_followups(MONDAY)
    second = generate_followups(MONDAY)

    assert first.total == 4
    assert second.total == 0
    assert set(second.created.values()) == {0}
    assert len(tasks_of(customer)) == 4
    assert second.as_dict()["total"] == 0


def test_tier_weight_is_added_to_the_base_priority(maint, make_customer, tasks_of):
    weights = {"mass": 0, "gold": 10, "platinum": 20, "diamond": 30, "private": 40}
    customers = {tier: make_customer(maintainer=maint, tier=tier, birth_on=date(1980, 12, 1))
                 for tier in weights}

    generate_followups(MONDAY)

    for tier, customer in customers.items():
        assert tasks_of(customer, RuleKind.BIRTHDAY)[0].priority == 40 + weights[tier]


def test_new_tasks_are_written_on_the_day_levelling_gives_them(maint, make_customer, tasks_of,
                                                               db):
    from app.tasks.levelling import level_workload

    maint.daily_capacity = 1
    customers = [make_customer(maintainer=maint, tier=tier, birth_on=date(1980, 12, 1),
                               last_contact_on=MONDAY)
                 for tier in ("gold", "private", "mass")]

    generate_followups(MONDAY)
    levelled = level_workload(MONDAY)

    days = [tasks_of(customer, RuleKind.BIRTHDAY)[0].scheduled_on for customer in customers]
    assert days == [MONDAY + timedelta(days=1), MONDAY, MONDAY + timedelta(days=2)]
    assert levelled.moved == 0


def test_pending_tasks_pushed_by_new_ones_are_moved_by_levelling(maint, make_customer, tasks_of,
                                                                 db):
    from app.tasks.levelling import level_workload

    maint.daily_capacity = 1
    early = make_customer(maintainer=maint, birth_on=date(1980, 12, 2))
    generate_followups(MONDAY - timedelta(days=1))
    urgent = make_customer(maintainer=maint, tier="private", birth_on=date(1980, 12, 3),
                           last_contact_on=MONDAY)

    generate_followups(MONDAY)
    levelled = level_workload(MONDAY)

    assert tasks_of(urgent)[0].scheduled_on == MONDAY
    assert tasks_of(early)[0].scheduled_on == MONDAY + timedelta(days=1)
    assert levelled.moved == 1


# --- China's working days ------------------------------------------------------------------

@pytest.mark.parametrize("today, matures_on, due_on", [
    # Monday 16 February 2026 is in the Spring Festival holiday: due the make-up Saturday.
    (date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 14)),
    # Sunday 22 February 2026, holiday too: the same Saturday, eight days before.
    (date(2026, 2, 9), date(2026, 2, 22), date(2026, 2, 14)),
    # Tuesday 9 February 2027, in the Spring Festival week head office entered: Thursday 4.
    (date(2027, 1, 27), date(2027, 2, 9), date(2027, 2, 4)),
])
def test_maturity_on_a_holiday_is_due_the_working_day_before(
        maint, make_customer, make_holding, tasks_of, set_rule, today, matures_on, due_on):
    enter_spring_festival_2027()
    set_rule(RuleKind.MATURITY, lead_days=14)
    customer = make_customer(maintainer=maint)
    make_holding(customer, matures_on=matures_on)

    generate_followups(today)

    (task,) = tasks_of(customer, RuleKind.MATURITY)
    assert task.due_on == due_on
    assert task.note_params["date"] == matures_on.isoformat()


def test_new_tasks_are_never_planned_on_a_holiday(maint, make_customer, tasks_of):
    maint.daily_capacity = 1
    friday = date(2026, 2, 13)
    customers = [make_customer(maintainer=maint, tier=tier, birth_on=date(1980, 2, 13),
                               last_contact_on=friday)
                 for tier in ("private", "gold", "mass")]

    generate_followups(friday)

    days = [tasks_of(customer, RuleKind.BIRTHDAY)[0].scheduled_on for customer in customers]
    assert days == [friday, date(2026, 2, 14), date(2026, 2, 24)]
