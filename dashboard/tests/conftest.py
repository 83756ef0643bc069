"""Fixtures of the dashboard tests: the fixed "today" (province.py) and a real browser for the page tests.

The browser is Debian's chromium driven by Playwright's sync API against pytest-django's
live_server; it never downloads a browser. A failing browser test leaves a screenshot in
test-artifacts/. The live server's tests commit their data (transactional), so the rows
that data migrations made (facility types, the criteria catalogue) are reloaded after the
flush that ends them (django_db_serialized_rollback makes the test database keep a copy).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from .province import today  # noqa: F401  (the fixture)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a live-server test's last teardown step (the flush), reload the rows data migrations made.

    A fixture cannot do it: pytest-django's autouse live-server helper sets up the database
    before any fixture of ours, so its flush would come after our teardown.
    """
    blocker = getattr(item, "funcargs", {}).get("django_db_blocker")
    result = yield
    if blocker is not None and "live_server" in item.fixturenames:
        with blocker.unblock():
            database = connections[DEFAULT_DB_ALIAS]
            database.creation.deserialize_db_from_string(database._test_serialized_contents)
    return result


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread, so Django refuses ORM
    # calls made by the test (data set-up, checks) as "async unsafe" unless told otherwise;
    # the live server answers from its own thread. Set for the browser tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()  # the ones the test opened while the loop ran


@pytest.fixture
def page(django_db_serialized_rollback, live_server, browser, request):
    """A fresh browser context on the live server; JavaScript errors are collected in `page.errors`."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: _console_error(page, message))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


def _console_error(page, message) -> None:
    """Console errors, except the browser's own request for /favicon.ico that no page asks for."""
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        page.errors.append(f"console: {message.text} ({message.location.get('url')})")


@pytest.fixture
def log_in(page):
    """Log in through the log-in form as `username`."""
    from accounts.tests.factories import PASSWORD

    def run(username: str, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()

    return run
