"""Head office's calendar page: list a year, add, correct, remove days; refusals, bad input."""
from datetime import date

import pytest
from sqlalchemy import select

from app import clock
from app.models import AuditEvent, CalendarDay, DayKind
from app.workdays import is_working_day
from tests.calendar_book import add_calendar_day

LABOUR_DAY_2027 = date(2027, 5, 3)


def events(db, action, actor):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.actor_id == actor.id)))


def entries(db):
    db.session.expire_all()
    return [(e.day, e.kind, e.name, e.note) for e in db.session.scalars(
        select(CalendarDay).order_by(CalendarDay.day))]


def day_form(**overrides):
    data = {"day": "2027-02-08", "kind": DayKind.HOLIDAY, "name": "Spring Festival",
            "note": "State Council notice"}
    data.update(overrides)
    return data


# --- the page --------------------------------------------------------------------------------

def test_the_page_lists_the_years_entries_and_the_official_holidays(login_as, world, db):
    add_calendar_day(date(2026, 3, 2), name="Branch anniversary", note="Outlet A1 only")
    add_calendar_day(date(2027, 2, 8))

    page = login_as(world["admin"]).get("/admin/calendar?year=2026").get_data(as_text=True)

    assert "Branch anniversary" in page and "Outlet A1 only" in page
    assert "Spring Festival" in page  # the official calendar's holidays of 2026
    assert "Feb 14, 2026" in page  # its make-up Saturday
    assert "Feb 8, 2027" not in page  # another year's entry
    assert "does not cover 2026" not in page
    assert 'href="/admin/calendar?year=2027"' in page


def test_a_year_the_package_does_not_know_says_so(login_as, world, db):
    page = login_as(world["admin"]).get("/admin/calendar?year=2027").get_data(as_text=True)

    assert "The official calendar does not cover 2027" in page
    assert "No entries for 2027." in page


@pytest.mark.parametrize("year", ["abc", "99999", "-1", "1999"])
def test_an_unusable_year_shows_the_current_year(login_as, world, db, year):
    response = login_as(world["admin"]).get(f"/admin/calendar?year={year}")

    assert response.status_code == 200
    with_today = response.get_data(as_text=True)
    assert f"<h1 class=\"h3 mb-0\">Working days {clock.today().year}</h1>" in with_today


def test_the_admin_navigation_leads_to_the_calendar(login_as, world, db):
    page = login_as(world["admin"]).get("/admin/staff").get_data(as_text=True)

    assert 'href="/admin/calendar"' in page


# --- add, correct, remove --------------------------------------------------------------------

def test_admin_adds_a_holiday_that_levelling_then_skips(login_as, world, db):
    client = login_as(world["admin"])
    assert is_working_day(date(2027, 2, 8))

    response = client.post_form("/admin/calendar", day_form())

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/calendar?year=2027")
    assert entries(db) == [(date(2027, 2, 8), DayKind.HOLIDAY, "Spring Festival",
                            "State Council notice")]
    entry = db.session.scalar(select(CalendarDay))
    assert entry.changed_by_id == world["admin"].id
    [event] = events(db, "calendar_day.added", world["admin"])
    assert event.object_id == str(entry.id)
    assert event.detail == {"day": "2027-02-08", "kind": "holiday", "name": "Spring Festival"}
    assert not is_working_day(date(2027, 2, 8))


def test_admin_adds_a_make_up_saturday(login_as, world, db):
    client = login_as(world["admin"])

    client.post_form("/admin/calendar", day_form(day="2027-02-20", kind=DayKind.WORKING_DAY))

    assert is_working_day(date(2027, 2, 20))


def test_admin_corrects_an_entry(login_as, world, db):
    entry = add_calendar_day(date(2027, 2, 8))
    client = login_as(world["admin"])
    assert "Correct a calendar day" in client.get(f"/admin/calendar/{entry.id}").get_data(
        as_text=True)

    response = client.post_form(f"/admin/calendar/{entry.id}", day_form(
        day="2027-02-09", kind=DayKind.WORKING_DAY, note=""))

    assert response.status_code == 302
    assert entries(db) == [(date(2027, 2, 9), DayKind.WORKING_DAY, "Spring Festival", "")]
    [event] = events(db, "calendar_day.updated", world["admin"])
    assert event.detail == {
        "before": {"day": "2027-02-08", "kind": "holiday"},
        "after": {"day": "2027-02-09", "kind": "working_day"}}
    assert is_working_day(date(2027, 2, 8)) and is_working_day(date(2027, 2, 9))


def test_saving_an_unchanged_entry_writes_no_event(login_as, world, db):
    entry = add_calendar_day(date(2027, 2, 8), note="State Council notice")
    client = login_as(world["admin"])

    assert client.post_form(f"/admin/calendar/{entry.id}", day_form()).status_code == 302
    assert not events(db, "calendar_day.updated", world["admin"])


