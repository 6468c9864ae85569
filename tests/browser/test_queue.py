"""The maintainer's queue in a real browser: complete and snooze through htmx, no reloads."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from app.config import TestingConfig

pytestmark = pytest.mark.browser

DUE_NOW = ":is(section[aria-labelledby='queue-today-heading'], " \
          "section[aria-labelledby='queue-overdue-heading'])"


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
