"""Jinja filters and helpers for amounts, dates and masked personal data."""
from babel.dates import format_skeleton
from flask_babel import format_date, format_datetime, get_locale

from .clock import to_local
from .personal_data import mask_id_number, mask_mobile


def money(fen):
    """Format an amount in fen as yuan with thousands separators: 1,234.56."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def money_short(fen):
    """Format an amount in fen as whole yuan: 1,234."""
    if fen is None:
        return ""
    return f"{int(fen) // 100:,}"


def local_datetime(instant, fmt="medium"):
    """Format a stored UTC instant in the bank's time zone."""
    return format_datetime(to_local(instant), fmt) if instant else ""


def day_month(value):
    """Format a date as day and month in the user's language: "2 Dec", "12月2日"."""
    return format_skeleton("MMMd", value, locale=get_locale()) if value else ""


def register_filters(app):
    """Make the formatting helpers available in every template."""
    app.jinja_env.filters.update(
        money=money,
        money_short=money_short,
        mask_id=mask_id_number,
        mask_mobile=mask_mobile,
        local_datetime=local_datetime,
        day_month=day_month,
        date=lambda d, fmt="medium": format_date(d, fmt) if d else "",
    )
