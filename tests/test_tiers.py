"""The tier kit: ranks, the tier an AUM reaches."""
from app.models import Tier
from app.tiers import DEFAULT_THRESHOLDS, tier_for, tier_rank


def test_tier_for_returns_the_highest_tier_the_aum_reaches():
    assert tier_for(0, DEFAULT_THRESHOLDS) == Tier.MASS
    assert tier_for(50_000_00 - 1, DEFAULT_THRESHOLDS) == Tier.MASS
    assert tier_for(50_000_00, DEFAULT_THRESHOLDS) == Tier.GOLD
    assert tier_for(6_000_000_00, DEFAULT_THRESHOLDS) == Tier.PRIVATE


def test_tier_rank_orders_mass_to_private_and_puts_unknown_below():
    assert [tier_rank(tier) for tier in Tier.ALL] == [0, 1, 2, 3, 4]
    assert tier_rank("copper") == -1 and tier_rank(None, 0) == 0
