"""How many personal-data reveals each staff member made (and was refused) per bank day."""
from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class RevealCount(db.Model):
    """The reveal watch's counter: one row per staff member and bank day.

    Incremented by a conditional UPDATE (``revealed < limit``), so two reveals at once
    cannot both take the last one left.
    """

    __tablename__ = "reveal_count"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                          primary_key=True)
    day_on: Mapped[date] = mapped_column(primary_key=True)
    revealed: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
