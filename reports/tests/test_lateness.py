"""Lateness is judged on the first submission (SPEC sections 4 and 6): a report sent on time, returned
and sent again after the due day stays on time everywhere lateness shows."""

import datetime
import importlib

from django.apps import apps
from django.urls import reverse

from compliance.selectors import reported_filter, reporting_completeness
from core.models import Status
from facilities.models import Facility
from reports import services
from reports.models import MonthlyReport
from reports.queue import review_items
from reports.tests.factories import MonthlyReportFactory

from .utils import at

SEPTEMBER = datetime.date(2026, 9, 1)  # due on 5 October


def _send_return_and_send_again(draft, staff, officer, clock, *, first, second, seen=None):
    """Submit at `first`, return, correct and submit again at `second`; `seen` gets the lateness after `first`."""
    clock.move_to(first)
    services.report_submit(report=draft, by=staff, attested_by_name="Đặng Hữu Phúc")
    draft.refresh_from_db()
    if seen is not None:
        seen.append(_lateness_everywhere(draft))
    services.report_return(report=draft, by=officer, comment="Sửa số khoa.")
    clock.move_to(second)
    draft.refresh_from_db()
    draft.departments_live = 4
    draft = services.report_save_draft(report=draft, by=staff, expected_version=draft.version)
    services.report_submit(report=draft, by=staff, attested_by_name="Đặng Hữu Phúc")
    draft.refresh_from_db()
    return draft


def _lateness_everywhere(report):
    """Every place that shows lateness or timeliness, for `report`'s facility and month."""
    facilities = Facility.objects.filter(pk=report.facility_id)
    (month,) = reporting_completeness(facilities, [report.period])
    (queued,) = [item for item in review_items(facilities=facilities) if item.url == report.get_absolute_url()]
    return {
        "property": report.is_late,
        "annotation": MonthlyReport.objects.with_late().get(pk=report.pk).submitted_late,
        "queue": queued.late,
        "on_time": (month.reported, month.on_time),
        "dashboard on time": facilities.filter(reported_filter(report.period, "on_time")).exists(),
        "dashboard late": facilities.filter(reported_filter(report.period, "late")).exists(),
    }


def test_sent_on_time_returned_and_sent_again_late_stays_on_time(client, staff, officer, draft, clock):
    seen = []
    report = _send_return_and_send_again(
        draft, staff, officer, clock, first=at(2026, 10, 4), second=at(2026, 10, 12, 15), seen=seen
    )

    assert report.status == Status.SUBMITTED
    assert report.first_submitted_at == at(2026, 10, 4)
    assert report.submitted_at == at(2026, 10, 12, 15)  # the last submission: the queue's order, days waiting
    submissions = report.history.filter(history_change_reason="submitted")
    assert set(submissions.values_list("first_submitted_at", flat=True)) == {at(2026, 10, 4)}  # kept in history
    assert (
        _lateness_everywhere(report)
        == seen[0]
        == {
            "property": False,
            "annotation": False,
            "queue": False,
            "on_time": (1, 1),
            "dashboard on time": True,
            "dashboard late": False,
        }
    )
    assert not MonthlyReport.objects.late().exists()
    client.force_login(staff)
    assert "nộp muộn" not in client.get(report.get_absolute_url()).content.decode()
    filtered = client.get(reverse("reports:list"), {"late": "yes"}).context["page"]
    assert list(filtered) == []


def test_a_first_submission_after_the_due_day_is_late_and_stays_late(staff, officer, draft, clock):
    report = _send_return_and_send_again(
        draft, staff, officer, clock, first=at(2026, 10, 6, 0, 5), second=at(2026, 10, 7)
    )
    assert report.first_submitted_at == at(2026, 10, 6, 0, 5)
    assert _lateness_everywhere(report) == {
        "property": True,
        "annotation": True,
        "queue": True,
        "on_time": (1, 0),
        "dashboard on time": False,
        "dashboard late": True,
    }
    assert MonthlyReport.objects.late().get() == report


def test_rows_without_a_first_submission_time_fall_back_to_the_last(facility):
    # The benchmark's generator writes reports by COPY without the column.
    report = MonthlyReportFactory(submitted=True, facility=facility, period=SEPTEMBER, submitted_at=at(2026, 10, 9))
    MonthlyReport.objects.filter(pk=report.pk).update(first_submitted_at=None)
    report.refresh_from_db()
    assert report.is_late
    assert MonthlyReport.objects.with_late().get().submitted_late


def test_the_migration_backfills_the_first_submission_from_the_history(staff, officer, draft, facility, clock):
    resent = _send_return_and_send_again(draft, staff, officer, clock, first=at(2026, 10, 4), second=at(2026, 10, 12))
    copied = MonthlyReportFactory(
        submitted=True, facility=facility, period=datetime.date(2026, 8, 1), submitted_at=at(2026, 9, 3)
    )
    copied.history.all().delete()  # written without history (a bulk copy)
    MonthlyReport.objects.update(first_submitted_at=None)
    migration = importlib.import_module("reports.migrations.0004_first_submitted_at")
    migration.backfill_first_submission(apps, None)
    resent.refresh_from_db()
    copied.refresh_from_db()
    assert resent.first_submitted_at == at(2026, 10, 4)
    assert copied.first_submitted_at == at(2026, 9, 3)
