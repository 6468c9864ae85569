"""Head office's corrections to China's working-day calendar: holidays and make-up working days."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db


class DayKind:
    """What a calendar day is: a holiday (branches closed) or a working day (make-up day)."""

    HOLIDAY = "holiday"
    WORKING_DAY = "working_day"
    ALL = (HOLIDAY, WORKING_DAY)


class CalendarDay(db.Model):
    """One day whose status head office sets, overriding the official calendar package.

    Used for years the package does not cover yet and for local holidays; one row per day.
    """

    __tablename__ = "calendar_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(String(200), default="")
    changed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    changed_by: Mapped[Optional["Staff"]] = relationship()  # noqa: F821

    @property
    def is_working_day(self):
        """Tell whether this row makes its day a working day."""
        return self.kind == DayKind.WORKING_DAY
