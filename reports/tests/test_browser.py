"""The report form in a real browser on a phone-sized screen (Debian's chromium through Playwright)."""

import os

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from core.tests.migration_data import as_migrated  # noqa: F401 (an autouse fixture for this module)

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def phone(server, client, staff, settings):
    """A logged-in phone browser; the session outlives the frozen clock the tests run at.

    Request it last: no database access is allowed while Playwright's loop runs.
    """
    from playwright.sync_api import sync_playwright

    settings.SESSION_COOKIE_AGE = 10 * 365 * 24 * 3600
    client.force_login(staff)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": server.url}])
        yield context.new_page()
        browser.close()


def test_choosing_a_month_that_has_a_report_shows_a_link_to_it(server, facility, draft, phone):
    phone.goto(server.url + reverse("reports:create", args=[facility.code]))
    assert phone.locator("#period-note .alert").count() == 0
    phone.select_option("select[name=period_month]", "9")
    note = phone.locator("#period-note .alert")
    note.wait_for(timeout=5000)
    assert "Cơ sở đã có báo cáo tháng 09/2026." in note.inner_text()
    assert note.locator("a").get_attribute("href") == draft.get_absolute_url()
    # The page fits the phone's width: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
