"""Project-wide fixtures: the cast of users, a facility of theirs and another one, and the service gates.

With REQUIRE_SERVICES=1 (CI) a missing PostgreSQL, Redis broker or browser fails the run
instead of skipping the tests that need it.
"""

import os
import shutil

import pytest
from django.conf import settings

from accounts.tests.factories import LeadershipFactory, OfficerFactory, UserFactory
from facilities.models import MemberRole
from facilities.tests.factories import FacilityFactory, MembershipFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


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
    return missing


def pytest_collection_modifyitems(config, items):
    missing = _missing_services()
    if REQUIRE_SERVICES and missing:
        pytest.exit("REQUIRE_SERVICES=1 but " + "; ".join(missing.values()), returncode=1)
    for item in items:
        for marker, reason in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The user factories hash a password per user; the production hasher costs ~0.5 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
    return OfficerFactory()


@pytest.fixture
def leadership(db):
    return LeadershipFactory()


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
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
