"""Head-office settings that are one number each, by name (e.g. the daily reveal limit)."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class PortalSetting(db.Model):
    """One named whole-number setting; a missing row means the feature's default."""

    __tablename__ = "portal_setting"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
