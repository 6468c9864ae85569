"""The course catalogue, the certification types and head office's target per dimension."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from ... import audit
from ...errors import FieldInvalid, NotAllowed
from ...extensions import db
from ...models import (CertificationType, Course, CourseMode, Dimension, Role, TrainingTarget)
from ...models.training import DEFAULT_TARGET_SCORE
from .common import MAX_SCORE, require_manager

COURSE_FIELDS = ("code", "title", "dimension", "hours", "mode", "pass_mark", "description",
                 "active", "mandatory_roles", "refresh_months")


def courses_by_dimension(active_only=False):
    """Return ``[(dimension, [courses])]`` in the order of the five dimensions."""
    stmt = select(Course).order_by(Course.code)
    if active_only:
        stmt = stmt.where(Course.active.is_(True))
    groups = {dimension: [] for dimension in Dimension.ALL}
    for course in db.session.scalars(stmt):
        groups.setdefault(course.dimension, []).append(course)
    return list(groups.items())


def active_courses():
    """Return the active courses, by code."""
    return list(db.session.scalars(select(Course).where(Course.active.is_(True))
                                   .order_by(Course.code)))


def get_course(course_id):
    """Return the course or raise FieldInvalid when there is none."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise FieldInvalid(_("Choose a course from the list."), "course_id")
    return course


def _check_course(values, course_id=None):
    code = (values.get("code") or "").strip().upper()
    if not code:
        raise FieldInvalid(_("Give the course a code."), "code")
    taken = db.session.scalar(select(Course.id).where(func.upper(Course.code) == code))
    if taken is not None and taken != course_id:
        raise FieldInvalid(_("Another course already has the code %(code)s.", code=code),
                           "code")
    if values.get("dimension") not in Dimension.ALL:
        raise FieldInvalid(_("Choose one of the five dimensions."), "dimension")
    if values.get("mode") not in CourseMode.ALL:
        raise FieldInvalid(_("Choose how the course is taught."), "mode")
    if not 0 <= (values.get("pass_mark") or 0) <= MAX_SCORE:
        raise FieldInvalid(_("The pass mark lies between 0 and 100."), "pass_mark")
    roles = [role for role in values.get("mandatory_roles") or () if role in Role.ALL]
    return {**values, "code": code, "mandatory_roles": ",".join(roles),
            "description": values.get("description") or ""}


def save_course(actor, values, course_id=None):
    """Create a course, or update ``course_id``'s; audited. Returns the course."""
    require_manager(actor)
    values = _check_course(values, course_id)
    course = db.session.get(Course, course_id) if course_id else Course()
    if course is None:
        raise FieldInvalid(_("The course no longer exists."))
    for name in COURSE_FIELDS:
        setattr(course, name, values.get(name))
    db.session.add(course)
    db.session.flush()
    audit.record(actor, "course.saved" if course_id else "course.created", course,
                 object_type="course", code=course.code)
    db.session.commit()
    return course


def certification_types():
    """Return every certification type, by name."""
    return list(db.session.scalars(select(CertificationType).order_by(CertificationType.name)))


def targets():
    """Return ``{dimension: target score}``; a dimension without a row has the default, 70."""
    stored = dict(db.session.execute(select(TrainingTarget.dimension, TrainingTarget.score)).all())
    return {dimension: stored.get(dimension, DEFAULT_TARGET_SCORE)
            for dimension in Dimension.ALL}


def save_targets(actor, scores):
    """Set head office's target score of each dimension (0–100); audited. Admins only."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed()
    for dimension, score in scores.items():
        if dimension not in Dimension.ALL:
            continue
        if score is None or not 0 <= score <= MAX_SCORE:
            raise FieldInvalid(_("A target lies between 0 and 100."), dimension)
        row = db.session.get(TrainingTarget, dimension)
        if row is None:
            db.session.add(TrainingTarget(dimension=dimension, score=score))
        else:
            row.score = score
    audit.record(actor, "training.targets_saved", object_type="training_target",
                 **{key: value for key, value in scores.items()})
    db.session.commit()
