"""Browser tests: the portal served on a local port, driven by Playwright in Debian's Chromium.

They run on a SQLite file of their own with the demo data, whatever database the rest of the
suite uses, and are skipped with a reason when Chromium or Playwright is missing.
"""
import os
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.config import TestingConfig
from app.extensions import db as _db
from app.clock import today as bank_today
from app.demo.services import seed_demo
from app.tasks.followups import generate_followups
from app.tasks.levelling import level_workload

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests, saying why, where Chromium or Playwright is missing."""
    reason = None
    if os.environ.get("PORTAL_TEST_DATABASE_URL"):
        reason = "browser tests use a SQLite file of their own; they run in the SQLite pass"
    elif not os.access(CHROMIUM, os.X_OK):
        reason = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "browser tests need the playwright package (pip install -e '.[test]')"
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the portal with demo data and today's queues on a free local port; yield its URL."""
    path = tmp_path_factory.mktemp("browser") / "portal.db"

    class BrowserConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(BrowserConfig)
    with app.app_context():
        upgrade()
        seed_demo(customers=300)
        today = bank_today()
        generate_followups(today)
        level_workload(today)
        _db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """Open a new browser context and tab; any CSP violation fails the test."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture
def login(page):
    """Log ``page`` in through the real form."""
    def login(username, password="portal-demo"):
        page.goto("/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        return page
    return login
