"""China's working days: the one ``is_working_day(day)`` that levelling, maturities and queues use.

The official calendar — public holidays (Spring Festival, National Day …) and the make-up
working days on a Saturday or Sunday (调休) — comes from the ``chinese_calendar`` package.
Head office's table (``CalendarDay``) overrides it day by day: years the package does not
cover yet, a local holiday, a correction. A day neither of them knows (a year beyond the
package) is a working day from Monday to Friday.

The table is read once per database transaction and kept in the session's ``info``: a job
that asks about hundreds of days reads it once, and a change head office commits is seen by
the next transaction of every process (web worker or scheduler), so nothing goes stale.
"""
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .extensions import db
from .models import CalendarDay, DayKind

ONE_DAY = timedelta(days=1)
OVERRIDES_KEY = "workdays.overrides"


def calendar_overrides():
    """Return head office's table as ``{day: is a working day}``, read once per transaction."""
    session = db.session()
    overrides = session.info.get(OVERRIDES_KEY)
    if overrides is None:
        rows = session.execute(select(CalendarDay.day, CalendarDay.kind))
        overrides = {day: kind == DayKind.WORKING_DAY for day, kind in rows}
        session.info[OVERRIDES_KEY] = overrides
    return overrides


@event.listens_for(Session, "after_transaction_end")
def _forget_at_transaction_end(session, transaction):
    """Drop the cached table when a transaction ends: the next one reads it afresh."""
    session.info.pop(OVERRIDES_KEY, None)


@event.listens_for(Session, "after_flush")
def _forget_after_calendar_change(session, flush_context):
    """Drop the cached table when this session has just written a calendar day."""
    if OVERRIDES_KEY not in session.info:
        return
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(record, CalendarDay) for record in changed):
        session.info.pop(OVERRIDES_KEY, None)


def official_years():
    """Return ``(first, last)``: the years the official calendar package knows."""
    known = chinese_calendar.holidays
    return min(known).year, max(known).year


def official_working_day(day):
    """Tell whether the official calendar makes ``day`` a working day; None beyond its years."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def official_day_name(day):
    """Return the official name of a holiday or make-up day (e.g. "Spring Festival"), or None."""
    try:
        return chinese_calendar.get_holiday_detail(day)[1]
    except NotImplementedError:
        return None


def is_working_day(day):
    """Tell whether ``day`` is a working day in China (head office's table first)."""
    override = calendar_overrides().get(day)
    if override is not None:
        return override
    official = official_working_day(day)
    return day.weekday() < 5 if official is None else official


def working_day_on_or_before(day):
    """Return ``day`` if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def working_days_from(day, count):
    """Return the first ``count`` working days on or after ``day``, in order."""
    days = []
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day += ONE_DAY
    return days


def date_range(first, last):
    """Return every date from ``first`` to ``last`` inclusive (empty if ``last`` < ``first``)."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def official_days(year):
    """Return the official calendar's exceptions in ``year`` as ``[(day, is working, name)]``.

    They are the holidays falling Monday to Friday and the make-up working days at weekends
    (the days that differ from Monday to Friday); empty for a year the package does not know.
    """
    first, last = official_years()
    if not first <= year <= last:
        return []
    days = date_range(date(year, 1, 1), date(year, 12, 31))
    return [(day, working, official_day_name(day)) for day in days
            if (working := chinese_calendar.is_workday(day)) != (day.weekday() < 5)]
