"""Scores and attendance from the exam system, through the portal's import machinery."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.imports.csvfile import ImportFileError
from app.models import Assessment, Attendance
from app.errors import FieldInvalid
from app.training.services.imports import import_training_file

from ..training_book import add_attendance, add_course, add_session

DAY = date(2026, 11, 20)
HEADER = "username,course_code,session_id,attendance,score,assessed_on\n"


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def exam(world):
    """A held session of course AML1 in branch A."""
    course = add_course(code="AML1", pass_mark=70)
    return add_session(course, world["branch_a"], DAY)


def test_a_good_file_records_attendance_and_scores_and_a_second_import_changes_nothing(
        db, world, exam):
    add_attendance(exam, world["maint_a"])
    data = (HEADER + f"{world['maint_a'].username},AML1,{exam.id},present,85,{DAY}\n"
            f"{world['maint_a2'].username},AML1,{exam.id},absent,,{DAY}\n"
            f"{world['maint_a2'].username},AML1,,,65,2026-11-01\n").encode()

    first = import_training_file(world["trainer_a"], data, "exam.csv", dry_run=False)
    second = import_training_file(world["trainer_a"], data, "exam.csv", dry_run=False)

    assert (first.inserted, first.updated, first.errors) == (3, 1, [])
    assert (second.inserted, second.updated) == (0, 4)
    statuses = dict(db.session.execute(select(Attendance.staff_id, Attendance.status)).all())
    assert statuses == {world["maint_a"].id: "present", world["maint_a2"].id: "absent"}
    scores = sorted(db.session.execute(select(Assessment.score, Assessment.passed)).all())
    assert scores == [(65, False), (85, True)]


def test_bad_rows_are_reported_by_line_and_column_and_left_out(db, world, exam):
    data = (HEADER
            + f"{world['maint_a'].username},AML1,{exam.id},present,101,{DAY}\n"
            + f"{world['maint_a2'].username},AML1,,,-3,2026-11-02\n"
            + f"nobody,AML1,{exam.id},present,50,{DAY}\n"
            + f"{world['maint_b'].username},AML1,{exam.id},present,50,{DAY}\n"
            + f"{world['maint_a2'].username},NOPE,,,50,{DAY}\n"
            + f"{world['maint_a2'].username},AML1,,late,,{DAY}\n"
            + f"{world['maint_a2'].username},AML1,{exam.id},present,70,{DAY}\n"
            + f"{world['maint_a2'].username},AML1,{exam.id},present,70,{DAY}\n").encode()

    result = import_training_file(world["trainer_a"], data, "exam.csv", dry_run=False)

    problems = [(e.line, e.column, e.code) for e in result.errors]
    assert problems == [(2, "score", "bad_score"), (3, "score", "bad_score"),
                        (4, "username", "unknown_staff"),
                        (5, "username", "staff_out_of_scope"),
                        (6, "course_code", "unknown_course"),
                        (7, "attendance", "bad_attendance"),
                        (9, "username", "duplicate_in_file")]
    assert result.inserted == 2  # line 8: its attendance and its score
    assert _count(db, Attendance) == 1 and _count(db, Assessment) == 1


def test_a_dry_run_counts_but_writes_nothing(db, world, exam):
    data = (HEADER + f"{world['maint_a'].username},AML1,{exam.id},present,85,{DAY}\n").encode()

    result = import_training_file(world["trainer_a"], data, "exam.csv", dry_run=True)

    assert (result.dry_run, result.inserted) == (True, 2)
    assert _count(db, Attendance) == 0 and _count(db, Assessment) == 0


def test_a_file_of_another_kind_or_unreadable_is_refused(db, world):
    customers = b"customer_number,name,gender,birth_date,id_number,mobile,branch_code," \
                b"onboarded_on\nC1,A,F,1980-01-01,x,1,B,2020-01-01\n"

    with pytest.raises(FieldInvalid, match="not a file of training scores"):
        import_training_file(world["trainer_a"], customers, "c.csv", dry_run=True)
    with pytest.raises(ImportFileError):
        import_training_file(world["trainer_a"], b"", "empty.csv", dry_run=True)
