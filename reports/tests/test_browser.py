"""The report form in a real browser on a phone-sized screen (Debian's chromium through Playwright)."""

import os

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _reload_migration_data(django_db_blocker):
    """Empty every table and reload the rows the migrations made (facility types, the criteria catalogue...).

    Other apps' transactional tests end with a plain flush, which empties those tables and makes new
    content types; this puts the database back as migrated, whatever ran before. The serialized copy
    exists when some test of the run asked for serialized rollback (the compliance tests do); alone,
    this module runs on a freshly migrated database and needs no reload.
    """
    database = connections[DEFAULT_DB_ALIAS]
    if not hasattr(database, "_test_serialized_contents"):
        return
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, allow_cascade=True)
        database.creation.deserialize_db_from_string(database._test_serialized_contents)


@pytest.fixture(autouse=True)
def _migration_data(django_db_setup, django_db_blocker):
    """Autouse, so it is set up before the database fixtures and torn down after their final flush."""
    _reload_migration_data(django_db_blocker)
    yield
    _reload_migration_data(django_db_blocker)


@pytest.fixture
def server(request, transactional_db):
    """The live server, requested here rather than by name: named, pytest-django would set up the
    database before _migration_data, whose reload would then run before the final flush."""
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()  # its host in ALLOWED_HOSTS, as pytest-django does
    yield live_server
    live_server._live_server_modified_settings.disable()


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
