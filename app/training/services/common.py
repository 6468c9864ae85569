"""What every training service shares: the write-permission check and date arithmetic."""
from ...access import can_manage_training
from ...errors import NotAllowed

MAX_SCORE = 100


def require_manager(actor):
    """Raise NotAllowed unless ``actor`` may write training records (trainers, head office)."""
    if not can_manage_training(actor):
        raise NotAllowed()


def add_months(day, months):
    """Return the same day ``months`` later, clamped to the month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
