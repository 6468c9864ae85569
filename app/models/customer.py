"""Personal customers and the products they hold."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..encryption import keyring
from ..extensions import db
from .branch import Branch
from .product import Product
from .staff import Staff


class CustomerStatus:
    """Lifecycle of a customer relationship."""

    ACTIVE = "active"
    DORMANT = "dormant"
    CLOSED = "closed"
    ALL = (ACTIVE, DORMANT, CLOSED)


CUSTOMER_RISK_LEVELS = ("C1", "C2", "C3", "C4", "C5")


class Customer(db.Model):
    """A personal customer of the bank, looked after by one maintainer."""

    __tablename__ = "customer"
    __table_args__ = (
        Index("ix_customer_branch_id_id", "branch_id", "id"),
        Index("ix_customer_maintainer_id_id", "maintainer_id", "id"),
        Index("ix_customer_tier_id", "tier", "id"),
        Index("ix_customer_branch_id_tier", "branch_id", "tier"),  # tier counts by branch
        # The team view's book and coverage per maintainer, read from the index alone.
        Index("ix_customer_maintainer_status_contact", "maintainer_id", "status",
              "last_contact_on", "branch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_on: Mapped[date]
    birth_mmdd: Mapped[str] = mapped_column(String(5), index=True)
    # The resident ID number, AES-GCM encrypted (see app.encryption), and its keyed hash,
    # which finds a customer by the full number and keeps numbers unique.
    id_number_enc: Mapped[str] = mapped_column(String(96))
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    mobile: Mapped[str] = mapped_column(String(11))
    mobile_last4: Mapped[str] = mapped_column(String(4), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))
    maintainer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    tier: Mapped[str] = mapped_column(String(16), default="mass")
    aum_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    risk_level: Mapped[Optional[str]] = mapped_column(String(2))
    risk_assessed_on: Mapped[Optional[date]]
    onboarded_on: Mapped[date] = mapped_column(index=True)
    last_contact_on: Mapped[Optional[date]]
    status: Mapped[str] = mapped_column(String(16), default=CustomerStatus.ACTIVE)
    marketing_consent: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    branch: Mapped[Branch] = relationship()
    maintainer: Mapped[Optional[Staff]] = relationship()
    holdings: Mapped[list["Holding"]] = relationship(
        back_populates="customer", order_by="Holding.matures_on")

    @property
    def id_number(self):
        """Return the clear resident ID number (decrypted; mask it before showing it)."""
        return keyring().decrypt(self.id_number_enc)

    @id_number.setter
    def id_number(self, value):
        self.id_number_enc, self.id_number_hash = keyring().sealed(value)

    @property
    def risk_assessment_expires_on(self):
        """Return the day the risk assessment stops being valid (one year on), if any."""
        assessed = self.risk_assessed_on
        if assessed is None:
            return None
        try:
            return assessed.replace(year=assessed.year + 1)
        except ValueError:  # assessed on 29 February
            return date(assessed.year + 1, 3, 1)

    def risk_assessment_valid_on(self, today):
        """Tell whether the risk assessment is still valid (one year) on ``today``."""
        if not self.risk_level or not self.risk_assessed_on:
            return False
        return today < self.risk_assessment_expires_on

    def __repr__(self):
        return f"<Customer {self.customer_number}>"


class Holding(db.Model):
    """An amount of one product held by a customer, identified by its core-banking reference."""

    __tablename__ = "holding"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"),
                                             index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    opened_on: Mapped[date]
    matures_on: Mapped[Optional[date]] = mapped_column(index=True)

    customer: Mapped[Customer] = relationship(back_populates="holdings")
    product: Mapped[Product] = relationship()
