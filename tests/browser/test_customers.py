"""The customer book in a real browser: live search, scoping, and an audited reveal."""
import re

import pytest

pytestmark = pytest.mark.browser


def rows(page):
    return page.locator("#customer-rows tbody tr")


def test_live_search_narrows_the_list_without_a_reload(page, login):
    from playwright.sync_api import expect

    login("supervisor1")
    page.goto("/customers/")
    page.evaluate("window.__marker = 'no reload'")
    number = re.search(r"C\d{10}", rows(page).first.inner_text()).group(0)

    page.get_by_role("searchbox", name="Search").fill(number)
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(number)
    expect(page).to_have_url(re.compile(rf"q={number}"))
    assert page.evaluate("window.__marker") == "no reload"


def test_maintainer_reveals_a_mobile_with_a_reason(page, login):
    from playwright.sync_api import expect

    login("maint1")
    page.goto("/customers/")
    rows(page).first.locator("a").first.click()
    field = page.locator("#reveal-mobile")
    masked = field.locator(".font-monospace").inner_text()
    assert re.fullmatch(r"1\d\d\*{4}\d{4}", masked), masked

    field.locator("summary").click()
    field.get_by_role("button", name="Reveal").click()  # no reason: refused
    expect(page.locator("#reveal-mobile .invalid-feedback")).to_be_visible()

    page.locator("#reveal-mobile").get_by_label("Reason").fill("Identity check at the counter")
    page.locator("#reveal-mobile").get_by_role("button", name="Reveal").click()
    value = page.locator("#reveal-mobile .reveal-value")
    expect(value).to_have_text(re.compile(r"^1\d{10}$"))
    assert value.inner_text()[-4:] == masked[-4:]
