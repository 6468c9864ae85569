"""Head office's calendar entries for the tests, and the holidays they are about.

The chinese-calendar package knows the official 2026 arrangement (Spring Festival: 15 to 23
February off, Saturdays 14 and 28 February worked) but not 2027 yet. For 2027 the tests enter
a Spring Festival week the way head office would, in the ``calendar_day`` table: New Year's
Day of the lunar calendar is Saturday 6 February 2027; the tests take Friday 5 to Thursday 11
February off and Saturday 20 February as the make-up working day.
"""
from datetime import date

from app.extensions import db
from app.models import CalendarDay, DayKind
from app.workdays import date_range

SPRING_FESTIVAL_2026 = date_range(date(2026, 2, 15), date(2026, 2, 23))
MAKE_UP_SATURDAY_2026 = date(2026, 2, 14)
SPRING_FESTIVAL_2027 = date_range(date(2027, 2, 5), date(2027, 2, 11))
MAKE_UP_SATURDAY_2027 = date(2027, 2, 20)
FIRST_WORKING_DAY_AFTER_2027 = date(2027, 2, 12)


def add_calendar_day(day, kind=DayKind.HOLIDAY, name="Spring Festival", note=""):
    """Add one head-office calendar entry and flush it (the test's transaction keeps it)."""
    entry = CalendarDay(day=day, kind=kind, name=name, note=note)
    db.session.add(entry)
    db.session.flush()
    return entry


def enter_spring_festival_2027():
    """Enter the 2027 Spring Festival week and its make-up Saturday as head office would."""
    for day in SPRING_FESTIVAL_2027:
        add_calendar_day(day)
    add_calendar_day(MAKE_UP_SATURDAY_2027, DayKind.WORKING_DAY)
