"""Head office's calendar in a real browser: enter a 2027 holiday through the form, remove it."""
import pytest

pytestmark = pytest.mark.browser


def test_admin_enters_and_removes_a_2027_holiday(page, login):
    from playwright.sync_api import expect

    login("admin")
    page.goto("/admin/staff")
    page.get_by_role("link", name="Working days").click()
    page.goto("/admin/calendar?year=2027")
    expect(page.get_by_role("status")).to_contain_text("does not cover 2027")

    page.get_by_label("Day").fill("2027-02-09")
    page.get_by_label("Kind").select_option("holiday")
    page.get_by_label("Name").fill("Spring Festival")
    page.get_by_role("button", name="Add").click()

    expect(page.locator(".alert-success")).to_contain_text("2027-02-09 is in the calendar.")
    row = page.locator("table tbody tr", has_text="Spring Festival")
    expect(row).to_contain_text("Tuesday")
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("No entries for 2027.")).to_be_visible()
