"""The report page's audit timeline: who, when, each transition, and each value old -> new."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.history import report_timeline
from reports.models import MonthlyReport, Stage

from .utils import form_data


def make_history(staff, officer, facility):
    """A report created, edited, submitted, returned, edited, submitted and approved through the services."""
    report = MonthlyReport(facility=facility, period=datetime.date(2026, 9, 1), departments_total=4)
    report = services.report_save_draft(report=report, by=staff, expected_version=None)
    report.departments_live = 2
    report.stage = Stage.PILOT
    report.lis_live = True
    report.spending_to_date = 1_500_000
    report = services.report_save_draft(report=report, by=staff, expected_version=report.version)
    report = services.report_submit(report=report, by=staff, attested_by_name="Đặng Hữu Phúc")
    report = services.report_return(report=report, by=officer, comment="Kiểm tra lại số khoa triển khai.")
    report.departments_live = 3
    report.last_backup_date = datetime.date(2026, 9, 30)
    report = services.report_save_draft(report=report, by=staff, expected_version=report.version)
    report = services.report_submit(report=report, by=staff, attested_by_name="Đặng Hữu Phúc")
    return services.report_approve(report=report, by=officer)


def test_every_transition_is_a_history_row_with_its_user(staff, officer, facility):
    report = make_history(staff, officer, facility)
    rows = report.history.order_by("history_date", "history_id")
    assert [(r.history_change_reason, r.history_user) for r in rows] == [
        ("created", staff),
        ("edited", staff),
        ("submitted", staff),
        ("returned", officer),
        ("edited", staff),
        ("submitted", staff),
        ("approved", officer),
    ]


def test_the_timeline_shows_old_and_new_values_with_labels(staff, officer, facility):
    report = make_history(staff, officer, facility)
    timeline = report_timeline(report)
    assert [e.reason for e in timeline] == [
        "approved",
        "submitted",
        "edited",
        "returned",
        "submitted",
        "edited",
        "created",
    ]
    first_edit = timeline[-2]
    changes = {c.label: (c.old, c.new) for c in first_edit.changes}
    assert changes == {
        "giai đoạn triển khai": ("Chưa triển khai", "Thí điểm (một số khoa)"),
        "số khoa triển khai HSBA điện tử": ("0", "2"),
        "đã vận hành LIS": ("không", "có"),
        "kinh phí đã chi đến nay (đồng)": ("—", "1.500.000\u00a0₫"),
    }
    assert [c.label for c in first_edit.changes][0] == "giai đoạn triển khai"  # in the form's order
    second_edit = timeline[2]
    assert {c.label: (c.old, c.new) for c in second_edit.changes} == {
        "số khoa triển khai HSBA điện tử": ("2", "3"),
        "lần sao lưu thành công gần nhất": ("—", "30/09/2026"),
    }
    assert timeline[3].comment == "Kiểm tra lại số khoa triển khai."
    assert timeline[1].attested_by == "Đặng Hữu Phúc"
    assert not timeline[0].changes  # a transition changes no reported value


def test_the_report_page_costs_the_same_queries_whatever_the_history_length(staff, officer, facility, other_facility):
    short = services.report_save_draft(
        report=MonthlyReport(facility=other_facility, period=datetime.date(2026, 9, 1)), by=staff, expected_version=None
    )
    long = make_history(staff, officer, facility)
    client = Client()
    client.force_login(officer)
    client.get(reverse("reports:list"))  # the session's renewal (once a minute) is not the page's cost
    counts = []
    for report in (short, long):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(report.get_absolute_url()).content.decode()
        counts.append(len(queries))
    # Session, user, the report with its facility and people, membership, the approved months before it,
    # the next item awaiting review (none here; its facility is one more), the whole history in one query.
    assert counts == [7, 7]
    assert "Kiểm tra lại số khoa triển khai." in body
    assert '<del class="text-muted">2</del> → <strong>3</strong>' in body


def test_a_page_edit_is_recorded_with_the_user(staff_client, staff, draft):
    staff_client.post(reverse("reports:edit", args=[draft.pk]), form_data(departments_live="1", version=draft.version))
    row = draft.history.order_by("-history_id").first()
    assert row.history_user == staff
    assert row.history_change_reason == "edited"
    assert row.departments_live == 1
