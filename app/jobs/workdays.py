"""Working days: Monday to Friday (the bank's branches close at weekends)."""
from datetime import timedelta

ONE_DAY = timedelta(days=1)


def is_working_day(day):
    """Tell whether ``day`` is a working day."""
    return day.weekday() < 5


def working_day_on_or_before(day):
    """Return ``day`` if it is a working day, else the working day before it (Friday)."""
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
