"""Assessment scores: one per person and session, 0–100, passed against the pass mark."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import access, audit
from ...clock import utcnow
from ...extensions import db
from ...models import Assessment, Attendance, AttendanceStatus, SessionStatus, Staff
from ...errors import FieldInvalid
from .common import MAX_SCORE, require_manager


def parse_score(raw):
    """Return ``raw`` as a whole score from 0 to 100, or raise FieldInvalid on ``score``."""
    text = ("" if raw is None else str(raw)).strip()
    try:
        score = int(text)
    except ValueError:
        raise FieldInvalid(_("Enter a whole number from 0 to 100."), "score")
    if not 0 <= score <= MAX_SCORE:
        raise FieldInvalid(_("A score lies between 0 and 100."), "score")
    return score


def upsert_score(actor, session, staff_id, score):
    """Insert or replace the person's assessment for the session (the caller commits)."""
    course = session.course
    assessment = db.session.scalar(select(Assessment).where(
        Assessment.session_id == session.id, Assessment.staff_id == staff_id))
    if assessment is None:
        assessment = Assessment(session_id=session.id, staff_id=staff_id, course_id=course.id)
        db.session.add(assessment)
    assessment.score, assessment.pass_mark = score, course.pass_mark
    assessment.passed = score >= course.pass_mark
    assessment.assessed_on, assessment.assessor_id = session.held_on, actor.id
    assessment.recorded_at = utcnow()
    return assessment


def record_score(actor, session, staff_id, raw):
    """Record the score of a person present at the session; audited. Returns the assessment.

    A score outside 0–100 or not a number, a person not marked present, or a cancelled
    session is refused with a message and nothing changes.
    """
    require_manager(actor)
    score = parse_score(raw)
    if session.status == SessionStatus.CANCELLED:
        raise FieldInvalid(_("The session is cancelled."), "score")
    status = db.session.scalar(select(Attendance.status).where(
        Attendance.session_id == session.id, Attendance.staff_id == staff_id))
    if status != AttendanceStatus.PRESENT:
        raise FieldInvalid(_("Only a person marked present can be given a score."), "score")
    assessment = upsert_score(actor, session, staff_id, score)
    db.session.flush()
    audit.record(actor, "assessment.recorded", session, staff_id=staff_id, score=score)
    db.session.commit()
    return assessment


def list_assessments(actor, since, staff_id=None, limit=None):
    """Return the assessments since ``since`` of the staff ``actor`` may see, newest first."""
    stmt = (select(Assessment).join(Staff, Assessment.staff_id == Staff.id)
            .options(joinedload(Assessment.staff), joinedload(Assessment.course))
            .where(access.staff_filter(actor), Assessment.assessed_on >= since)
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc()))
    if staff_id is not None:
        stmt = stmt.where(Assessment.staff_id == staff_id)
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))
