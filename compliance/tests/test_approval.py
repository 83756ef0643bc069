"""An officer approves a monthly report through the web client: the approval is saved and answered quickly
whatever the broker's state, and (without a broker, the `make run` set-up) recomputed at once."""

import time

import pytest
from django.urls import reverse

from assessments.tests.factories import AssessmentFactory
from compliance.models import FacilityCompliance
from core.models import Status
from core.tests.dates import month
from reports.models import MonthlyReport
from reports.tests.factories import MonthlyReportFactory

APPROVED = "Đã duyệt báo cáo"  # the reports app's success message, in Vietnamese


@pytest.fixture
def submitted(facility):
    AssessmentFactory(approved=True, facility=facility)
    return MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-01"), status=Status.SUBMITTED, reviewed_at=None
    )


def approve(client, report):
    started = time.monotonic()
    response = client.post(reverse("reports:approve", args=[report.pk]), follow=True)
    return response, time.monotonic() - started


@pytest.mark.parametrize("broker", ["unreachable_broker", "hung_broker"])
def test_approval_is_saved_and_answered_within_5_seconds_when_the_broker_is_down(
    committed_db, broker, request, officer_client, submitted
):
    request.getfixturevalue(broker)
    response, seconds = approve(officer_client, submitted)
    assert seconds < 5
    assert response.status_code == 200 and response.redirect_chain[-1][1] == 302
    assert APPROVED in response.content.decode()
    assert MonthlyReport.objects.get(pk=submitted.pk).status == Status.APPROVED
    assert not FacilityCompliance.objects.exists()  # the nightly run catches up


def test_without_a_broker_the_approval_recomputes_in_process(committed_db, officer_client, submitted, settings):
    """The `make run` configuration: no CELERY_BROKER_URL, tasks run in the request."""
    from rollout_portal.celery import app

    saved, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        response, _ = approve(officer_client, submitted)
    finally:
        app.conf.task_always_eager = saved
    assert response.status_code == 200
    compliance = FacilityCompliance.objects.get(facility=submitted.facility)
    assert compliance.latest_period == month("2026-01")


def test_facility_staff_cannot_approve_and_nothing_is_recomputed(staff_client, submitted):
    response = staff_client.post(reverse("reports:approve", args=[submitted.pk]))
    assert response.status_code == 403
    assert MonthlyReport.objects.get(pk=submitted.pk).status == Status.SUBMITTED
