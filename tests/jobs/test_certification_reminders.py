"""certification_reminders(today): 60, 30, 7 days before expiry and on it, each notice once."""
from datetime import date, timedelta

from sqlalchemy import select

from app.jobs.certifications import certification_reminders
from app.jobs.runner import DAILY_JOBS, DONE, catch_up, run_daily
from app.models import CertificationReminder, Notification, Role

from ..training_book import add_assessment, add_certification, add_course

DAY = date(2026, 12, 1)
JOB = "certification-reminders"


def _notices(db, staff):
    return list(db.session.scalars(select(Notification).where(
        Notification.staff_id == staff.id).order_by(Notification.id)))


def test_the_job_is_one_of_the_daily_jobs():
    assert (JOB, certification_reminders) in DAILY_JOBS


def test_the_holder_and_their_supervisor_get_the_60_day_notice_once(db, world, runner):
    add_certification(world["maint_a"], DAY + timedelta(days=60))

    outputs = []
    for _attempt in range(2):
        result = runner.invoke(args=["training", "reminders", "--date", DAY.isoformat()])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)

    (notice,) = _notices(db, world["maint_a"])
    assert notice.kind == "cert_expiring" and notice.params["days"] == 60
    assert len(_notices(db, world["supervisor_a"])) == 1  # outlet A1 has none: branch A's
    assert _notices(db, world["supervisor_b"]) == []
    assert "2026-12-01: 1 sent, 2 notifications" in outputs[0]
    assert "2026-12-01: 0 sent, 0 notifications" in outputs[1]


def test_each_stage_is_sent_once_as_the_days_pass(db, world):
    expiry = DAY + timedelta(days=31)
    add_certification(world["maint_a"], expiry)

    sent = []
    for offset in range(0, 33):
        result = certification_reminders(DAY + timedelta(days=offset))
        sent.extend(stage for stage, count in result["sent"].items() for _n in range(count))

    assert sent == ["60", "30", "7", "expired"]
    assert [n.params["days"] for n in _notices(db, world["maint_a"])] == [31, 30, 7, 0]


def test_a_certificate_recorded_close_to_expiry_gets_only_the_most_urgent_notice(db, world):
    add_certification(world["maint_a"], DAY + timedelta(days=5))

    result = certification_reminders(DAY)

    assert result["sent"] == {"60": 0, "30": 0, "7": 1, "expired": 0}


def test_a_renewed_certificate_is_reminded_afresh(db, world):
    certification = add_certification(world["maint_a"], DAY + timedelta(days=7))
    certification_reminders(DAY)
    certification.expires_on = DAY + timedelta(days=6 + 365)
    db.session.commit()

    certification_reminders(DAY + timedelta(days=365 - 54))

    stages = db.session.scalars(select(CertificationReminder.stage).order_by(
        CertificationReminder.id)).all()
    assert stages == ["7", "60"]


def test_three_missed_days_are_caught_up_each_sending_its_notices(db, world):
    add_certification(world["maint_a"], DAY + timedelta(days=61))   # 60 days on DAY+1
    add_certification(world["maint_a2"], DAY + timedelta(days=32))  # 30 days on DAY+2
    add_certification(world["maint_b"], DAY + timedelta(days=3))    # expires on DAY+3
    assert run_daily(JOB, certification_reminders, DAY).status == DONE

    runs = catch_up(JOB, certification_reminders, DAY + timedelta(days=3))

    assert [run.day for run in runs] == [DAY + timedelta(days=n) for n in (1, 2, 3)]
    assert [sum(run.result["sent"].values()) for run in runs] == [1, 1, 1]
    assert catch_up(JOB, certification_reminders, DAY + timedelta(days=3)) == []


def test_the_job_counts_staff_whose_mandatory_course_is_overdue(db, world):
    course = add_course(mandatory_roles=Role.MAINTAINER, refresh_months=12)
    add_assessment(world["maint_a"], course, 90, DAY - timedelta(days=30))
    add_assessment(world["maint_a2"], course, 90, DAY - timedelta(days=400))  # too long ago

    result = certification_reminders(DAY)

    assert result["overdue_mandatory"] == 2  # maint_a2 and maint_b
