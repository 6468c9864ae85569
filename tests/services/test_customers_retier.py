"""retier_customers: upgrades at once, downgrades only under 90 %, history kept, tasks raised."""
from datetime import date

import pytest
from sqlalchemy import select

from app.tasks.followups import generate_followups
from app.customers.retier import retier_customers
from app.models import CustomerStatus, RuleKind, Task, TierHistory, TierThreshold

TODAY = date(2026, 11, 30)


@pytest.fixture
def maint(world):
    return world["maint_a"]


def _history(db, customer):
    return list(db.session.scalars(select(TierHistory).where(
        TierHistory.customer_id == customer.id).order_by(TierHistory.id)))


def _tier(db, customer):
    db.session.expire_all()
    return db.session.get(type(customer), customer.id).tier


def test_upgrade_happens_at_once_and_is_kept_in_history(db, maint, make_customer):
    customer = make_customer(maintainer=maint, tier="mass", aum_fen=60_000_00)

    result = retier_customers(TODAY)

    assert _tier(db, customer) == "gold"
    (row,) = _history(db, customer)
    assert (row.from_tier, row.to_tier, row.aum_fen, row.changed_on, row.reason) == (
        "mass", "gold", 60_000_00, TODAY, "retier")
    assert (result.upgraded, result.downgraded, result.total) == (1, 0, 1)


def test_upgrade_goes_straight_to_the_tier_the_aum_reaches(db, maint, make_customer):
    customer = make_customer(maintainer=maint, tier="gold", aum_fen=2_500_000_00)

    retier_customers(TODAY)

    assert _tier(db, customer) == "diamond"


@pytest.mark.parametrize("aum_yuan, tier", [
    (46_000, "gold"),     # 92 % of the gold threshold: stays
    (45_000, "gold"),     # exactly 90 %: stays
    (44_999, "mass"),     # below 90 %: down
])
def test_downgrade_only_below_90_percent_of_the_threshold(db, maint, make_customer, aum_yuan,
                                                          tier):
    customer = make_customer(maintainer=maint, tier="gold", aum_fen=aum_yuan * 100)

    retier_customers(TODAY)

    assert _tier(db, customer) == tier
    assert len(_history(db, customer)) == (0 if tier == "gold" else 1)


def test_downgrade_goes_to_the_tier_the_aum_reaches(db, maint, make_customer):
    customer = make_customer(maintainer=maint, tier="diamond", aum_fen=100_000_00)

    result = retier_customers(TODAY)

    assert _tier(db, customer) == "gold"
    assert (result.upgraded, result.downgraded) == (0, 1)
    assert _history(db, customer)[0].from_tier == "diamond"


def test_thresholds_set_by_head_office_apply(db, maint, make_customer):
    db.session.merge(TierThreshold(tier="gold", min_aum_fen=30_000_00, contact_interval_days=90))
    db.session.flush()
    customer = make_customer(maintainer=maint, tier="mass", aum_fen=35_000_00)

    retier_customers(TODAY)

    assert _tier(db, customer) == "gold"


def test_closed_and_settled_customers_are_left_alone(db, maint, make_customer):
    closed = make_customer(maintainer=maint, status=CustomerStatus.CLOSED, tier="gold",
                           aum_fen=0)
    settled = make_customer(maintainer=maint, tier="platinum", aum_fen=700_000_00)

    result = retier_customers(TODAY)

    assert (_tier(db, closed), _tier(db, settled)) == ("gold", "platinum")
    assert result.total == 0


def test_a_second_run_changes_nothing(db, maint, make_customer):
    make_customer(maintainer=maint, tier="mass", aum_fen=600_000_00)

    first = retier_customers(TODAY)
    second = retier_customers(TODAY)

    assert (first.total, second.total) == (1, 0)
    assert second.as_dict() == {"day": "2026-11-30", "upgraded": 0, "downgraded": 0,
                                "total": 0}


def test_retiering_then_generation_raises_a_tier_change_task(db, maint, make_customer):
    customer = make_customer(maintainer=maint, tier="mass", aum_fen=600_000_00)

    retier_customers(TODAY)
    generate_followups(TODAY)

    (task,) = db.session.scalars(select(Task).where(Task.customer_id == customer.id,
                                                    Task.kind == RuleKind.TIER_CHANGE))
    assert task.note_params == {"from_tier": "mass", "to_tier": "platinum",
                                "direction": "upgrade"}
    assert task.priority == 60 + 20
