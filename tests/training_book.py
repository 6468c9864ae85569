"""Builders shared by the training tests: courses, sessions, rolls, scores, certifications."""
import itertools
from datetime import date, time

from app.extensions import db
from app.models import (Assessment, Attendance, AttendanceStatus, CertificationType, Course,
                        Dimension, SessionStatus, StaffCertification, TrainingSession)

_seq = itertools.count(1)


def add_course(dimension=Dimension.PRODUCT, **fields):
    """Add an active course of ``dimension`` (pass mark 60, 3 hours) and commit it."""
    n = next(_seq)
    course = Course(code=fields.pop("code", f"TC{n:03d}"), title=fields.pop("title", f"Course {n}"),
                    dimension=dimension, hours=fields.pop("hours", 3),
                    pass_mark=fields.pop("pass_mark", 60), **fields)
    db.session.add(course)
    db.session.commit()
    return course


def add_session(course, branch, held_on, *, status=SessionStatus.PLANNED, capacity=20,
                trainer=None):
    """Add a session of ``course`` run by ``branch`` on ``held_on`` and commit it."""
    session = TrainingSession(course_id=course.id, branch_id=branch.id, held_on=held_on,
                              start_time=time(9), end_time=time(12), place="Room 1",
                              capacity=capacity, status=status,
                              trainer_id=trainer.id if trainer else None)
    db.session.add(session)
    db.session.commit()
    return session


def add_attendance(session, staff, status=AttendanceStatus.ENROLLED):
    """Put ``staff`` on the roll of ``session`` with ``status`` and commit it."""
    row = Attendance(session_id=session.id, staff_id=staff.id, status=status)
    db.session.add(row)
    db.session.commit()
    return row


def add_assessment(staff, course, score, assessed_on, session=None):
    """Add a score of ``staff`` in ``course`` on ``assessed_on`` and commit it."""
    row = Assessment(staff_id=staff.id, course_id=course.id, score=score,
                     pass_mark=course.pass_mark, passed=score >= course.pass_mark,
                     assessed_on=assessed_on, session_id=session.id if session else None)
    db.session.add(row)
    db.session.commit()
    return row


def add_certification(staff, expires_on, *, name="Fund practitioner", obtained_on=None):
    """Add a certification type and a certificate of ``staff`` expiring on ``expires_on``."""
    n = next(_seq)
    cert_type = CertificationType(code=f"CT{n:03d}", name=f"{name} {n}", validity_months=24,
                                  categories="fund")
    db.session.add(cert_type)
    db.session.flush()
    certification = StaffCertification(staff_id=staff.id, type_id=cert_type.id,
                                       number=f"N{n:06d}",
                                       obtained_on=obtained_on or date(2024, 1, 1),
                                       expires_on=expires_on)
    db.session.add(certification)
    db.session.commit()
    return certification
