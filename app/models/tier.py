"""Customer tiers: AUM thresholds, the history of changes, value-added services."""
from datetime import date
from typing import Optional

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Tier:
    """Tier codes, lowest first."""

    MASS = "mass"
    GOLD = "gold"
    PLATINUM = "platinum"
    DIAMOND = "diamond"
    PRIVATE = "private"
    ALL = (MASS, GOLD, PLATINUM, DIAMOND, PRIVATE)


class TierThreshold(db.Model):
    """The AUM from which a tier applies, and how often its customers must be contacted."""

    __tablename__ = "tier_threshold"

    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
    min_aum_fen: Mapped[int] = mapped_column(BigInteger)
    contact_interval_days: Mapped[Optional[int]]


class TierHistory(db.Model):
    """One change of a customer's tier."""

    __tablename__ = "tier_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"),
                                             index=True)
    from_tier: Mapped[Optional[str]] = mapped_column(String(16))
    to_tier: Mapped[str] = mapped_column(String(16))
    aum_fen: Mapped[int] = mapped_column(BigInteger)
    changed_on: Mapped[date] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(String(32))


class ValueAddedService(db.Model):
    """A benefit offered to one tier with a yearly allowance per customer."""

    __tablename__ = "value_added_service"
    __table_args__ = (UniqueConstraint("tier", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tier: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    yearly_allowance: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
