"""Service requests in a real browser: a maintainer opens one, works it and resolves it.

The actions on the request page are htmx posts that swap the request's panel: no reloads.
"""
import re

import pytest

pytestmark = pytest.mark.browser


def test_maintainer_opens_works_and_resolves_a_request(page, login):
    from playwright.sync_api import expect

    login("maint1")
    page.goto("/customers/")
    first = page.locator("table tbody tr").first.get_by_role("link").first
    first.click()
    customer_id = re.search(r"/customers/(\d+)", page.url).group(1)

    page.goto(f"/service-requests/new?customer_id={customer_id}")
    fields = page.locator(".value-added-fields")
    expect(fields).to_be_hidden()
    page.get_by_label("What is it about?").select_option("value_added")
    expect(fields).to_be_visible()  # shown only for a value-added booking
    page.get_by_label("What is it about?").select_option("complaint")
    expect(fields).to_be_hidden()
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Came in by").select_option("phone")
    page.get_by_role("button", name="Open the request").click()
    expect(page.locator("#subject-errors")).to_contain_text("Give the request a subject")
    page.get_by_label("Subject").fill("Card annual fee charged twice")
    page.get_by_label("Description").fill("The customer saw two annual fees on the statement.")
    page.get_by_role("button", name="Open the request").click()

    expect(page).to_have_url(re.compile(r"/service-requests/\d+$"))
    expect(page.locator("#flashes")).to_contain_text("opened for")
    expect(page.locator("#request-status")).to_have_text("New")
    expect(page.locator(".sla-clock-response")).to_contain_text("left")
    page.evaluate("window.__marker = 'no reload'")

    page.get_by_label("Comment (the reason, to cancel)").fill("Called the card centre.")
    page.get_by_role("button", name="Start work").click()
    expect(page.locator("#request-status")).to_have_text("In progress")
    expect(page.locator(".request-message")).to_contain_text("is now In progress")
    expect(page.locator(".request-timeline")).to_contain_text("Called the card centre.")
    expect(page.locator(".sla-clock-response")).to_contain_text("in time")

    page.get_by_role("button", name="Cancel request").click()  # no reason given
    expect(page.locator("#status-comment-errors")).to_contain_text("reason for cancelling")
    expect(page.locator("#request-status")).to_have_text("In progress")

    page.get_by_role("button", name="Mark resolved").click()
    expect(page.locator("#request-status")).to_have_text("Resolved")
    expect(page.locator(".request-timeline")).to_contain_text("call-back task")

    page.get_by_label("5 – very satisfied").check()
    page.get_by_label("What the customer said (optional)").fill("Refund arrived quickly.")
    page.get_by_role("button", name="Record satisfaction").click()
    expect(page.locator("#request-satisfaction")).to_have_text("5 of 5")
    assert page.evaluate("window.__marker") == "no reload"

    page.goto("/service-requests/?status=resolved")
    expect(page.locator(".request-table")).to_contain_text("Card annual fee charged twice")
