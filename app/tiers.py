"""Tiers: their rank, their thresholds (DESIGN §2 or head office's), the tier an AUM reaches."""
from dataclasses import asdict, dataclass
from typing import Optional

from sqlalchemy import case, select

from .extensions import db
from .models import Tier, TierThreshold

RANKS = {tier: rank for rank, tier in enumerate(Tier.ALL)}  # mass 0 … private 4


@dataclass(frozen=True)
class Threshold:
    """The AUM (fen) from which a tier applies and its contact interval (days, None = none)."""

    tier: str
    min_aum_fen: int
    contact_interval_days: Optional[int]

    def as_row(self):
        """Return the threshold as a ``tier_threshold`` row dictionary (for bulk inserts)."""
        return asdict(self)


DEFAULT_THRESHOLDS = {
    Tier.MASS: Threshold(Tier.MASS, 0, None),
    Tier.GOLD: Threshold(Tier.GOLD, 50_000_00, 90),
    Tier.PLATINUM: Threshold(Tier.PLATINUM, 500_000_00, 60),
    Tier.DIAMOND: Threshold(Tier.DIAMOND, 2_000_000_00, 30),
    Tier.PRIVATE: Threshold(Tier.PRIVATE, 6_000_000_00, 14),
}


def thresholds():
    """Return the effective thresholds, lowest tier first: stored rows, else the defaults."""
    rows = {row.tier: row for row in db.session.scalars(select(TierThreshold))}
    effective = {}
    for tier in Tier.ALL:
        row = rows.get(tier)
        effective[tier] = (DEFAULT_THRESHOLDS[tier] if row is None else
                           Threshold(tier, row.min_aum_fen, row.contact_interval_days))
    return effective


def tier_rank(tier, unknown=-1):
    """Return the position of ``tier``, 0 for mass up to 4 for private (``unknown`` if none)."""
    return RANKS.get(tier, unknown)


def rank_case(column):
    """Return a SQL expression: the rank of the tier in ``column`` (0 when unknown)."""
    return case(RANKS, value=column, else_=0)


def tier_for(aum_fen, limits):
    """Return the highest tier whose threshold ``aum_fen`` reaches (mass when none does)."""
    reached = [tier for tier, threshold in limits.items() if threshold.min_aum_fen <= aum_fen]
    return max(reached, key=tier_rank, default=Tier.MASS)
