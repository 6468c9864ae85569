"""Browser: a trainer holds today's roll call and enters scores from the keyboard alone."""
import json
import re

import pytest

pytestmark = pytest.mark.browser


def _radar(page, href):
    page.goto(href)
    canvas = page.locator("canvas[data-chart]")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector("
                           "'canvas[data-chart]'))")
    return json.loads(canvas.get_attribute("data-chart"))["datasets"][0]["data"]


def test_trainer_holds_the_roll_call_and_scores_from_the_keyboard(page, login):
    login("trainer1")
    page.goto("/")
    page.wait_for_url("**/training/")
    assert page.locator("#training-calendar .month-table").is_visible()

    page.goto("/training/team")
    profile_href = page.get_by_role("link", name="刘晓东").get_attribute("href")
    staff_id = re.search(r"/staff/(\d+)", profile_href).group(1)
    before = _radar(page, profile_href)

    page.goto("/training/")
    page.locator("#training-calendar .month-day-today a.month-item").first.click()
    page.wait_for_url("**/training/sessions/*")
    all_present = page.get_by_role("button", name="All present")
    all_present.focus()
    page.keyboard.press("Enter")
    score = page.locator(f"#score-input-{staff_id}")
    score.wait_for()
    assert page.locator("#roll-call .attendance-enrolled").count() == 0

    score.focus()
    page.keyboard.type("101")
    page.keyboard.press("Enter")
    error = page.locator(f"#score-{staff_id} .text-danger")
    error.wait_for()
    assert "between 0 and 100" in error.inner_text()
    assert page.evaluate("document.activeElement.id") == f"score-input-{staff_id}"
    # Enter before htmx has processed the swapped row would submit it as a plain form.
    page.wait_for_function("() => !document.querySelector('.htmx-swapping, .htmx-settling')")

    page.keyboard.type("100")
    page.keyboard.press("Enter")
    page.locator(f"#score-{staff_id}[data-saved]").wait_for()
    rows = page.locator("[data-score-row]")
    assert rows.first.get_attribute("id") == f"score-{staff_id}"  # 刘 sorts first
    next_id = rows.nth(1).get_attribute("id").replace("score-", "score-input-")
    page.wait_for_function(f"() => document.activeElement.id === '{next_id}'")

    after = _radar(page, profile_href)
    assert after != before