def test_admin_removes_an_entry_and_monday_to_friday_decides_again(login_as, world, db):
    entry = add_calendar_day(LABOUR_DAY_2027, name="Labour Day")
    client = login_as(world["admin"])
    assert not is_working_day(LABOUR_DAY_2027)

    response = client.post_form(f"/admin/calendar/{entry.id}/remove")

    assert response.status_code == 302
    assert entries(db) == []
    [event] = events(db, "calendar_day.removed", world["admin"])
    assert event.detail == {"day": "2027-05-03", "kind": "holiday", "name": "Labour Day"}
    assert is_working_day(LABOUR_DAY_2027)


@pytest.mark.parametrize("url", ["/admin/calendar/{id}", "/admin/calendar/{id}/remove"])
def test_an_unknown_entry_is_not_found(login_as, world, db, url):
    client = login_as(world["admin"])
    response = client.post_form(url.format(id=999999), day_form())
    assert response.status_code == 404


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, message", [
    ({"day": "2027-02-30"}, "Not a valid date value"),
    ({"day": "tomorrow"}, "Not a valid date value"),
    ({"day": ""}, "Enter the day."),
    ({"day": "1999-12-31"}, "Choose a day from 2000 to 2100."),
    ({"kind": "weekend"}, "Not a valid choice"),
    ({"name": "  "}, "Name the day."),
    ({"name": "x" * 81}, "Field cannot be longer than 80 characters."),
    ({"note": "x" * 201}, "Field cannot be longer than 200 characters."),
])
def test_bad_input_shows_an_error_and_changes_nothing(login_as, world, db, overrides, message):
    client = login_as(world["admin"])

    response = client.post_form("/admin/calendar", day_form(**overrides))

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert entries(db) == []
    assert not events(db, "calendar_day.added", world["admin"])


def test_a_day_already_entered_is_refused_on_its_field(login_as, world, db):
    add_calendar_day(date(2027, 2, 8), name="First entry")
    client = login_as(world["admin"])

    response = client.post_form("/admin/calendar", day_form(name="Second entry"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This day is already in the calendar" in page and 'id="day-errors"' in page
    assert [name for _, _, name, _ in entries(db)] == ["First entry"]


def test_correcting_onto_another_entrys_day_is_refused(login_as, world, db):
    add_calendar_day(date(2027, 2, 8), name="First entry")
    second = add_calendar_day(date(2027, 2, 9), name="Second entry")
    client = login_as(world["admin"])

    response = client.post_form(f"/admin/calendar/{second.id}", day_form(name="Moved"))

    assert response.status_code == 200
    assert "This day is already in the calendar" in response.get_data(as_text=True)
    assert [(day, name) for day, _, name, _ in entries(db)] == [
        (date(2027, 2, 8), "First entry"), (date(2027, 2, 9), "Second entry")]


def test_errors_are_shown_in_chinese(login_as, world, db):
    add_calendar_day(date(2027, 2, 8))
    client = login_as(world["admin"])
    client.set_cookie("lang", "zh_Hans_CN")

    page = client.post_form("/admin/calendar", day_form(),
                            headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)

    assert "工作日" in page and "This day is already" not in page


# --- refusals --------------------------------------------------------------------------------

GETS = ["/admin/calendar", "/admin/calendar/{id}"]
POSTS = ["/admin/calendar", "/admin/calendar/{id}", "/admin/calendar/{id}/remove"]


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", GETS)
def test_other_roles_cannot_open_the_calendar(login_as, world, db, role, url):
    entry = add_calendar_day(date(2027, 2, 8))
    assert login_as(world[role]).get(url.format(id=entry.id)).status_code == 403


@pytest.mark.parametrize("role", ["supervisor_a", "trainer_a", "maint_a"])
@pytest.mark.parametrize("url", POSTS)
def test_other_roles_cannot_change_the_calendar(login_as, world, db, role, url):
    entry = add_calendar_day(date(2027, 2, 8), name="Kept")
    before = entries(db)

    response = login_as(world[role]).post_form(url.format(id=entry.id),
                                               day_form(day="2027-02-10"))

    assert response.status_code == 403
    assert entries(db) == before
    assert events(db, "access.forbidden", world[role])


@pytest.mark.parametrize("url", POSTS)
def test_calendar_posts_without_csrf_token_are_refused(login_as, world, db, url):
    entry = add_calendar_day(date(2027, 2, 8), name="Kept")
    before = entries(db)
    client = login_as(world["admin"])

    response = client.post(url.format(id=entry.id), data=day_form(day="2027-02-10"))

    assert response.status_code == 400
    assert entries(db) == before


def test_a_bad_date_is_refused_in_chinese_too(login_as, world, db):
    client = login_as(world["admin"])

    page = client.post_form("/admin/calendar", day_form(day="2027-02-30"),
                            headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)

    assert 'id="day-errors"' in page and "Not a valid date value" not in page
    assert entries(db) == []
