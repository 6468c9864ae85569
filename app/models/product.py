"""The financial product supermarket."""
from datetime import date
from typing import Optional

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class ProductCategory:
    """The product categories offered by the bank."""

    DEPOSIT = "deposit"
    WEALTH = "wealth"
    FUND = "fund"
    INSURANCE = "insurance"
    PRECIOUS_METAL = "precious_metal"
    LOAN = "loan"
    CARD = "card"
    ALL = (DEPOSIT, WEALTH, FUND, INSURANCE, PRECIOUS_METAL, LOAN, CARD)


RISK_LEVELS = ("R1", "R2", "R3", "R4", "R5")


class Product(db.Model):
    """A product the branch sells, with its risk level and on-sale window."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(16))
    risk_level: Mapped[str] = mapped_column(String(2))
    min_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    term_days: Mapped[Optional[int]]
    indicative_yield_bp: Mapped[Optional[int]]
    on_sale_from: Mapped[date]
    on_sale_until: Mapped[Optional[date]]

    tiers: Mapped[list["ProductTier"]] = relationship(cascade="all, delete-orphan")


class ProductTier(db.Model):
    """A tier a product is offered to."""

    __tablename__ = "product_tier"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"),
                                            primary_key=True)
    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
