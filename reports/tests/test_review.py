"""The review page: each value beside the previous approved month, values far outside the facility's own
history flagged for the officer (reports/review.py states the rule), and the next item of the queue."""

import datetime

import pytest
from django.urls import reverse

from reports.review import review_sections, usual_range

from .factories import MonthlyReportFactory

pytestmark = pytest.mark.django_db


def month(m: int) -> datetime.date:
    return datetime.date(2026, m, 1)


@pytest.fixture
def history(facility):
    """May–August approved, with 180–220 inpatient records a month."""
    for m, records in [(5, 180), (6, 200), (7, 220), (8, 200)]:
        MonthlyReportFactory(
            approved=True, facility=facility, period=month(m), inpatient_records=records, inpatient_electronic=150
        )
    return facility


def test_usual_range_needs_three_months_and_widens_a_flat_history():
    assert usual_range([200, 210]) is None
    assert usual_range([180, 200, 220, 200]) == pytest.approx((140.0, 260.0))  # the spread is a tenth of the mean: 20
    low, high = usual_range([4, 4, 4])
    assert (low, high) == pytest.approx((1.0, 7.0))


def test_each_value_sits_beside_last_approved_month_and_a_change_is_marked(history):
    report = MonthlyReportFactory(submitted=True, facility=history, period=month(9), inpatient_records=210)
    previous, sections = review_sections(report)
    assert previous.period == month(8)
    rows = {row.name: row for _title, rows in sections for row in rows}
    assert (rows["inpatient_records"].value, rows["inpatient_records"].previous) == ("210", "200")
    assert rows["inpatient_records"].changed and not rows["inpatient_records"].outlier
    assert not rows["departments_total"].changed


def test_a_value_far_outside_the_facility_history_is_flagged(history):
    report = MonthlyReportFactory(submitted=True, facility=history, period=month(9), inpatient_records=2000)
    _previous, sections = review_sections(report)
    rows = {row.name: row for _title, rows in sections for row in rows}
    assert "140–260" in rows["inpatient_records"].outlier
    assert not rows["outpatient_visits"].outlier


def test_a_short_history_flags_nothing(facility):
    MonthlyReportFactory(approved=True, facility=facility, period=month(8), inpatient_records=20)
    report = MonthlyReportFactory(submitted=True, facility=facility, period=month(9), inpatient_records=2000)
    _previous, sections = review_sections(report)
    assert not any(row.outlier for _title, rows in sections for row in rows)


def test_the_officer_sees_the_comparison_the_flag_and_the_next_item(officer_client, history, other_report):
    report = MonthlyReportFactory(
        submitted=True, facility=history, period=month(9), inpatient_records=2000, inpatient_electronic=150
    )
    response = officer_client.get(reverse("reports:detail", args=[report.pk]))
    page = response.content.decode()
    assert 'id="compared-with"' in page and "08/2026" in page
    assert page.count("data-outlier") == 1
    assert response.context["next_item"].url == other_report.get_absolute_url()


def test_facility_staff_see_the_comparison_but_no_flag_nor_queue(staff_client, history):
    report = MonthlyReportFactory(submitted=True, facility=history, period=month(9), inpatient_records=2000)
    response = staff_client.get(reverse("reports:detail", args=[report.pk]))
    assert 'id="compared-with"' in response.content.decode()
    assert "data-outlier" not in response.content.decode()
    assert response.context["next_item"] is None


def test_the_edit_form_of_a_returned_report_shows_the_officers_reason(staff_client, facility):
    report = MonthlyReportFactory(
        returned=True, facility=facility, period=month(9), review_comment="Số khoa không khớp."
    )
    response = staff_client.get(reverse("reports:edit", args=[report.pk]))
    assert response.status_code == 200
    assert 'id="return-reason"' in response.content.decode() and "Số khoa không khớp." in response.content.decode()


def test_filter_selects_offer_all_instead_of_dashes(officer_client):
    page = officer_client.get(reverse("reports:review_queue")).content.decode()
    assert "---------" not in page and ">Tất cả</option>" in page
    page = officer_client.get(reverse("reports:list")).content.decode()
    assert "---------" not in page


def test_next_item_goes_to_the_oldest_other_submission_or_back_to_the_queue(officer_client, submitted):
    url = reverse("reports:review_next")
    response = officer_client.get(url, {"after": submitted.get_absolute_url()})
    assert response.status_code == 302 and response.url == reverse("reports:review_queue")
    response = officer_client.get(url, {"after": "/assessments/1/"})
    assert response.url == submitted.get_absolute_url()


def test_next_item_is_for_officers_only(staff_client):
    assert staff_client.get(reverse("reports:review_next")).status_code == 403
