"""The maintainer's queue in a real browser: complete and snooze through htmx, no reloads.

The portal is served as in tests/browser/conftest.py, with one more step: the day's follow-ups
are generated after the demo data is seeded, and those planned for the next working day are
brought forward to today (today may fall on a weekend), so maint1 starts with a queue to work.
"""
import re
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from flask_migrate import upgrade
from sqlalchemy import update
from werkzeug.serving import make_server

from app import clock, create_app
from app.config import TestingConfig
from app.demo.services import seed_demo
from app.extensions import db
from app.jobs.followups import generate_followups
from app.jobs.workdays import working_days_from
from app.models import Task

pytestmark = pytest.mark.browser

DUE_NOW = ":is(section[aria-labelledby='queue-today-heading'], " \
          "section[aria-labelledby='queue-overdue-heading'])"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Serve the demo portal with today's follow-ups generated; yield its base URL."""
    path = tmp_path_factory.mktemp("queue") / "portal.db"

    class QueueConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(QueueConfig)
    with app.app_context():
        upgrade()
        seed_demo(customers=300)
        today = clock.today()
        generate_followups(today)
        first_working_day = working_days_from(today, 1)[0]
        db.session.execute(update(Task).where(Task.scheduled_on <= first_working_day)
                           .values(scheduled_on=today))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def counter(page):
    return int(page.locator("#queue-counter").get_attribute("data-count"))


def test_maintainer_completes_and_snoozes_without_reloading(page, login):
    from playwright.sync_api import expect

    login("maint1")
    expect(page).to_have_url(re.compile(r"/tasks/$"))
    page.evaluate("window.__marker = 'no reload'")
    before = counter(page)
    assert before >= 2, "maint1 needs at least two tasks due today"

    row_id = page.locator(f"{DUE_NOW} tbody tr").first.get_attribute("id")
    row = page.locator(f"#{row_id}")
    customer_href = row.get_by_role("link", name="Customer").get_attribute("href")
    row.get_by_role("link", name="Complete").click()
    dialog = page.locator("#task-dialog")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.activeElement.name") == "outcome"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    row.get_by_role("link", name="Complete").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Complete").click()  # no outcome chosen yet
    expect(dialog.locator(".invalid-feedback")).to_contain_text("Choose how the contact went")
    dialog.get_by_label("Outcome").select_option("reached")
    dialog.get_by_label("Contact channel").select_option("wechat")
    dialog.get_by_label("Note").fill("Talked through the options; will call back next week.")
    dialog.get_by_role("button", name="Complete").click()

    expect(dialog).to_be_hidden()
    expect(page.locator(f"#{row_id}")).to_have_count(0)
    expect(page.locator("#queue-counter")).to_have_attribute("data-count", str(before - 1))
    expect(page.locator("#queue-notice")).to_contain_text("Task completed")

    second_id = page.locator(f"{DUE_NOW} tbody tr").first.get_attribute("id")
    second = page.locator(f"#{second_id}")
    second.get_by_role("link", name="Snooze").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Snooze").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"{DUE_NOW} #{second_id}")).to_have_count(0)
    expect(page.locator("#queue-counter")).to_have_attribute("data-count", str(before - 2))

    assert page.evaluate("window.__marker") == "no reload"

    page.goto(customer_href)
    today = datetime.now(ZoneInfo(TestingConfig.TIMEZONE)).date()
    expect(page.locator("dt:text-is('Last contact') + dd")).to_have_text(
        format_date(today, "medium", locale="en"))
