"""is_working_day and its range helpers: China's calendar, head office's table, the fallback."""
from datetime import date

from sqlalchemy import event

from app.models import DayKind
from app.workdays import (date_range, is_working_day, official_days, official_years,
                          working_day_on_or_before, working_days_from)
from tests.calendar_book import (FIRST_WORKING_DAY_AFTER_2027, MAKE_UP_SATURDAY_2026,
                                 MAKE_UP_SATURDAY_2027, SPRING_FESTIVAL_2026,
                                 SPRING_FESTIVAL_2027, add_calendar_day,
                                 enter_spring_festival_2027)


def test_the_2026_spring_festival_week_is_not_working_days(db):
    weekdays = [day for day in SPRING_FESTIVAL_2026 if day.weekday() < 5]

    assert len(weekdays) == 6  # Monday 16 to Monday 23 February
    assert not any(is_working_day(day) for day in SPRING_FESTIVAL_2026)
    assert is_working_day(date(2026, 2, 24))  # back at work on Tuesday 24 February


def test_the_2026_make_up_saturdays_and_sunday_are_working_days(db):
    assert MAKE_UP_SATURDAY_2026.weekday() == 5
    assert is_working_day(MAKE_UP_SATURDAY_2026)
    assert is_working_day(date(2026, 2, 28))  # the second Spring Festival make-up Saturday
    assert is_working_day(date(2026, 1, 4))  # a Sunday worked for New Year's Day
    assert not is_working_day(date(2026, 2, 7))  # an ordinary Saturday


def test_the_2026_national_day_week_is_not_working_days(db):
    golden_week = date_range(date(2026, 10, 1), date(2026, 10, 7))

    assert not any(is_working_day(day) for day in golden_week)
    assert is_working_day(date(2026, 10, 10))  # make-up Saturday


def test_the_2027_spring_festival_week_is_not_working_days_once_head_office_enters_it(db):
    assert official_years()[1] < 2027  # the package does not know 2027 yet
    assert is_working_day(date(2027, 2, 8))  # so Monday to Friday decides until entered

    enter_spring_festival_2027()

    assert not any(is_working_day(day) for day in SPRING_FESTIVAL_2027)
    assert is_working_day(MAKE_UP_SATURDAY_2027)
    assert is_working_day(FIRST_WORKING_DAY_AFTER_2027)


def test_a_year_beyond_the_package_is_monday_to_friday_plus_the_table(db):
    add_calendar_day(date(2027, 5, 3), name="Labour Day")

    assert [is_working_day(day) for day in date_range(date(2027, 4, 30), date(2027, 5, 4))] == [
        True, False, False, False, True]  # Fri, Sat, Sun, Mon (entered), Tue


def test_a_table_entry_overrides_the_package(db):
    add_calendar_day(date(2026, 2, 24), name="Local holiday")
    add_calendar_day(date(2026, 2, 16), DayKind.WORKING_DAY, name="Branch open")

    assert not is_working_day(date(2026, 2, 24))
    assert is_working_day(date(2026, 2, 16))


def test_an_entry_made_after_a_first_look_is_seen_in_the_same_transaction(db):
    assert is_working_day(date(2026, 3, 2))

    add_calendar_day(date(2026, 3, 2), name="Local holiday")

    assert not is_working_day(date(2026, 3, 2))


def test_the_table_is_read_once_for_a_whole_window(db, app):
    statements = []

    def count(conn, cursor, statement, *args):
        if "calendar_day" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        db.session.commit()  # a fresh transaction reads the table afresh
        working = [day for day in date_range(date(2026, 1, 1), date(2027, 12, 31))
                   if is_working_day(day)]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert len(statements) == 1
    assert 400 < len(working) < 520


def test_the_working_day_before_a_holiday_may_be_a_make_up_saturday(db):
    assert working_day_on_or_before(date(2026, 2, 16)) == MAKE_UP_SATURDAY_2026
    assert working_day_on_or_before(date(2026, 2, 24)) == date(2026, 2, 24)


def test_working_days_from_skips_the_holiday_and_uses_make_up_days(db):
    assert working_days_from(date(2026, 2, 13), 3) == [
        date(2026, 2, 13), MAKE_UP_SATURDAY_2026, date(2026, 2, 24)]


def test_official_days_list_the_exceptions_to_monday_to_friday(db):
    days = {day: (working, name) for day, working, name in official_days(2026)}

    assert days[date(2026, 2, 16)] == (False, "Spring Festival")
    assert days[MAKE_UP_SATURDAY_2026] == (True, "Spring Festival")
    assert date(2026, 2, 15) not in days  # a Sunday off is no exception
    assert official_days(2027) == []
