"""The five-dimension profile: score and hours per dimension, the team heat map, the needs.

A dimension's score is the mean of the last twelve months' assessments in its courses,
counting only the most recent attempt at each course; its hours are the hours of the
sessions attended (present) in those twelve months. Both are one GROUP BY query for any
number of staff.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from ... import access
from ...extensions import db
from ...models import (Assessment, Attendance, AttendanceStatus, Course, Dimension, Role, Staff,
                       TrainingSession)
from .catalogue import targets
from .sessions import upcoming_sessions

YEAR_DAYS = 365
NEEDS_SESSIONS = 3


@dataclass
class DimensionFigures:
    """One dimension of one person: mean score (None when not assessed), hours, target."""

    dimension: str
    score: object
    hours: int
    target: int

    @property
    def below_target(self):
        """Tell whether the dimension needs training (not assessed counts as below)."""
        return self.score is None or self.score < self.target


@dataclass
class Profile:
    """A person's five dimensions, and the planned sessions for their weak ones."""

    staff: Staff
    dimensions: list
    sessions: list = field(default_factory=list)

    @property
    def weak(self):
        """Return the dimensions below target, weakest first."""
        return sorted((d for d in self.dimensions if d.below_target),
                      key=lambda d: -1 if d.score is None else d.score)


def _latest_attempts(since):
    rank = func.row_number().over(partition_by=(Assessment.staff_id, Assessment.course_id),
                                  order_by=(Assessment.assessed_on.desc(),
                                            Assessment.id.desc())).label("attempt")
    return (select(Assessment.staff_id, Assessment.course_id, Assessment.score, rank)
            .where(Assessment.assessed_on > since).subquery())


def dimension_scores(staff_ids, today):
    """Return ``{(staff_id, dimension): mean score}`` over the last twelve months."""
    latest = _latest_attempts(today - timedelta(days=YEAR_DAYS))
    rows = db.session.execute(
        select(latest.c.staff_id, Course.dimension, func.avg(latest.c.score))
        .join(Course, Course.id == latest.c.course_id)
        .where(latest.c.attempt == 1, latest.c.staff_id.in_(staff_ids))
        .group_by(latest.c.staff_id, Course.dimension))
    return {(staff_id, dimension): round(float(mean)) for staff_id, dimension, mean in rows}


def dimension_hours(staff_ids, today):
    """Return ``{(staff_id, dimension): hours attended}`` over the last twelve months."""
    rows = db.session.execute(
        select(Attendance.staff_id, Course.dimension, func.sum(Course.hours))
        .join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .join(Course, TrainingSession.course_id == Course.id)
        .where(Attendance.staff_id.in_(staff_ids),
               Attendance.status == AttendanceStatus.PRESENT,
               TrainingSession.held_on > today - timedelta(days=YEAR_DAYS),
               TrainingSession.held_on <= today)
        .group_by(Attendance.staff_id, Course.dimension))
    return {(staff_id, dimension): int(hours or 0) for staff_id, dimension, hours in rows}


def profiles(staff_list, today):
    """Return a Profile (without sessions) for each of ``staff_list``, in order."""
    ids = [staff.id for staff in staff_list]
    scores, hours, goal = dimension_scores(ids, today), dimension_hours(ids, today), targets()
    return [Profile(staff, [DimensionFigures(d, scores.get((staff.id, d)),
                                             hours.get((staff.id, d), 0), goal[d])
                            for d in Dimension.ALL]) for staff in staff_list]


def _courses_in(dimensions):
    return list(db.session.scalars(select(Course.id).where(Course.dimension.in_(dimensions),
                                                           Course.active.is_(True))))


def with_sessions(profile, today):
    """Add the planned sessions the person may attend in their weak dimensions."""
    weak = [d.dimension for d in profile.weak]
    if weak:
        profile.sessions = upcoming_sessions(profile.staff, today, NEEDS_SESSIONS,
                                             course_ids=_courses_in(weak))
    return profile


def staff_profile(actor, staff_id, today):
    """Return the profile of a staff member ``actor`` may see (404 otherwise), with needs."""
    staff = access.get_staff(actor, staff_id)
    return with_sessions(profiles([staff], today)[0], today)


def team(actor):
    """Return the active maintainers ``actor`` may see, by name."""
    return list(db.session.scalars(
        select(Staff).where(access.staff_filter(actor), Staff.active.is_(True),
                            Staff.role == Role.MAINTAINER).order_by(Staff.display_name)))


def heat_map(actor, today):
    """Return the profiles of ``actor``'s team (staff × dimension)."""
    return profiles(team(actor), today)


def training_needs(actor, today):
    """Return the profiles of the team members with a dimension below target, with sessions."""
    return [with_sessions(profile, today) for profile in heat_map(actor, today) if profile.weak]
