"""The record of each day a daily job has done: how catch-up and double starts stay safe."""
from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class JobRun(db.Model):
    """One daily job done for one day; unique on (job, run_on)."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "run_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    run_on: Mapped[date]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[Optional[datetime]]
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
