"""Training sessions: the month calendar, planning, enrolment and the roll call."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...extensions import db
from ...models import (Assessment, Attendance, AttendanceStatus, Branch, Role, SessionStatus,
                       Staff, TrainingSession)
from .catalogue import get_course
from ...errors import FieldInvalid
from .common import require_manager

MAX_CAPACITY = 500
SEARCH_LIMIT = 10


@dataclass
class Month:
    """A calendar month: its first day and the weeks (Monday first) of the grid."""

    first: date

    @property
    def previous(self):
        """Return the first day of the month before."""
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self):
        """Return the first day of the month after."""
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def last(self):
        """Return the last day of the month."""
        return self.next - timedelta(days=1)

    @property
    def weeks(self):
        """Return the grid's weeks, each seven dates from Monday (edges from the next months)."""
        start = self.first - timedelta(days=self.first.weekday())
        end = self.last + timedelta(days=6 - self.last.weekday())
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        return [days[i:i + 7] for i in range(0, len(days), 7)]


def parse_month(text, today):
    """Return the Month named ``YYYY-MM`` in ``text``, or today's month when absent or bad."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return Month(date(year, month, 1))
    except ValueError:
        return Month(today.replace(day=1))


def sessions_by_day(actor, month):
    """Return ``{day: [sessions]}`` of the month's sessions ``actor`` may see."""
    stmt = (select(TrainingSession).options(joinedload(TrainingSession.course))
            .where(access.training_session_filter(actor),
                   TrainingSession.held_on.between(month.first, month.last))
            .order_by(TrainingSession.held_on, TrainingSession.start_time))
    days = {}
    for session in db.session.scalars(stmt):
        days.setdefault(session.held_on, []).append(session)
    return days


def upcoming_sessions(actor, today, limit=8, course_ids=None):
    """Return the planned sessions from ``today`` on that ``actor`` may see."""
    stmt = (select(TrainingSession).options(joinedload(TrainingSession.course))
            .where(access.training_session_filter(actor), TrainingSession.held_on >= today,
                   TrainingSession.status == SessionStatus.PLANNED)
            .order_by(TrainingSession.held_on, TrainingSession.start_time).limit(limit))
    if course_ids is not None:
        stmt = stmt.where(TrainingSession.course_id.in_(course_ids))
    return list(db.session.scalars(stmt))


def session_branches(actor):
    """Return the branches in ``actor``'s subtree that may run a session."""
    return list(db.session.scalars(select(Branch).where(access.branch_filter(actor))
                                   .order_by(Branch.code)))


def plan_session(actor, values, today):
    """Plan a session of a course on a day from today on; audited. Returns the session."""
    require_manager(actor)
    course = get_course(values.get("course_id"))
    if not course.active:
        raise FieldInvalid(_("The course is no longer offered."), "course_id")
    if values["held_on"] < today:
        raise FieldInvalid(_("A new session cannot be planned in the past."), "held_on")
    if values["end_time"] <= values["start_time"]:
        raise FieldInvalid(_("The session must end after it starts."), "end_time")
    if not 1 <= values["capacity"] <= MAX_CAPACITY:
        raise FieldInvalid(_("The capacity lies between 1 and %(max)s.", max=MAX_CAPACITY),
                           "capacity")
    visible = access.visible_branch_ids(actor)
    if visible is not None and values["branch_id"] not in visible:
        raise FieldInvalid(_("Choose a branch within your scope."), "branch_id")
    session = TrainingSession(course_id=course.id, held_on=values["held_on"],
                              start_time=values["start_time"], end_time=values["end_time"],
                              place=values["place"], capacity=values["capacity"],
                              branch_id=values["branch_id"], trainer_id=actor.id)
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "training_session.planned", session, course=course.code,
                 held_on=session.held_on.isoformat())
    db.session.commit()
    return session


def roster(session):
    """Return the session's attendance rows with their staff, by name."""
    return list(db.session.scalars(
        select(Attendance).join(Staff, Attendance.staff_id == Staff.id)
        .options(joinedload(Attendance.staff))
        .where(Attendance.session_id == session.id).order_by(Staff.display_name, Staff.id)))


def scores_of(session):
    """Return ``{staff_id: assessment}`` of the session."""
    return {row.staff_id: row for row in db.session.scalars(
        select(Assessment).where(Assessment.session_id == session.id))}


