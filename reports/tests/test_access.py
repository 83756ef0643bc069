"""Who may do what with monthly reports; another facility's report answers 404, never its data."""

import pytest
from django.urls import reverse

from core.models import Status

REPORT_URLS = ["reports:detail", "reports:edit", "reports:submit", "reports:approve", "reports:return"]
FACILITY_URLS = ["reports:create", "reports:period_check"]


@pytest.mark.parametrize("name", REPORT_URLS)
def test_other_facility_staff_get_404_on_every_report_url(staff_client, other_report, name):
    url = reverse(name, args=[other_report.pk])
    for response in (staff_client.get(url), staff_client.post(url, {"comment": "x", "confirm": "on"})):
        assert response.status_code == 404
        assert other_report.facility.name not in response.content.decode()
    other_report.refresh_from_db()
    assert other_report.status == Status.SUBMITTED


@pytest.mark.parametrize("name", FACILITY_URLS)
def test_other_facility_staff_get_404_on_every_facility_url(staff_client, other_facility, name):
    url = reverse(name, args=[other_facility.code])
    assert staff_client.get(url).status_code == 404
    assert staff_client.post(url, {"period_month": "9", "period_year": "2026"}).status_code == 404


def test_the_write_urls_answer_405_to_get(officer_client, submitted):
    for name in ("reports:submit", "reports:approve", "reports:return"):
        assert officer_client.get(reverse(name, args=[submitted.pk])).status_code in (403, 405)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["reports:detail", "reports:edit"])
def test_staff_open_their_own_report(staff_client, draft, name):
    assert staff_client.get(reverse(name, args=[draft.pk])).status_code == 200


def test_the_head_writes_like_staff(head_client, facility):
    assert head_client.get(reverse("reports:create", args=[facility.code])).status_code == 200


def test_the_list_shows_only_own_facilities_reports(staff_client, submitted, other_report):
    body = staff_client.get(reverse("reports:list")).content.decode()
    assert submitted.facility.name in body
    assert other_report.facility.name not in body


def test_another_facilitys_code_in_the_list_filter_shows_nothing(staff_client, submitted, other_report):
    response = staff_client.get(reverse("reports:list"), {"facility": other_report.facility.code})
    assert response.context["page"].paginator.count == 0
    assert other_report.facility.name not in response.content.decode()


@pytest.mark.parametrize("fixture", ["staff_client", "head_client", "leadership_client"])
def test_only_officers_open_the_review_queue(db, request, fixture):
    client = request.getfixturevalue(fixture)
    assert client.get(reverse("reports:review_queue")).status_code == 403


def test_officers_open_the_review_queue(officer_client):
    assert officer_client.get(reverse("reports:review_queue")).status_code == 200


@pytest.mark.parametrize("url", ["/reports/", "/reports/review/", "/reports/1/", "/reports/new/70000/"])
def test_anonymous_users_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
