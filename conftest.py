"""Project-wide fixtures: the cast of users and their clients, a facility of theirs and another one, the
service gates, and a real browser for the page tests.

With REQUIRE_SERVICES=1 (CI) a missing PostgreSQL, Redis broker, browser or LibreOffice fails the run
instead of skipping the tests that need it.

The browser is Debian's chromium driven by Playwright's sync API against pytest-django's
live_server; it never downloads a browser. A failing browser test leaves a screenshot in
test-artifacts/. The live server's tests commit their data (transactional), so the rows
that data migrations made (facility types, the criteria catalogue) are reloaded after the
flush that ends them (django_db_serialized_rollback makes the test database keep a copy).
"""

import functools
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.tests import migration_data
from core.tests.parallel import clear_cache, isolate_worker
from facilities.models import MemberRole
from facilities.tests.factories import FacilityFactory, MembershipFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@functools.cache
def _missing_services() -> dict[str, str]:
    missing = {}
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing["postgres"] = "DATABASE_URL does not point at PostgreSQL"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        missing["broker"] = "CELERY_BROKER_URL is not set"
    else:
        from core.views import broker_state

        if broker_state() != "ok":
            missing["broker"] = f"the broker at {settings.CELERY_BROKER_URL} does not answer"
    if not shutil.which(CHROMIUM):
        missing["browser"] = f"{CHROMIUM} is not installed"
    if not shutil.which("soffice"):
        missing["libreoffice"] = "soffice (libreoffice-calc) is not installed"
    return missing


def pytest_configure(config):
    isolate_worker()


def pytest_sessionstart(session):
    """Before any test, and under `pytest -n` in the main process, before the workers start."""
    missing = _missing_services()
    if REQUIRE_SERVICES and missing:
        pytest.exit("REQUIRE_SERVICES=1 but " + "; ".join(missing.values()), returncode=1)


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    for item in items:
        for marker, reason in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the fast reload of the migrated rows that transactional tests need."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            migration_data.install(connection)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The user factories hash a password per user; the production hasher costs ~0.5 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request in English (the test client's LocaleMiddleware) leaves
    English active in the worker's thread, and the next test's labels would depend on the order tests ran in."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def facility(db):
    return FacilityFactory(name="Trạm Y tế xã Tân Hồng")


@pytest.fixture
def other_facility(db):
    return FacilityFactory(name="Trạm Y tế phường Mỹ Tho")


@pytest.fixture
def staff(facility):
    """A staff member of `facility` only."""
    user = UserFactory(first_name="Võ Thị", last_name="Lan")
    MembershipFactory(user=user, facility=facility, role=MemberRole.STAFF)
    return user


@pytest.fixture
def head(facility):
    user = UserFactory(first_name="Đặng Hữu", last_name="Phúc")
    MembershipFactory(user=user, facility=facility, role=MemberRole.HEAD)
    return user


@pytest.fixture
def officer(db):
    return UserFactory(officer=True)


@pytest.fixture
def leadership(db):
    return UserFactory(leadership=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def head_client(client, head):
    client.force_login(head)
    return client


@pytest.fixture
def leadership_client(client, leadership):
    client.force_login(leadership)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Memoised blocks (dashboard.memo) never leak from one test's data into another's."""
    clear_cache()
    yield
    clear_cache()


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
    before any fixture of ours, so its flush would come after our teardown. After the run's last
    test the test database is gone already: nothing to reload.
    """
    blocker = getattr(item, "funcargs", {}).get("django_db_blocker")
    result = yield
    if blocker is not None and nextitem is not None and "live_server" in item.fixturenames:
        migration_data.reload(blocker)
    return result


@pytest.fixture
def _restore_migration_data(django_db_setup, django_db_blocker):
    """After the flush that ends a transactional test (a worker's, a race's), reload the rows data migrations
    made: the tests that run after it would find the facility types and the criteria catalogue missing."""
    yield
    migration_data.reload(django_db_blocker)


@pytest.fixture
def committed_db(_restore_migration_data, django_db_serialized_rollback, transactional_db):
    """A database whose writes commit (another connection, a worker's, sees them), left as found: the migrated rows
    are reloaded at its start and after its flush. Without the serialized rollback the flush would re-create the
    content types under new ids, and the next test that reloads the migrated rows would collide with them."""


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


@pytest.fixture
def server(request, transactional_db):
    """The live server, requested here rather than by name: named, pytest-django would set up the
    database before as_migrated (core.tests.migration_data), whose reload would then run before the final flush."""
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()  # its host in ALLOWED_HOSTS, as pytest-django does
    yield live_server
    live_server._live_server_modified_settings.disable()