def _count(session):
    return db.session.scalar(select(func.count()).select_from(Attendance)
                             .where(Attendance.session_id == session.id))


def _add(actor, session, staff, status, action):
    if session.status == SessionStatus.CANCELLED:
        raise FieldInvalid(_("The session is cancelled."))
    if _count(session) >= session.capacity:
        raise FieldInvalid(_("The session is full (%(capacity)s places).",
                             capacity=session.capacity), "staff_id")
    attendance = Attendance(session_id=session.id, staff_id=staff.id, status=status)
    try:
        with db.session.begin_nested():
            db.session.add(attendance)
            db.session.flush()
    except IntegrityError:
        raise FieldInvalid(_("%(name)s is already on the roll of this session.",
                             name=staff.display_name), "staff_id")
    audit.record(actor, action, session, staff_id=staff.id, status=status)
    db.session.commit()
    return attendance


def enrol(actor, session, staff_id, today):
    """Enrol a staff member in a planned session from today on; audited.

    Trainers and head office enrol anyone in their scope; a maintainer may enrol only
    themselves (asking for a place). A past session, a full one, or a second row for the
    same person is refused with a message, and nothing changes.
    """
    if actor.has_role(Role.MAINTAINER):
        if staff_id != actor.id:
            access.refuse(actor, "staff", staff_id)
    else:
        require_manager(actor)
    staff = access.get_staff(actor, staff_id)
    if session.held_on < today or session.status != SessionStatus.PLANNED:
        raise FieldInvalid(_("Enrolment is closed: the session lies in the past."),
                           "staff_id")
    return _add(actor, session, staff, AttendanceStatus.ENROLLED, "attendance.enrolled")


def add_walk_in(actor, session, staff_id, today):
    """Add a walk-in to the roll call of a session held today or before, marked present."""
    require_manager(actor)
    staff = access.get_staff(actor, staff_id)
    if session.held_on > today:
        raise FieldInvalid(_("The roll call opens on the day of the session."), "staff_id")
    attendance = _add(actor, session, staff, AttendanceStatus.PRESENT, "attendance.walk_in")
    _mark_held(session)
    db.session.commit()
    return attendance


def _mark_held(session):
    if session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.HELD


def _check_roll_call(actor, session, today):
    require_manager(actor)
    if session.status == SessionStatus.CANCELLED:
        raise FieldInvalid(_("The session is cancelled."))
    if session.held_on > today:
        raise FieldInvalid(_("The roll call opens on the day of the session."))


def mark_attendance(actor, session, staff_id, status, today, now):
    """Mark one person on the roll present, absent or excused; audited. Returns the row."""
    _check_roll_call(actor, session, today)
    if status not in AttendanceStatus.MARKS:
        raise FieldInvalid(_("Mark the person present, absent or excused."))
    attendance = db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.staff_id == staff_id))
    if attendance is None:
        raise FieldInvalid(_("The person is not on the roll of this session."))
    attendance.status, attendance.marked_at = status, now
    _mark_held(session)
    audit.record(actor, "attendance.marked", session, staff_id=staff_id, status=status)
    db.session.commit()
    return attendance


def mark_all_present(actor, session, today, now):
    """Mark everyone still only enrolled present, in one UPDATE; returns how many."""
    _check_roll_call(actor, session, today)
    marked = db.session.execute(
        update(Attendance).where(Attendance.session_id == session.id,
                                 Attendance.status == AttendanceStatus.ENROLLED)
        .values(status=AttendanceStatus.PRESENT, marked_at=now)
        .execution_options(synchronize_session=False)).rowcount
    _mark_held(session)
    audit.record(actor, "attendance.all_present", session, marked=marked)
    db.session.commit()
    return marked


def search_staff(actor, query, limit=SEARCH_LIMIT):
    """Return active staff in ``actor``'s scope whose name or username contains ``query``."""
    query = (query or "").strip()
    if not query:
        return []
    pattern = f"%{query.lower()}%"
    return list(db.session.scalars(
        select(Staff).where(access.staff_filter(actor), Staff.active.is_(True),
                            or_(func.lower(Staff.display_name).like(pattern),
                                func.lower(Staff.username).like(pattern)))
        .order_by(Staff.display_name).limit(limit)))
