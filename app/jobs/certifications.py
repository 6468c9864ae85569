"""Daily job: certification reminders (60, 30, 7 days before expiry and on it), each once."""
from ..training.services.reminders import send_certification_reminders


def certification_reminders(today):
    """Send the day's certification reminders and count overdue mandatory courses."""
    return send_certification_reminders(today).as_dict()
