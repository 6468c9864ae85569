"""The reveal watch: a daily reveal limit per staff member, the supervisor told, all audited."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app import clock
from app.customers import reveal_watch, services
from app.extensions import db as _db
from app.models import (AuditEvent, Branch, BranchKind, Customer, Notification, RevealCount,
                        Role, Staff)
from app.notifications.texts import REVEAL_LIMIT_REACHED

from ..customer_book import person
from ..own_database import app_on_own_database, run_together

DAY = date(2026, 12, 1)
REASON = "Counter identity check"


@pytest.fixture
def customer(world, make_customer):
    return make_customer(**person(maintainer=world["maint_a"]))


@pytest.fixture
def limit_3(world):
    reveal_watch.save_reveal_limit(world["admin"], 3)


def reveal(actor, customer, day=DAY, field="id_number"):
    return services.reveal_personal_data(actor, customer.id, field, REASON, today=day)


def events(db, action, actor):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.actor_id == actor.id).order_by(AuditEvent.id)))


def notifications(db, staff):
    return list(db.session.scalars(select(Notification).where(
        Notification.staff_id == staff.id, Notification.kind == REVEAL_LIMIT_REACHED)))


def test_the_default_limit_is_20(db):
    assert reveal_watch.reveal_limit() == reveal_watch.DEFAULT_REVEAL_LIMIT == 20


def test_reveals_up_to_the_limit_pass_and_the_next_is_refused(db, world, customer, limit_3):
    maint = world["maint_a"]
    for field in ("id_number", "mobile", "id_number"):
        assert reveal(maint, customer, field=field)[1] is not None
    with pytest.raises(services.RevealLimitReached) as refused:
        reveal(maint, customer)
    assert "3 times today, the daily limit" in str(refused.value.message)
    assert refused.value.customer.id == customer.id
    assert len(events(db, "customer.revealed", maint)) == 3
    [event] = events(db, "customer.reveal_refused", maint)
    assert event.detail == {"field": "id_number", "limit": 3, "day_on": DAY.isoformat()}
    assert event.object_id == str(customer.id)


def test_the_stop_lasts_for_the_rest_of_the_day_only(db, world, customer, limit_3):
    maint = world["maint_a"]
    for _ in range(3):
        reveal(maint, customer)
    for _ in range(2):
        with pytest.raises(services.RevealLimitReached):
            reveal(maint, customer)
    assert reveal(maint, customer, day=DAY + timedelta(days=1))[1] == customer.id_number
    assert reveal(world["supervisor_a"], customer, day=DAY)  # another person: own count


def test_the_day_is_the_bank_day_not_the_utc_day(db, world, customer, limit_3, monkeypatch):
    """16:30 UTC on 1 December is 00:30 on 2 December in Shanghai: a new bank day."""
    instant = datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz)

    monkeypatch.setattr(clock, "datetime", Frozen)
    maint = world["maint_a"]
    for _ in range(3):
        reveal(maint, customer, day=DAY)
    services.reveal_personal_data(maint, customer.id, "mobile", REASON)  # today: bank day
    assert db.session.scalar(select(RevealCount.revealed).where(
        RevealCount.staff_id == maint.id, RevealCount.day_on == date(2026, 12, 2))) == 1


def test_the_first_refusal_notifies_the_supervisor_of_the_branch_above(db, world, customer,
                                                                       limit_3):
    maint = world["maint_a"]  # outlet_a has no supervisor: branch_a's is told
    for _ in range(3):
        reveal(maint, customer)
    for _ in range(2):
        with pytest.raises(services.RevealLimitReached):
            reveal(maint, customer)
    [note] = notifications(db, world["supervisor_a"])
    assert note.params == {"name": maint.display_name, "limit": 3}
    assert note.link == f"/audit/?actor={maint.username}"
    assert notifications(db, world["supervisor_b"]) == []
    [event] = events(db, "reveal_watch.supervisor_notified", maint)  # once, not per refusal
    assert event.detail["recipients"] == [world["supervisor_a"].id]
    assert len(events(db, "customer.reveal_refused", maint)) == 2


def test_a_supervisor_of_the_staff_members_own_branch_comes_first(world, make_staff):
    own = make_staff(Role.SUPERVISOR, world["outlet_a"])
    assert reveal_watch.supervisors_to_notify(world["maint_a"]) == [own.id]


def test_a_supervisor_is_reported_above_and_head_office_admins_last(world, make_staff):
    assert reveal_watch.supervisors_to_notify(world["supervisor_a"]) == [world["admin"].id]
    boss = make_staff(Role.SUPERVISOR, world["head"])
    assert reveal_watch.supervisors_to_notify(world["supervisor_a"]) == [boss.id]
    assert reveal_watch.supervisors_to_notify(boss) == [world["admin"].id]


def test_a_reveal_with_a_bad_reason_does_not_count(db, world, customer, limit_3):
    with pytest.raises(services.RevealRefused):
        services.reveal_personal_data(world["maint_a"], customer.id, "mobile", "no", today=DAY)
    assert db.session.scalar(select(func.count()).select_from(RevealCount).where(
        RevealCount.staff_id == world["maint_a"].id, RevealCount.revealed > 0)) == 0


@pytest.mark.parametrize("value", [0, -1, 1001, "20", 2.5, None, True])
def test_a_bad_limit_is_refused_and_changes_nothing(db, world, value):
    with pytest.raises(reveal_watch.RevealLimitInvalid, match="from 1 to 1000"):
        reveal_watch.save_reveal_limit(world["admin"], value)
    assert reveal_watch.reveal_limit() == 20
    assert events(db, "settings.reveal_limit_changed", world["admin"]) == []


def test_changing_the_limit_is_audited(db, world):
    assert reveal_watch.save_reveal_limit(world["admin"], 5)
    assert not reveal_watch.save_reveal_limit(world["admin"], 5)
    [event] = events(db, "settings.reveal_limit_changed", world["admin"])
    assert event.detail == {"old": 20, "new": 5}


# --- two reveals at once --------------------------------------------------------------------


def _seed_race():
    branch = Branch(code="RACE", name="Race branch", kind=BranchKind.BRANCH)
    staff = [Staff(username=f"race-{n}", display_name=f"Racer {n}", role=Role.MAINTAINER,
                   branch=branch, password_hash="-") for n in range(2)]
    boss = Staff(username="race-boss", display_name="Boss", role=Role.SUPERVISOR, branch=branch,
                 password_hash="-")
    _db.session.add_all([branch, *staff, boss])
    _db.session.flush()
    _db.session.add(Customer(**person(
        customer_number="RACE0001", name="客户", gender="F", mobile="13900000001",
        birth_mmdd="01-01", mobile_last4="0001", branch_id=branch.id,
        maintainer_id=staff[0].id, tier="mass", aum_fen=0, onboarded_on=date(2020, 1, 1))))
    _db.session.commit()
    reveal_watch.save_reveal_limit(None, 1)


def test_two_reveals_at_once_cannot_both_take_the_last_one(tmp_path):
    """Eight threads, one reveal left: exactly one is let through, the rest refused."""
    with app_on_own_database(tmp_path, _seed_race, "reveal") as app:
        with app.app_context():
            actor_id = _db.session.scalar(select(Staff.id).where(Staff.username == "race-0"))
            customer_id = _db.session.scalar(select(Customer.id))

        def work():
            actor = _db.session.get(Staff, actor_id)
            try:
                services.reveal_personal_data(actor, customer_id, "mobile", REASON, today=DAY)
            except services.RevealLimitReached:
                return "refused"
            return "revealed"

        outcomes, errors = run_together(app, 8, work)
        assert errors == []
        assert sorted(outcomes) == ["refused"] * 7 + ["revealed"]
        with app.app_context():
            row = _db.session.get(RevealCount, (actor_id, DAY))
            assert (row.revealed, row.refused) == (1, 7)
            assert _db.session.scalar(select(func.count()).select_from(Notification)) == 1
            assert _db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "reveal_watch.supervisor_notified")) == 1
