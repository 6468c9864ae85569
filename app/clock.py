"""The portal's sense of time: UTC instants and the bank's local date."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow():
    """Return the current instant as a naive UTC datetime (how instants are stored)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def bank_timezone():
    """Return the bank's time zone (``PORTAL_TIMEZONE``)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def today():
    """Return today's date in the bank's time zone."""
    return datetime.now(bank_timezone()).date()


def to_local(instant):
    """Convert a stored naive UTC ``instant`` to the bank's local time."""
    if instant is None:
        return None
    return instant.replace(tzinfo=timezone.utc).astimezone(bank_timezone())
