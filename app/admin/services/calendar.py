"""Head office's working-day calendar: the days it adds, corrects or removes over the official one.

Each function takes the acting admin, checks the day, writes the audit event in the same
transaction and commits; ``is_working_day`` sees the change from the next transaction on,
in every process. Rule violations raise ``FieldInvalid`` naming the form field.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import audit
from ...clock import utcnow
from ...database import commit_or_conflict
from ...errors import FieldInvalid, NotFound
from ...extensions import db
from ...models import CalendarDay, DayKind
from ...workdays import official_days, official_years
from .common import changed_fields

FIRST_YEAR, LAST_YEAR = 2000, 2100
DAY_TAKEN = _l("This day is already in the calendar: correct that entry instead.")


@dataclass
class CalendarYear:
    """One year of the calendar page: head office's entries and the official exceptions."""

    year: int
    entries: list
    official: list
    official_first: int
    official_last: int

    @property
    def covered(self):
        """Tell whether the official calendar package knows this year."""
        return self.official_first <= self.year <= self.official_last


def calendar_year(year):
    """Return the ``CalendarYear`` of ``year`` (entries by day, with who changed them)."""
    entries = list(db.session.scalars(
        select(CalendarDay).options(joinedload(CalendarDay.changed_by))
        .where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(CalendarDay.day)))
    first, last = official_years()
    return CalendarYear(year, entries, official_days(year), first, last)


def clamp_year(year, today):
    """Return ``year`` if the page can show it, else the year of ``today``."""
    return year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else today.year


def get_calendar_day(day_id):
    """Return one calendar entry or raise NotFound."""
    entry = db.session.get(CalendarDay, day_id)
    if entry is None:
        raise NotFound()
    return entry


def _check(day, kind, keep_id=None):
    """Refuse a day out of range, an unknown kind, or a day already entered (but ``keep_id``)."""
    if not date(FIRST_YEAR, 1, 1) <= day <= date(LAST_YEAR, 12, 31):
        raise FieldInvalid(_l("Choose a day from %(first)d to %(last)d.",
                              first=FIRST_YEAR, last=LAST_YEAR), "day")
    if kind not in DayKind.ALL:
        raise FieldInvalid(_l("Choose holiday or working day."), "kind")
    taken = db.session.scalar(select(CalendarDay.id).where(CalendarDay.day == day))
    if taken is not None and taken != keep_id:
        raise FieldInvalid(DAY_TAKEN, "day")


def add_calendar_day(actor, *, day, kind, name, note=""):
    """Enter ``day`` as a holiday or a working day, overriding the official calendar."""
    _check(day, kind)
    entry = CalendarDay(day=day, kind=kind, name=name.strip(), note=(note or "").strip(),
                        changed_by_id=actor.id, changed_at=utcnow())
    db.session.add(entry)
    commit_or_conflict(FieldInvalid(DAY_TAKEN, "day"), flush=True)
    audit.record(actor, "calendar_day.added", entry, day=day.isoformat(), kind=kind,
                 name=entry.name)
    commit_or_conflict(FieldInvalid(DAY_TAKEN, "day"))
    return entry


def update_calendar_day(actor, day_id, *, day, kind, name, note=""):
    """Correct an entry (its day, kind, name or note); return the changed fields."""
    entry = get_calendar_day(day_id)
    _check(day, kind, keep_id=entry.id)
    before, after = changed_fields(entry, {"day": day, "kind": kind, "name": name.strip(),
                                           "note": (note or "").strip()})
    if after:
        entry.changed_by_id, entry.changed_at = actor.id, utcnow()
        audit.record(actor, "calendar_day.updated", entry, before=_plain(before),
                     after=_plain(after))
    commit_or_conflict(FieldInvalid(DAY_TAKEN, "day"))
    return after


def remove_calendar_day(actor, day_id):
    """Remove an entry: the official calendar (or Monday to Friday) decides that day again."""
    entry = get_calendar_day(day_id)
    audit.record(actor, "calendar_day.removed", entry, day=entry.day.isoformat(),
                 kind=entry.kind, name=entry.name)
    db.session.delete(entry)
    db.session.commit()
    return entry


def _plain(values):
    """Return ``values`` with dates as ISO text, for the audit event's JSON detail."""
    return {name: value.isoformat() if isinstance(value, date) else value
            for name, value in values.items()}
