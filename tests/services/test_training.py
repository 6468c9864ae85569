"""Training services: sessions, enrolment, the roll call, scores, certifications, profiles."""
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from app.errors import NotAllowed, NotFound
from app.models import (Assessment, Attendance, AttendanceStatus, AuditEvent, Dimension,
                        SessionStatus)
from app.training.services import certifications, profile, scores, sessions
from app.errors import FieldInvalid
from app.training.services.common import add_months

from ..training_book import (add_assessment, add_attendance, add_certification, add_course,
                             add_session)

TODAY = date(2026, 12, 1)


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("raw", ["101", "-1", "abc", "", "7.5"])
def test_record_score_refuses_anything_but_0_to_100_and_changes_nothing(db, world, raw):
    course = add_course()
    session = add_session(course, world["branch_a"], TODAY)
    add_attendance(session, world["maint_a"], AttendanceStatus.PRESENT)

    with pytest.raises(FieldInvalid) as refused:
        scores.record_score(world["trainer_a"], session, world["maint_a"].id, raw)

    assert refused.value.field == "score"
    assert _count(db, Assessment) == 0


def test_record_score_passes_against_the_course_pass_mark_and_replaces_the_earlier(db, world):
    course = add_course(pass_mark=75)
    session = add_session(course, world["branch_a"], TODAY)
    add_attendance(session, world["maint_a"], AttendanceStatus.PRESENT)

    first = scores.record_score(world["trainer_a"], session, world["maint_a"].id, "74")
    assert (first.score, first.passed, first.pass_mark) == (74, False, 75)
    again = scores.record_score(world["trainer_a"], session, world["maint_a"].id, " 75 ")

    assert again.id == first.id and again.passed is True
    assert _count(db, Assessment) == 1


def test_record_score_needs_the_person_present(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY)
    add_attendance(session, world["maint_a"], AttendanceStatus.ABSENT)

    with pytest.raises(FieldInvalid, match="present"):
        scores.record_score(world["trainer_a"], session, world["maint_a"].id, "80")


def test_a_supervisor_reads_but_may_not_enter_scores(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY)
    add_attendance(session, world["maint_a"], AttendanceStatus.PRESENT)

    with pytest.raises(NotAllowed):
        scores.record_score(world["supervisor_a"], session, world["maint_a"].id, "80")


def test_enrolment_in_a_past_session_is_refused_and_nothing_changes(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY - timedelta(days=1))

    with pytest.raises(FieldInvalid, match="past"):
        sessions.enrol(world["trainer_a"], session, world["maint_a"].id, TODAY)

    assert _count(db, Attendance) == 0


def test_a_second_enrolment_of_the_same_person_is_refused(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY + timedelta(days=3))
    sessions.enrol(world["trainer_a"], session, world["maint_a"].id, TODAY)

    with pytest.raises(FieldInvalid, match="already on the roll"):
        sessions.enrol(world["trainer_a"], session, world["maint_a"].id, TODAY)

    assert _count(db, Attendance) == 1


def test_a_full_session_takes_nobody_more(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY + timedelta(days=3), capacity=1)
    sessions.enrol(world["trainer_a"], session, world["maint_a"].id, TODAY)

    with pytest.raises(FieldInvalid, match="full"):
        sessions.enrol(world["trainer_a"], session, world["maint_a2"].id, TODAY)


def test_a_maintainer_may_ask_a_place_only_for_themselves(db, world):
    session = add_session(add_course(), world["head"], TODAY + timedelta(days=3))

    sessions.enrol(world["maint_a"], session, world["maint_a"].id, TODAY)
    with pytest.raises(NotFound):
        sessions.enrol(world["maint_a"], session, world["maint_a2"].id, TODAY)

    assert _count(db, Attendance) == 1


def test_a_trainer_cannot_enrol_staff_of_another_branch(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY + timedelta(days=3))

    with pytest.raises(NotFound):
        sessions.enrol(world["trainer_a"], session, world["maint_b"].id, TODAY)

    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_id == str(world["maint_b"].id))) == "access.refused"


def test_all_present_marks_only_those_still_enrolled_and_holds_the_session(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY)
    add_attendance(session, world["maint_a"])
    add_attendance(session, world["maint_a2"], AttendanceStatus.EXCUSED)

    marked = sessions.mark_all_present(world["trainer_a"], session, TODAY, None)

    assert marked == 1
    statuses = dict(db.session.execute(select(Attendance.staff_id, Attendance.status)).all())
    assert statuses == {world["maint_a"].id: "present", world["maint_a2"].id: "excused"}
    assert session.status == SessionStatus.HELD


