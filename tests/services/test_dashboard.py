"""The home page summary: the book by tier in scope, the coming birthdays and maturities."""
from datetime import date

from app.dashboard.services import UPCOMING_LIMIT, home_summary

TODAY = date(2026, 12, 29)


def test_tier_counts_cover_only_the_actors_scope(world, make_customer):
    make_customer(maintainer=world["maint_a"], tier="gold")
    make_customer(maintainer=world["maint_a2"], tier="gold")
    make_customer(maintainer=world["maint_a2"], tier="mass")
    make_customer(maintainer=world["maint_b"], tier="private")

    supervisor = home_summary(world["supervisor_a"], TODAY).customers_by_tier
    maintainer = home_summary(world["maint_a"], TODAY).customers_by_tier

    assert (supervisor["gold"], supervisor["mass"], supervisor["private"]) == (2, 1, 0)
    assert (maintainer["gold"], maintainer["mass"]) == (1, 0)


def test_trainers_get_no_customer_figures(world, make_customer):
    make_customer(maintainer=world["maint_a"])
    summary = home_summary(world["trainer_a"], TODAY)
    assert summary.customers_by_tier == {} and summary.birthdays == []
    assert summary.team


def test_birthdays_come_soonest_first_across_the_year_end(world, make_customer):
    later = make_customer(maintainer=world["maint_a"], birth_on=date(1980, 1, 2))
    sooner = make_customer(maintainer=world["maint_a"], birth_on=date(1975, 12, 30))
    make_customer(maintainer=world["maint_a"], birth_on=date(1990, 1, 20))  # too far
    closed = make_customer(maintainer=world["maint_a"], birth_on=date(1970, 12, 31),
                           status="closed")

    birthdays = home_summary(world["maint_a"], TODAY).birthdays

    assert [c.id for c in birthdays] == [sooner.id, later.id]
    assert closed not in birthdays


def test_birthdays_are_limited(world, make_customer):
    for _ in range(UPCOMING_LIMIT + 3):
        make_customer(maintainer=world["maint_a"], birth_on=date(1986, 12, 30))
    assert len(home_summary(world["maint_a"], TODAY).birthdays) == UPCOMING_LIMIT
