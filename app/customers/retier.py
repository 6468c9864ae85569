"""Nightly re-tiering: recompute every open customer's tier from AUM, set-based.

The target tier is the highest whose threshold the AUM reaches. An upgrade applies at once;
a downgrade only once the AUM has fallen below 90 % of the current tier's threshold (so a
customer hovering around a threshold does not flip-flop), and then to the tier the AUM
reaches. Each change is kept in ``tier_history`` (reason ``retier``), written by one
INSERT … SELECT before the one UPDATE of ``customer.tier``; ``generate_followups`` turns
those history rows into ``tier_change`` tasks, so re-tiering runs first.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, and_, case, func, insert, literal, select, update

from ..extensions import db
from ..models import Customer, CustomerStatus, Tier, TierHistory
from ..tiers import RANKS, rank_case, thresholds, tier_rank
from ..sql import date_value, text_value

RETIER_REASON = "retier"
DOWNGRADE_BUFFER_PERCENT = 90


@dataclass
class RetierResult:
    """How many customers re-tiering moved up and down on a day."""

    day: date
    upgraded: int = 0
    downgraded: int = 0

    @property
    def total(self):
        """Return the number of customers whose tier changed."""
        return self.upgraded + self.downgraded

    def as_dict(self):
        """Return the result as plain JSON-ready values."""
        return {"day": self.day.isoformat(), "upgraded": self.upgraded,
                "downgraded": self.downgraded, "total": self.total}


def new_tier_expression(effective):
    """Return a SQL expression: the tier each customer should have, given the thresholds."""
    floors = {tier: effective[tier].min_aum_fen for tier in Tier.ALL}
    reached = case(*((Customer.aum_fen >= floors[tier], text_value(tier))
                     for tier in reversed(Tier.ALL[1:])), else_=text_value(Tier.MASS))
    reached_rank = case(*((Customer.aum_fen >= floors[tier], literal(RANKS[tier]))
                          for tier in reversed(Tier.ALL[1:])), else_=literal(0))
    current_rank = rank_case(Customer.tier)
    current_floor = case({tier: literal(floor, BigInteger) for tier, floor in floors.items()},
                         value=Customer.tier, else_=literal(0, BigInteger))
    below_buffer = (Customer.aum_fen * 100
                    < current_floor * literal(DOWNGRADE_BUFFER_PERCENT, BigInteger))
    return case((reached_rank > current_rank, reached),
                (and_(reached_rank < current_rank, below_buffer), reached),
                else_=Customer.tier)


def retier_customers(today):
    """Re-tier every customer who is not closed; return a ``RetierResult``.

    Runs in the caller's transaction (the caller commits). Running the same day again
    changes nothing.
    """
    new_tier = new_tier_expression(thresholds())
    changing = and_(Customer.status != CustomerStatus.CLOSED, new_tier != Customer.tier)
    before = db.session.scalar(select(func.coalesce(func.max(TierHistory.id), 0)))
    db.session.execute(insert(TierHistory.__table__).from_select(
        ["customer_id", "from_tier", "to_tier", "aum_fen", "changed_on", "reason"],
        select(Customer.id, Customer.tier, new_tier, Customer.aum_fen, date_value(today),
               text_value(RETIER_REASON)).where(changing)))
    db.session.execute(update(Customer.__table__).where(changing).values(tier=new_tier))
    result = RetierResult(today)
    for from_tier, to_tier, count in db.session.execute(
            select(TierHistory.from_tier, TierHistory.to_tier, func.count())
            .where(TierHistory.id > before)
            .group_by(TierHistory.from_tier, TierHistory.to_tier)):
        if tier_rank(to_tier, 0) > tier_rank(from_tier, 0):
            result.upgraded += count
        else:
            result.downgraded += count
    return result
