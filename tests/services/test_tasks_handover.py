"""Portfolio handover: the fair plan, its token, set-based moves, refusals, audit."""
from collections import Counter, namedtuple
from datetime import date

import pytest
from sqlalchemy import event, func, select

from app.errors import NotAllowed, NotFound
from app.extensions import db as _db
from app.models import AuditEvent, Customer, Role, Task, TaskStatus
from app.tasks.services import handover

from ..task_book import add_task

TODAY = date(2026, 12, 2)
Receiver = namedtuple("Receiver", "id display_name")


pytestmark = pytest.mark.usefixtures("request_context")


@pytest.fixture
def book(world, make_customer):
    """maint_a's book: 2 private, 3 gold, 4 mass; maint_a2 already has one customer."""
    giver = world["maint_a"]
    customers = [make_customer(maintainer=giver, tier=tier)
                 for tier in ["private"] * 2 + ["gold"] * 3 + ["mass"] * 4]
    make_customer(maintainer=world["maint_a2"])
    _db.session.commit()
    return customers


def receivers(world, make_staff):
    second = make_staff(Role.MAINTAINER, world["outlet_a"], display_name="Zed")
    _db.session.commit()
    return [world["maint_a2"], second]


def test_deal_shares_each_tier_round_robin_starting_with_the_lightest_book():
    heavy, light = Receiver(1, "Heavy"), Receiver(2, "Light")
    customers = [(10, "private"), (11, "private"), (12, "private"), (20, "gold"), (21, "gold"),
                 (30, "mass")]
    plan = handover.deal(customers, [heavy, light], {1: 5, 2: 0})
    assert [plan[i] for i in (10, 11, 12)] == [2, 1, 2]  # the lighter book starts
    assert sorted(plan[i] for i in (20, 21)) == [1, 2]
    assert plan[30] == 2


def test_deal_gives_everyone_a_fair_share_of_every_tier():
    team = [Receiver(n, f"R{n}") for n in range(1, 4)]
    tiers = ["private"] * 7 + ["gold"] * 11 + ["mass"] * 20
    customers = list(enumerate(tiers))
    plan = handover.deal(customers, team, {1: 0, 2: 0, 3: 0})
    for tier in ("private", "gold", "mass"):
        shares = Counter(plan[n] for n, t in customers if t == tier)
        assert max(shares.values()) - min(shares.values()) <= 1


def test_plan_counts_customers_by_tier_and_tasks_per_receiver(world, book, make_staff):
    to = receivers(world, make_staff)
    add_task(book[0], TODAY)
    add_task(book[0], TODAY, kind="maturity")
    add_task(book[5], TODAY, status=TaskStatus.DONE)  # done tasks stay where they are
    plan = handover.plan_handover(world["supervisor_a"], world["maint_a"].id,
                                  [r.id for r in to])
    assert plan.customers == 9 and plan.tasks == 2
    assert plan.by_tier["private"] == 2 and plan.by_tier["mass"] == 4
    shares = {s.receiver.id: s for s in plan.shares}
    assert shares[to[0].id].current_customers == 1 and shares[to[1].id].current_customers == 0
    assert shares[to[1].id].by_tier["private"] == 1 and shares[to[0].id].by_tier["private"] == 1
    assert sum(s.tasks for s in plan.shares) == 2
    assert sorted(s.customers for s in plan.shares) == [4, 5]
    again = handover.plan_handover(world["supervisor_a"], world["maint_a"].id,
                                   [r.id for r in to])
    assert again.token == plan.token


def test_hand_over_moves_customers_and_open_tasks_with_audit(world, book, make_staff):
    to = receivers(world, make_staff)
    open_task = add_task(book[0], TODAY)
    snoozed = add_task(book[1], TODAY, status=TaskStatus.SNOOZED, snoozed_until=TODAY)
    done = add_task(book[2], TODAY, status=TaskStatus.DONE)
    plan = handover.plan_handover(world["supervisor_a"], world["maint_a"].id,
                                  [r.id for r in to])
    handover.hand_over(world["supervisor_a"], world["maint_a"].id, [r.id for r in to],
                       plan.token)
    _db.session.expire_all()
    receiver_ids = {r.id for r in to}
    assert {c.maintainer_id for c in book} == receiver_ids
    for task in (open_task, snoozed):
        assert task.maintainer_id == _db.session.get(Customer, task.customer_id).maintainer_id
        assert task.version == 2
    assert done.maintainer_id == world["maint_a"].id and done.version == 1
    summary = _db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "portfolio.handed_over",
        AuditEvent.object_id == str(world["maint_a"].id)))
    assert summary.detail["customers"] == 9 and summary.detail["tasks"] == 2
    moved = _db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "customer.reassigned",
        AuditEvent.object_id.in_([str(c.id) for c in book])))
    assert moved == 9


