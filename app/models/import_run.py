"""Runs of the core-banking CSV import started from the upload page, with their progress."""
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .staff import Staff


class ImportStatus:
    """Where a run stands: waiting for its start, being processed, finished, or given up."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    ALL = (QUEUED, RUNNING, DONE, FAILED)
    FINISHED = (DONE, FAILED)


STALLED_AFTER = timedelta(hours=1)  # a run still "running" by then was interrupted


class ImportRun(db.Model):
    """One uploaded file being imported: counts, progress and the bad rows found."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ImportStatus.QUEUED)
    dry_run: Mapped[bool] = mapped_column(default=False)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    inserted: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    bad_rows: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    failure: Mapped[Optional[str]] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[Optional[datetime]]
    finished_at: Mapped[Optional[datetime]]

    staff: Mapped[Staff] = relationship()

    @property
    def finished(self):
        """Tell whether the run has ended, well or not."""
        return self.status in ImportStatus.FINISHED

    @property
    def stalled(self):
        """Tell whether the run has been running so long that it must have been interrupted."""
        return (self.status == ImportStatus.RUNNING and self.started_at is not None
                and utcnow() - self.started_at > STALLED_AFTER)

    @property
    def percent(self):
        """Return how far the run has got, 0 to 100."""
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    def __repr__(self):
        return f"<ImportRun {self.id} {self.status}>"
