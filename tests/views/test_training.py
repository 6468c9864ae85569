"""Training pages: the trainer's home, scoping, the roll call, the score grid, exports."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import today
from app.models import Assessment, Attendance, AttendanceStatus, AuditEvent

from ..training_book import add_attendance, add_certification, add_course, add_session


def test_a_trainer_lands_on_the_training_calendar(world, login_as):
    client = login_as(world["trainer_a"])

    response = client.get("/")

    assert response.status_code == 302 and response.location.endswith("/training/")
    page = client.get("/training/").get_data(as_text=True)
    assert 'id="training-calendar"' in page and "month-table" in page


def test_the_month_switch_answers_the_calendar_fragment(world, login_as):
    session = add_session(add_course(title="Anti-money laundering"), world["branch_a"],
                          today().replace(day=1) + timedelta(days=40))
    client = login_as(world["trainer_a"])
    month = f"{session.held_on:%Y-%m}"

    fragment = client.get_htmx(f"/training/?month={month}").get_data(as_text=True)

    assert "<html" not in fragment and 'id="training-calendar"' in fragment
    assert "Anti-money laundering" in fragment


def test_a_maintainer_sees_their_own_profile_and_not_another(db, world, login_as):
    client = login_as(world["maint_a"])

    own = client.get("/training/", follow_redirects=True)
    other = client.get(f"/training/staff/{world['maint_a2'].id}")

    assert own.status_code == 200 and "My training profile" in own.get_data(as_text=True)
    assert 'data-chart=' in own.get_data(as_text=True)
    assert other.status_code == 404
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "staff", AuditEvent.object_id == str(world["maint_a2"].id))
    ) == "access.refused"


def test_a_trainer_cannot_see_another_branchs_staff(world, login_as):
    client = login_as(world["trainer_a"])

    assert client.get(f"/training/staff/{world['maint_a'].id}").status_code == 200
    assert client.get(f"/training/staff/{world['maint_b'].id}").status_code == 404
    team = client.get("/training/team").get_data(as_text=True)
    assert world["maint_a"].display_name in team and world["maint_b"].display_name not in team


def test_a_trainer_gets_no_customer_page(app, world, login_as, make_customer):
    customer = make_customer(maintainer=world["maint_a"])
    client = login_as(world["trainer_a"])
    prefixes = ("/customers", "/tasks", "/service-requests", "/imports", "/audit")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefixes) or "GET" not in rule.methods:
            continue
        url = re.sub(r"<[^>]+>", str(customer.id), rule.rule)
        status = client.get(url).status_code
        assert status in (403, 404), (url, status)
        checked += 1
    assert checked >= 10


def test_the_roll_call_marks_a_row_and_refreshes_the_scores(db, world, login_as):
    session = add_session(add_course(), world["branch_a"], today())
    add_attendance(session, world["maint_a"])
    client = login_as(world["trainer_a"])

    response = client.post_form(f"/training/sessions/{session.id}/attendance",
                                {"staff_id": world["maint_a"].id, "status": "present"},
                                htmx=True)

    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith(f'<tr id="roll-{world["maint_a"].id}"')
    assert response.headers["HX-Trigger"] == "roll-changed"
    assert db.session.scalar(select(Attendance.status)) == AttendanceStatus.PRESENT


def test_a_score_of_101_gets_a_field_error_and_nothing_is_saved(db, world, login_as):
    session = add_session(add_course(), world["branch_a"], today())
    add_attendance(session, world["maint_a"], AttendanceStatus.PRESENT)
    client = login_as(world["trainer_a"])
    url = f"/training/sessions/{session.id}/scores"
    person = {"staff_id": world["maint_a"].id}

    refused = client.post_form(url, {**person, "score": "101"}, htmx=True)
    negative = client.post_form(url, {**person, "score": "-5"}, htmx=True)

    assert refused.status_code == 422 and negative.status_code == 422
    body = refused.get_data(as_text=True)
    assert "A score lies between 0 and 100." in body and 'aria-invalid="true"' in body
    assert 'value="101"' in body and "data-error" in body
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0
    saved = client.post_form(url, {**person, "score": "88"}, htmx=True)
    assert saved.status_code == 200 and "data-saved" in saved.get_data(as_text=True)
    assert db.session.scalar(select(Assessment.score)) == 88


def test_a_duplicate_walk_in_gets_a_message_on_the_roll_call(db, world, login_as):
    session = add_session(add_course(), world["branch_a"], today())
    add_attendance(session, world["maint_a"])
    client = login_as(world["trainer_a"])

    response = client.post_form(f"/training/sessions/{session.id}/people",
                                {"staff_id": world["maint_a"].id}, htmx=True)

    assert response.status_code == 422
    assert "already on the roll" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_a_maintainer_asks_for_a_place_in_an_upcoming_session(db, world, login_as):
    session = add_session(add_course(), world["branch_a"], today() + timedelta(days=5))
    client = login_as(world["maint_a"])

    response = client.post_form(f"/training/sessions/{session.id}/people",
                                {"staff_id": world["maint_a"].id})

    assert response.status_code == 303
    assert db.session.scalar(select(Attendance.staff_id)) == world["maint_a"].id


def test_a_supervisor_may_read_but_not_mark(world, login_as):
    session = add_session(add_course(), world["branch_a"], today())
    add_attendance(session, world["maint_a"])
    client = login_as(world["supervisor_a"])

    assert client.get(f"/training/sessions/{session.id}").status_code == 200
    assert client.post_form(f"/training/sessions/{session.id}/all-present",
                            htmx=True).status_code == 403


@pytest.mark.parametrize("fmt, magic", [("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK")])
def test_certifications_export_as_csv_and_xlsx(world, login_as, fmt, magic):
    add_certification(world["maint_a"], today() + timedelta(days=10), name="=cmd|calc")
    client = login_as(world["trainer_a"])

    response = client.get(f"/training/certifications/export?format={fmt}&expiry=60")

    assert response.status_code == 200 and response.data.startswith(magic)
    assert f'filename="certifications.{fmt}"' in response.headers["Content-Disposition"]
    if fmt == "csv":
        assert "'=cmd|calc" in response.data.decode("utf-8-sig")


def test_the_import_page_imports_good_rows_and_lists_the_bad(db, world, login_as):
    course = add_course(code="AML1")
    session = add_session(course, world["branch_a"], today())
    client = login_as(world["trainer_a"])
    csv = (f"username,course_code,session_id,attendance,score,assessed_on\n"
           f"{world['maint_a'].username},AML1,{session.id},present,85,{today()}\n"
           f"{world['maint_a2'].username},AML1,{session.id},present,101,{today()}\n").encode()

    from io import BytesIO
    response = client.post_form("/training/import", {
        "file": (BytesIO(csv), "exam.csv"), "dry_run": ""},
        content_type="multipart/form-data")

    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    assert "Not a whole score from 0 to 100." in body
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 1


def test_a_trainer_enrols_a_maintainer_from_the_needs_list(db, world, login_as):
    course = add_course()
    session = add_session(course, world["branch_a"], today() + timedelta(days=4))
    client = login_as(world["trainer_a"])

    page = client.get("/training/needs").get_data(as_text=True)
    response = client.post_form("/training/needs/enrol",
                                {"session_id": session.id, "staff_id": world["maint_a"].id})

    assert world["maint_a"].display_name in page and course.title in page
    assert response.status_code == 303
    assert db.session.scalar(select(Attendance.staff_id)) == world["maint_a"].id


def test_a_course_code_must_be_unique(db, world, login_as):
    add_course(code="AML1")
    client = login_as(world["trainer_a"])

    response = client.post_form("/training/courses/new", {
        "code": "aml1", "title": "Again", "dimension": "compliance", "mode": "online",
        "hours": "2", "pass_mark": "60"})

    assert response.status_code == 400
    assert "Another course already has the code AML1." in response.get_data(as_text=True)


def test_head_office_sets_the_targets_and_needs_follow_them(db, world, login_as):
    client = login_as(world["admin"])

    response = client.post_form("/training/targets", {
        "product": "50", "compliance": "80", "sales": "70", "service": "70", "digital": "101"})
    assert response.status_code == 400  # 101 refused, nothing saved
    client.post_form("/training/targets", {
        "product": "50", "compliance": "80", "sales": "70", "service": "70", "digital": "70"})

    from app.training.services.catalogue import targets
    assert targets()["product"] == 50 and targets()["compliance"] == 80


@pytest.mark.parametrize("url", ["/training/team/export", "/training/scores/export?format=xlsx",
                                 "/training/team/export?format=xlsx"])
def test_the_team_exports_download(world, login_as, url):
    client = login_as(world["supervisor_a"])

    response = client.get(url)

    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