def test_the_roll_call_does_not_open_before_the_day(db, world):
    session = add_session(add_course(), world["branch_a"], TODAY + timedelta(days=1))
    add_attendance(session, world["maint_a"])

    with pytest.raises(FieldInvalid, match="day of the session"):
        sessions.mark_attendance(world["trainer_a"], session, world["maint_a"].id, "present",
                                 TODAY, None)


def test_planning_a_session_in_the_past_is_refused(db, world):
    course = add_course()
    values = {"course_id": course.id, "held_on": TODAY - timedelta(days=1),
              "start_time": time(9), "end_time": time(12), "place": "Room",
              "capacity": 10, "branch_id": world["branch_a"].id}

    with pytest.raises(FieldInvalid) as refused:
        sessions.plan_session(world["trainer_a"], values, TODAY)
    assert refused.value.field == "held_on"

    with pytest.raises(FieldInvalid) as refused:
        sessions.plan_session(world["trainer_a"], {**values, "held_on": TODAY,
                                                   "branch_id": world["branch_b"].id}, TODAY)
    assert refused.value.field == "branch_id"


def test_the_month_grid_runs_monday_to_sunday_around_the_month():
    month = sessions.parse_month("2026-02", TODAY)

    assert month.weeks[0][0] == date(2026, 1, 26) and month.weeks[-1][-1] == date(2026, 3, 1)
    assert all(len(week) == 7 for week in month.weeks)
    assert (month.previous, month.next) == (date(2026, 1, 1), date(2026, 3, 1))
    assert sessions.parse_month("garbage", TODAY).first == date(2026, 12, 1)


def test_a_dimension_scores_the_latest_attempt_per_course_over_twelve_months(db, world):
    product, product2 = add_course(Dimension.PRODUCT), add_course(Dimension.PRODUCT)
    maint = world["maint_a"]
    add_assessment(maint, product, 40, TODAY - timedelta(days=100))
    add_assessment(maint, product, 90, TODAY - timedelta(days=10))  # the latest attempt counts
    add_assessment(maint, product2, 70, TODAY - timedelta(days=20))
    add_assessment(maint, add_course(Dimension.SALES), 99, TODAY - timedelta(days=400))  # too old

    person = profile.staff_profile(maint, maint.id, TODAY)
    by_dimension = {d.dimension: d for d in person.dimensions}

    assert by_dimension[Dimension.PRODUCT].score == 80
    assert by_dimension[Dimension.SALES].score is None
    assert [d.dimension for d in person.weak][0] in (Dimension.SALES, Dimension.COMPLIANCE,
                                                     Dimension.SERVICE, Dimension.DIGITAL)
    assert Dimension.PRODUCT not in [d.dimension for d in person.weak]


def test_training_hours_count_sessions_attended_present(db, world):
    course = add_course(Dimension.COMPLIANCE, hours=4)
    held = add_session(course, world["branch_a"], TODAY - timedelta(days=5),
                       status=SessionStatus.HELD)
    missed = add_session(course, world["branch_a"], TODAY - timedelta(days=3))
    add_attendance(held, world["maint_a"], AttendanceStatus.PRESENT)
    add_attendance(missed, world["maint_a"], AttendanceStatus.ABSENT)

    hours = profile.dimension_hours([world["maint_a"].id], TODAY)

    assert hours == {(world["maint_a"].id, Dimension.COMPLIANCE): 4}


def test_needs_offer_planned_sessions_in_the_weak_dimensions(db, world):
    weak = add_course(Dimension.DIGITAL)
    strong = add_course(Dimension.PRODUCT)
    for dimension, score in ((Dimension.PRODUCT, 90), (Dimension.COMPLIANCE, 90),
                             (Dimension.SALES, 90), (Dimension.SERVICE, 90)):
        add_assessment(world["maint_a"], add_course(dimension), score, TODAY)
    add_assessment(world["maint_a"], weak, 50, TODAY)
    wanted = add_session(weak, world["branch_a"], TODAY + timedelta(days=7))
    add_session(strong, world["branch_a"], TODAY + timedelta(days=7))

    needs = profile.training_needs(world["trainer_a"], TODAY)
    mine = [p for p in needs if p.staff.id == world["maint_a"].id][0]

    assert [d.dimension for d in mine.weak] == [Dimension.DIGITAL]
    assert [s.id for s in mine.sessions] == [wanted.id]


def test_a_certification_expires_after_its_validity_and_renews_from_the_new_date(db, world):
    certification = add_certification(world["maint_a"], date(2026, 12, 20))

    renewed = certifications.renew_certification(world["trainer_a"], certification.id, "",
                                                 date(2026, 11, 30), TODAY)

    assert renewed.expires_on == date(2028, 11, 30)
    with pytest.raises(FieldInvalid):
        certifications.renew_certification(world["trainer_a"], certification.id, "",
                                           TODAY + timedelta(days=1), TODAY)


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 15), -12) == date(2025, 3, 15)
