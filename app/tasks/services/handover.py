"""Portfolio handover: move all of one maintainer's customers and open tasks to others.

The plan deals each tier's customers round-robin among the receivers, starting with the
receiver who looks after the fewest customers, so everyone gets a fair share of every tier.
The preview shows the plan and a token (a hash of it); confirming recomputes the plan and
refuses when the token differs, so what is done is exactly what was previewed.
"""
import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ... import access, audit
from ...clock import utcnow
from ...errors import Conflict, Invalid, NotAllowed, NotFound
from ...extensions import db
from ...models import Customer, CustomerStatus, Role, Staff, Task, TaskStatus, Tier
from ...routing import valid_id

CHUNK = 500


class HandoverRefused(Invalid):
    """The handover cannot be done as asked; nothing moved."""


class PlanChanged(Conflict):
    """The portfolio changed since the preview; carries the new plan to preview again."""

    def __init__(self, plan):
        super().__init__(_l("The portfolio changed since the preview (customers or tasks were "
                            "added, moved or completed). Nothing was handed over; check the "
                            "new plan below and confirm again."))
        self.plan = plan


@dataclass
class Share:
    """What one receiver gets: customers by tier and open tasks."""

    receiver: Staff
    current_customers: int
    by_tier: dict = field(default_factory=lambda: dict.fromkeys(Tier.ALL, 0))
    tasks: int = 0
    customer_ids: list = field(default_factory=list)

    @property
    def customers(self):
        """Return how many customers the receiver gets."""
        return sum(self.by_tier.values())

    @property
    def customers_after(self):
        """Return the receiver's book (not closed) after the handover."""
        return self.current_customers + self.customers


@dataclass
class HandoverPlan:
    """Who gives, who receives what, and the token that identifies this exact plan."""

    giver: Staff
    shares: list
    by_tier: dict
    tasks: int
    token: str
    branches: dict = field(default_factory=dict, repr=False)

    @property
    def customers(self):
        """Return how many customers change maintainer."""
        return sum(self.by_tier.values())

    @property
    def receiver_ids(self):
        """Return the receivers' ids in the order of the form."""
        return [share.receiver.id for share in self.shares]


def _giver(actor, from_id):
    if not isinstance(from_id, int):
        raise HandoverRefused(_l("Choose the maintainer whose portfolio is handed over."))
    if not valid_id(from_id):
        raise NotFound()
    giver = access.get_staff(actor, from_id)
    if not giver.has_role(Role.MAINTAINER):
        raise HandoverRefused(_l("Only a maintainer's portfolio can be handed over."))
    return giver


def _receivers(actor, giver, to_ids):
    ids = sorted({i for i in to_ids or () if isinstance(i, int)})
    if not ids:
        raise HandoverRefused(_l("Choose at least one maintainer to hand the portfolio to."))
    if giver.id in ids:
        raise HandoverRefused(_l("%(name)s cannot hand the portfolio over to themselves.",
                                 name=giver.display_name))
    receivers = list(db.session.scalars(
        select(Staff).where(Staff.id.in_([i for i in ids if valid_id(i)]),
                            access.staff_filter(actor),
                            Staff.role == Role.MAINTAINER, Staff.active.is_(True))
        .order_by(Staff.display_name, Staff.id)))
    if len(receivers) != len(ids):
        raise HandoverRefused(_l("Every receiver must be an active maintainer of your "
                                 "branches. Nothing was handed over."))
    return receivers


def _current_books(receivers):
    rows = db.session.execute(
        select(Customer.maintainer_id, func.count())
        .where(Customer.maintainer_id.in_([r.id for r in receivers]),
               Customer.status != CustomerStatus.CLOSED)
        .group_by(Customer.maintainer_id))
    return dict(rows.all())


def deal(customers, receivers, loads):
    """Deal ``customers`` (id, tier) to ``receivers``: round-robin per tier, fewest first.

    ``loads`` maps receiver id to the customers they already look after; it is updated as
    customers are dealt. Returns {customer id: receiver id}.
    """
    by_tier = {tier: [] for tier in reversed(Tier.ALL)}  # the most valuable customers first
    for customer_id, tier in sorted(customers):
        by_tier.setdefault(tier, []).append(customer_id)
    plan = {}
    for tier in by_tier:
        order = sorted(receivers, key=lambda r: (loads[r.id], r.display_name, r.id))
        for n, customer_id in enumerate(by_tier[tier]):
            receiver = order[n % len(order)]
            plan[customer_id] = receiver.id
            loads[receiver.id] += 1
    return plan