def test_changed_plan_is_refused_and_nothing_moves(world, book, make_staff, make_customer):
    to = receivers(world, make_staff)
    plan = handover.plan_handover(world["supervisor_a"], world["maint_a"].id,
                                  [r.id for r in to])
    make_customer(maintainer=world["maint_a"], tier="diamond")
    _db.session.commit()
    with pytest.raises(handover.PlanChanged) as changed:
        handover.hand_over(world["supervisor_a"], world["maint_a"].id, [r.id for r in to],
                           plan.token)
    assert changed.value.plan.customers == 10
    _db.session.expire_all()
    assert {c.maintainer_id for c in book} == {world["maint_a"].id}


def test_a_new_open_task_also_changes_the_plan(world, book, make_staff):
    to = receivers(world, make_staff)
    plan = handover.plan_handover(world["supervisor_a"], world["maint_a"].id,
                                  [r.id for r in to])
    add_task(book[3], TODAY)
    with pytest.raises(handover.PlanChanged):
        handover.hand_over(world["supervisor_a"], world["maint_a"].id, [r.id for r in to],
                           plan.token)


def statements_of(work):
    seen = []

    def note(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE"):
            seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", note)
    try:
        work()
    finally:
        event.remove(_db.engine, "before_cursor_execute", note)
    return seen


def test_hand_over_uses_set_based_updates(world, book, make_staff, make_customer):
    to = receivers(world, make_staff)
    for _ in range(20):
        add_task(make_customer(maintainer=world["maint_a"]), TODAY)
    plan = handover.plan_handover(world["supervisor_a"], world["maint_a"].id,
                                  [r.id for r in to])
    updates = statements_of(lambda: handover.hand_over(
        world["supervisor_a"], world["maint_a"].id, [r.id for r in to], plan.token))
    assert len(updates) == 4  # customers and tasks, per receiver


@pytest.mark.parametrize("to_keys, message", [
    (["maint_a"], "themselves"),
    (["maint_b"], "active maintainer"),
    (["supervisor_a"], "active maintainer"),
    ([], "at least one"),
])
def test_handover_refusals(world, book, to_keys, message):
    with pytest.raises(handover.HandoverRefused) as refused:
        handover.plan_handover(world["supervisor_a"], world["maint_a"].id,
                               [world[k].id for k in to_keys])
    assert message in refused.value.message


def test_handover_to_an_inactive_maintainer_is_refused(world, book, make_staff):
    gone = make_staff(Role.MAINTAINER, world["outlet_a"], active=False)
    _db.session.commit()
    with pytest.raises(handover.HandoverRefused):
        handover.plan_handover(world["supervisor_a"], world["maint_a"].id, [gone.id])


def test_nothing_to_hand_over_is_refused(world):
    with pytest.raises(handover.HandoverRefused) as refused:
        handover.plan_handover(world["supervisor_a"], world["maint_a2"].id,
                               [world["maint_a"].id])
    assert "no customers" in refused.value.message


def test_giver_outside_scope_is_not_found(world, book):
    with pytest.raises(NotFound):
        handover.plan_handover(world["supervisor_b"], world["maint_a"].id,
                               [world["maint_b"].id])


def test_maintainers_cannot_hand_over(world, book):
    with pytest.raises(NotAllowed):
        handover.plan_handover(world["maint_a"], world["maint_a"].id, [world["maint_a2"].id])


def test_an_inactive_giver_can_hand_over(world, book):
    world["maint_a"].active = False
    _db.session.commit()
    plan = handover.plan_handover(world["admin"], world["maint_a"].id, [world["maint_a2"].id])
    handover.hand_over(world["admin"], world["maint_a"].id, [world["maint_a2"].id], plan.token)
    assert _db.session.scalar(select(func.count()).select_from(Customer).where(
        Customer.maintainer_id == world["maint_a"].id)) == 0
    assert _db.session.scalar(select(func.count()).select_from(Task).where(
        Task.maintainer_id == world["maint_a"].id)) == 0
