"""Training: courses in the five dimensions, sessions, attendance, assessments, certifications."""
from datetime import date, datetime, time
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .branch import Branch
from .staff import Staff


class Dimension:
    """The five dimensions of a maintainer's professional level (DESIGN §2)."""

    PRODUCT = "product"
    COMPLIANCE = "compliance"
    SALES = "sales"
    SERVICE = "service"
    DIGITAL = "digital"
    ALL = (PRODUCT, COMPLIANCE, SALES, SERVICE, DIGITAL)


class CourseMode:
    """How a course is taught."""

    CLASSROOM = "classroom"
    ONLINE = "online"
    ON_THE_JOB = "on_the_job"
    ALL = (CLASSROOM, ONLINE, ON_THE_JOB)


class SessionStatus:
    """Where a training session stands."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"
    ALL = (PLANNED, HELD, CANCELLED)


class AttendanceStatus:
    """One person's place in a session: enrolled, then marked at the roll call."""

    ENROLLED = "enrolled"
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    ALL = (ENROLLED, PRESENT, ABSENT, EXCUSED)
    MARKS = (PRESENT, ABSENT, EXCUSED)


DEFAULT_TARGET_SCORE = 70


class Course(db.Model):
    """A course of one dimension; mandatory courses name the roles and how often."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    dimension: Mapped[str] = mapped_column(String(16), index=True)
    hours: Mapped[int] = mapped_column(default=2)
    mode: Mapped[str] = mapped_column(String(16), default=CourseMode.CLASSROOM)
    pass_mark: Mapped[int] = mapped_column(default=60)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    mandatory_roles: Mapped[str] = mapped_column(String(64), default="")
    refresh_months: Mapped[Optional[int]]

    @property
    def mandatory_for(self):
        """Return the roles for which the course is mandatory, as a tuple."""
        return tuple(role for role in (self.mandatory_roles or "").split(",") if role)


class TrainingSession(db.Model):
    """One sitting of a course: a day, local start and end times, a place and a trainer."""

    __tablename__ = "training_session"
    __table_args__ = (Index("ix_training_session_branch_id_held_on", "branch_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time]
    end_time: Mapped[time]
    place: Mapped[str] = mapped_column(String(120))
    trainer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    capacity: Mapped[int] = mapped_column(default=30)
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.PLANNED)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"))

    course: Mapped[Course] = relationship()
    trainer: Mapped[Optional[Staff]] = relationship()
    branch: Mapped[Branch] = relationship()


class Attendance(db.Model):
    """One staff member in one session; one row per session and person."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "staff_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=AttendanceStatus.ENROLLED)
    marked_at: Mapped[Optional[datetime]]

    staff: Mapped[Staff] = relationship()
    session: Mapped[TrainingSession] = relationship()


class Assessment(db.Model):
    """A score of 0–100 in a course, passed against the course's pass mark at the time."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("session_id", "staff_id"),
                      Index("ix_assessment_staff_id_assessed_on", "staff_id", "assessed_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("training_session.id"))
    score: Mapped[int]
    pass_mark: Mapped[int]
    passed: Mapped[bool]
    assessed_on: Mapped[date]
    assessor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()
    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])


class CertificationType(db.Model):
    """A professional certification and the product categories it permits selling."""

    __tablename__ = "certification_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    validity_months: Mapped[int] = mapped_column(default=36)
    categories: Mapped[str] = mapped_column(String(120), default="")


class StaffCertification(db.Model):
    """A certification held by a staff member, valid until ``expires_on``."""

    __tablename__ = "staff_certification"
    __table_args__ = (UniqueConstraint("staff_id", "type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    type_id: Mapped[int] = mapped_column(ForeignKey("certification_type.id"))
    number: Mapped[str] = mapped_column(String(40))
    obtained_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)

    staff: Mapped[Staff] = relationship()
    type: Mapped[CertificationType] = relationship()


class CertificationReminder(db.Model):
    """A reminder sent for one certification, stage and expiry: its unique key sends it once."""

    __tablename__ = "certification_reminder"
    __table_args__ = (UniqueConstraint("certification_id", "stage", "expires_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("staff_certification.id",
                                                             ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(8))
    expires_on: Mapped[date]
    sent_on: Mapped[date]


class TrainingTarget(db.Model):
    """The score head office expects in one dimension (default 70 when no row)."""

    __tablename__ = "training_target"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    score: Mapped[int] = mapped_column(default=DEFAULT_TARGET_SCORE)