def _token(giver, receivers, assignment, task_ids):
    payload = json.dumps([giver.id, [r.id for r in receivers], sorted(assignment.items()),
                          sorted(task_ids)], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def plan_handover(actor, from_id, to_ids, lock=False):
    """Return the plan for handing maintainer ``from_id``'s portfolio to ``to_ids``.

    Supervisors and admins only; the giver must be a maintainer in scope (else 404), the
    receivers active maintainers in scope other than the giver, and there must be customers
    to hand over (else HandoverRefused). ``lock`` locks the giver's customers (PostgreSQL)
    while the handover is carried out.
    """
    if not actor.has_role(*access.MANAGER_ROLES):
        raise NotAllowed()
    giver = _giver(actor, from_id)
    receivers = _receivers(actor, giver, to_ids)
    statement = (select(Customer.id, Customer.tier, Customer.branch_id)
                 .where(Customer.maintainer_id == giver.id, access.customer_filter(actor)))
    if lock:
        statement = statement.with_for_update()
    customers = db.session.execute(statement).all()
    if not customers:
        raise HandoverRefused(_l("%(name)s has no customers to hand over.",
                                 name=giver.display_name))
    tiers = {row.id: row.tier for row in customers}
    loads = {r.id: 0 for r in receivers}
    loads.update(_current_books(receivers))
    shares = {r.id: Share(r, loads[r.id]) for r in receivers}
    assignment = deal([(row.id, row.tier) for row in customers], receivers, loads)
    tasks = db.session.execute(
        select(Task.id, Task.customer_id)
        .where(Task.maintainer_id == giver.id, Task.status.in_(TaskStatus.PENDING),
               Task.customer_id.in_(select(Customer.id).where(
                   Customer.maintainer_id == giver.id, access.customer_filter(actor))))).all()
    for customer_id, receiver_id in assignment.items():
        share = shares[receiver_id]
        share.by_tier[tiers[customer_id]] = share.by_tier.get(tiers[customer_id], 0) + 1
        share.customer_ids.append(customer_id)
    for task in tasks:
        shares[assignment[task.customer_id]].tasks += 1
    by_tier = dict.fromkeys(Tier.ALL, 0)
    for tier in tiers.values():
        by_tier[tier] = by_tier.get(tier, 0) + 1
    return HandoverPlan(giver, list(shares.values()), by_tier, len(tasks),
                        _token(giver, receivers, assignment, [t.id for t in tasks]),
                        {row.id: row.branch_id for row in customers})


def _chunks(ids):
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def hand_over(actor, from_id, to_ids, token):
    """Carry out the previewed handover if its plan is unchanged (else PlanChanged).

    Moves the customers and their open or snoozed tasks with a few set-based UPDATEs (per
    receiver, in chunks), bumps the tasks' versions, writes one ``customer.reassigned``
    event per customer (bulk insert) and one ``portfolio.handed_over`` with the counts.
    """
    plan = plan_handover(actor, from_id, to_ids, lock=True)
    if plan.token != token:
        db.session.rollback()
        raise PlanChanged(plan)
    giver, now = plan.giver, utcnow()
    for share in plan.shares:
        for chunk in _chunks(sorted(share.customer_ids)):
            db.session.execute(
                update(Customer)
                .where(Customer.id.in_(chunk), Customer.maintainer_id == giver.id)
                .values(maintainer_id=share.receiver.id, updated_at=now)
                .execution_options(synchronize_session=False))
            db.session.execute(
                update(Task)
                .where(Task.customer_id.in_(chunk), Task.maintainer_id == giver.id,
                       Task.status.in_(TaskStatus.PENDING))
                .values(maintainer_id=share.receiver.id, version=Task.version + 1)
                .execution_options(synchronize_session=False))
    audit.record_many(actor, "customer.reassigned", "customer", [
        (customer_id, plan.branches[customer_id],
         {"from_maintainer_id": giver.id, "to_maintainer_id": share.receiver.id,
          "handover": True})
        for share in plan.shares for customer_id in share.customer_ids])
    audit.record(actor, "portfolio.handed_over", giver, customers=plan.customers,
                 tasks=plan.tasks, by_tier=plan.by_tier, receivers=[
                     {"maintainer_id": s.receiver.id, "customers": s.customers,
                      "by_tier": s.by_tier, "tasks": s.tasks} for s in plan.shares])
    db.session.commit()
    return plan
