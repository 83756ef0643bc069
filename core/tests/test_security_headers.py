"""Every page carries the Content-Security-Policy and `Cache-Control: no-store`, and no inline script or style.

The URLs come from the resolver (core.tests.resolver), filled with real objects the user may see, so a
page added later is checked without being listed here.
"""

import datetime
import re
import uuid

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from assessments.tests.factories import AssessmentFactory, EvidenceFactory
from exports.tests.factories import ExportFactory
from reports.tests.factories import MonthlyReportFactory

from .resolver import placeholder, routes

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.fixture
def values(facility, staff, officer):
    """A real object for every URL argument: the staff member's facility, report, assessment, file, export."""
    assessment = AssessmentFactory(facility=facility)
    return {
        "code": facility.code,
        "reports": MonthlyReportFactory(facility=facility, period=datetime.date(2026, 9, 1)).pk,
        "assessments": assessment.pk,
        "evidence": EvidenceFactory(assessment=assessment).pk,
        "facilities": staff.memberships.get().pk,
        "exports": ExportFactory(user=officer).pk,
    }


EVIDENCE_ROUTES = {"assessments:evidence", "assessments:evidence_delete"}


def _url(route, values):
    """The route filled from `values` (by argument, then by namespace), else with a placeholder."""
    key = {"code": "code"}
    kwargs = {}
    for name, converter in route.converters.items():
        source = key.get(name) or ("evidence" if route.name in EVIDENCE_ROUTES else route.name.split(":")[0])
        value = values.get(source)
        fits = value is not None and (type(converter).__name__ == "UUIDConverter") == isinstance(value, uuid.UUID)
        kwargs[name] = value if fits else placeholder(name, converter)
    return reverse(route.name, kwargs=kwargs)


def assert_hardened(response, url):
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
    assert "frame-ancestors 'none'" in policy, url
    assert "no-store" in response.headers.get("Cache-Control", ""), url
    if response.headers.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER):
            found = pattern.search(body)
            assert found is None, f"{url}: {body[max(found.start() - 80, 0) : found.end() + 80]}"


@pytest.mark.parametrize("role", ["officer", "staff", "leadership"])
@pytest.mark.parametrize("route", routes(), ids=str)
def test_every_page_carries_the_policy_and_no_store(client, request, values, role, route):
    client.force_login(request.getfixturevalue(role))
    url = _url(route, values)
    response = client.get(url)
    assert response.status_code < 500, url
    assert_hardened(response, url)


@pytest.mark.parametrize("route", routes(), ids=str)
def test_every_page_answers_an_outsider_with_the_policy(client, db, route):
    url = _url(route, {"code": "70000"})
    assert_hardened(client.get(url), url)


def test_the_log_in_page_and_django_admin_carry_them_too(client, db):
    assert_hardened(client.get(reverse("login")), "login")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (reverse("admin:index"), reverse("admin:facilities_facility_changelist")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_download_is_not_kept_by_the_browser(officer_client, facility):
    response = officer_client.get(reverse("facilities:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(client, db):
    """WhiteNoise answers them before the middleware: only the portal's own responses are no-store."""
    response = client.get("/static/css/portal.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
