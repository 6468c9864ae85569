"""What the customer and holding importers share: the result, the scope, AUM and tiers."""
from collections import namedtuple
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, update

from ...access import visible_branch_ids
from ...clock import today as bank_today
from ...extensions import db
from ...models import Customer, Holding, TierHistory
from ...tiers import thresholds, tier_for, tier_rank


_Known = namedtuple("_Known", "id branch_id")


@dataclass
class ImportResult:
    """What an import did, or would do in a dry run: counts and every problem found."""

    kind: str
    file_name: str
    dry_run: bool
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    tier_upgrades: int = 0
    errors: list = field(default_factory=list)

    @property
    def bad_rows(self):
        """Return how many rows had at least one problem (and were left out)."""
        return len({error.line for error in self.errors})


def recompute_aum(customer_ids):
    """Set each customer's AUM to the sum of their holdings, in one UPDATE."""
    total = (select(func.coalesce(func.sum(Holding.amount_fen), 0))
             .where(Holding.customer_id == Customer.id).scalar_subquery())
    db.session.execute(update(Customer).where(Customer.id.in_(customer_ids))
                       .values(aum_fen=total).execution_options(synchronize_session=False))


def raise_tiers(customer_ids, changed_on, reason="import"):
    """Move customers whose AUM reached a higher tier up to it, with a history row each.

    Downgrades are left to the nightly re-tiering, which waits before lowering a tier.
    Returns the number of customers moved up.
    """
    limits = thresholds()
    rows = db.session.execute(select(Customer.id, Customer.tier, Customer.aum_fen)
                              .where(Customer.id.in_(customer_ids))).all()
    history, changes = [], []
    for customer_id, tier, aum_fen in rows:
        target = tier_for(aum_fen, limits)
        if tier_rank(target) > tier_rank(tier):
            history.append({"customer_id": customer_id, "from_tier": tier, "to_tier": target,
                            "aum_fen": aum_fen, "changed_on": changed_on, "reason": reason})
            changes.append({"id": customer_id, "tier": target})
    if changes:
        db.session.execute(insert(TierHistory.__table__), history)
        db.session.execute(update(Customer), changes)
    return len(changes)


def _by_keys(rows):
    """Group row dictionaries by their set of keys (one bulk UPDATE per group)."""
    groups = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


class _Importer:
    """What both kinds share: the actor's scope, today, duplicate tracking."""

    def __init__(self, actor, dry_run, planned):
        self.dry_run = dry_run
        self.today = bank_today()
        ids = None if actor is None else visible_branch_ids(actor)
        self.scope = None if ids is None else set(ids)
        self.planned = planned
        self.seen = {}

    def in_scope(self, branch_id):
        """Tell whether the actor may import into ``branch_id``."""
        return self.scope is None or branch_id in self.scope

    def once(self, row, column, value):
        """Note a duplicate when ``value`` of ``column`` was already on an earlier line."""
        if value is None:
            return
        first = self.seen.setdefault((column, value), row.line)
        if first != row.line:
            row.error(column, "duplicate_in_file", line=first)
