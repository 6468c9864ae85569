"""Branches form a tree: head office, branches, outlets."""
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class BranchKind:
    """The three levels of the branch tree."""

    HEAD_OFFICE = "head_office"
    BRANCH = "branch"
    OUTLET = "outlet"
    ALL = (HEAD_OFFICE, BRANCH, OUTLET)


class Branch(db.Model):
    """A head office, branch or outlet (sub-branch)."""

    __tablename__ = "branch"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("branch.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Optional["Branch"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Branch"]] = relationship(back_populates="parent")

    def __repr__(self):
        return f"<Branch {self.code}>"
