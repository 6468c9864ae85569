"""Scores and attendance from the exam system's CSV, through the portal's import machinery.

The file kind ``training`` (columns in ``imports.csvfile.TRAINING_COLUMNS``) is checked row
by row with the same per-row errors, chunks, dry run and audit as the core-banking files.
A row names a staff member by username and a course by code; with a ``session_id`` its
attendance and score belong to that session (the score replaces the session's earlier one),
without one the score is an assessment of the course on ``assessed_on`` (the same staff,
course and day replaces the earlier one), so importing a file twice changes nothing.
"""
from flask_babel import gettext as _
from sqlalchemy import insert, select, true, update

from ... import access
from ...extensions import db
from ...imports.csvfile import TRAINING, read_import_file
from ...imports.services import RowImporter, import_file, register_importer
from ...models import Assessment, Attendance, AttendanceStatus, Course, Staff, TrainingSession
from ...errors import FieldInvalid
from .common import MAX_SCORE, require_manager


class TrainingImporter(RowImporter):
    """Checks and writes rows of scores and attendance within the importer's scope."""

    def __init__(self, actor, dry_run, planned):
        super().__init__(actor, dry_run, planned)
        self.allowed = actor is None or access.can_manage_training(actor)
        scope = true() if actor is None else access.staff_filter(actor)
        self.usernames = set(db.session.scalars(select(Staff.username)))
        self.staff = {row.username: row.id for row in db.session.execute(
            select(Staff.id, Staff.username).where(scope))}
        self.courses = {row.code: row for row in db.session.execute(
            select(Course.id, Course.code, Course.pass_mark))}
        sessions = select(TrainingSession.id, TrainingSession.course_id)
        if actor is not None:
            sessions = sessions.where(access.training_session_filter(actor))
        self.sessions = dict(db.session.execute(sessions).all())

    def check(self, row):
        """Read one row into values, or return None when it has problems."""
        if not row.ok:
            return None
        if not self.allowed:
            row.error("", "training_not_allowed")
            return None
        values = {"staff_id": self._staff(row), "course": self._course(row),
                  "attendance": row.choice("attendance", AttendanceStatus.MARKS,
                                           "bad_attendance"),
                  "score": row.whole_number("score", 0, MAX_SCORE, "bad_score"),
                  "assessed_on": row.date("assessed_on", required=True, latest=self.today)}
        values["session_id"] = self._session(row, values["course"])
        if row.ok and values["attendance"] is None and values["score"] is None:
            row.error("score", "score_or_attendance")
        if values["attendance"] and not row.cells.get("session_id"):
            row.error("session_id", "attendance_needs_session")
        self.once(row, "username", (row.cells.get("username"), row.cells.get("course_code"),
                                    row.cells.get("session_id"), row.cells.get("assessed_on")))
        return values if row.ok else None

    def _staff(self, row):
        username = row.text("username", required=True, max_length=64)
        if username is None:
            return None
        if username not in self.usernames:
            row.error("username", "unknown_staff", username=username)
        elif username not in self.staff:
            row.error("username", "staff_out_of_scope")
        return self.staff.get(username)

    def _course(self, row):
        code = row.text("course_code", required=True, max_length=20)
        if code is not None and code not in self.courses:
            row.error("course_code", "unknown_course", code=code)
        return self.courses.get(code)

    def _session(self, row, course):
        session_id = row.whole_number("session_id", 1, 2 ** 31 - 1, "unknown_session")
        if session_id is None or course is None:
            return None
        if self.sessions.get(session_id) != course.id:
            row.error("session_id", "unknown_session", session=session_id)
            return None
        return session_id

    def write(self, chunk, result):
        """Upsert the chunk's attendance rows and assessments."""
        attendance = [(line, v) for line, v in chunk if v["attendance"]]
        scores = [(line, v) for line, v in chunk if v["score"] is not None]
        self._write_attendance(attendance, result)
        self._write_scores(scores, result)

    def _write_attendance(self, rows, result):
        keys = {(v["session_id"], v["staff_id"]) for _line, v in rows}
        existing = {(row.session_id, row.staff_id): row.id for row in db.session.execute(
            select(Attendance.id, Attendance.session_id, Attendance.staff_id).where(
                Attendance.session_id.in_({key[0] for key in keys})))}
        new = [{"session_id": v["session_id"], "staff_id": v["staff_id"],
                "status": v["attendance"]} for _line, v in rows
               if (v["session_id"], v["staff_id"]) not in existing]
        changed = [{"id": existing[(v["session_id"], v["staff_id"])], "status": v["attendance"]}
                   for _line, v in rows if (v["session_id"], v["staff_id"]) in existing]
        result.inserted += len(new)
        result.updated += len(changed)
        if self.dry_run:
            return
        if new:
            db.session.execute(insert(Attendance.__table__), new)
        if changed:
            db.session.execute(update(Attendance), changed)

    def _write_scores(self, rows, result):
        staff_ids = {v["staff_id"] for _line, v in rows}
        existing = {}
        for row in db.session.execute(
                select(Assessment.id, Assessment.staff_id, Assessment.course_id,
                       Assessment.session_id, Assessment.assessed_on)
                .where(Assessment.staff_id.in_(staff_ids))):
            key = (row.staff_id, row.session_id) if row.session_id else (
                row.staff_id, row.course_id, row.assessed_on)
            existing[key] = row.id
        new, changed = [], []
        for _line, v in rows:
            course = v["course"]
            values = {"staff_id": v["staff_id"], "course_id": course.id,
                      "session_id": v["session_id"], "score": v["score"],
                      "pass_mark": course.pass_mark, "passed": v["score"] >= course.pass_mark,
                      "assessed_on": v["assessed_on"]}
            key = (v["staff_id"], v["session_id"]) if v["session_id"] else (
                v["staff_id"], course.id, v["assessed_on"])
            if key in existing:
                changed.append({"id": existing[key], **values})
            else:
                new.append(values)
        result.inserted += len(new)
        result.updated += len(changed)
        if self.dry_run:
            return
        if new:
            db.session.execute(insert(Assessment.__table__), new)
        if changed:
            db.session.execute(update(Assessment), changed)


register_importer(TRAINING, TrainingImporter)


def import_training_file(actor, data, file_name, dry_run):
    """Check and import (or only check, in a dry run) an exam-system CSV; return the result.

    A file of another kind is refused; an unreadable one raises ImportFileError.
    """
    require_manager(actor)
    parsed = read_import_file(data, file_name=file_name)
    if parsed.kind != TRAINING:
        raise FieldInvalid(_("This is not a file of training scores: it needs the columns "
                             "%(columns)s.", columns="username, course_code, assessed_on"),
                           "file")
    return import_file(parsed, actor=actor, dry_run=dry_run)
