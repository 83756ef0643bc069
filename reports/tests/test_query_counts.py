"""What a request of the form and review paths costs: a fixed number of queries, whatever the facility's
history (the review queue and the list: test_lists; the report page: test_history).

Each page is opened once before it is counted: the first request of a session renews it (a write,
once a minute: accounts.middleware), the counted one is a request in the middle of a working session.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from compliance import rollups
from reports.tests.factories import MonthlyReportFactory

from .utils import form_data


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def approved_months(facility, count: int) -> None:
    """`count` approved reports ending with August 2026."""
    for months_back in range(count):
        year, month = divmod(2026 * 12 + 7 - months_back, 12)
        MonthlyReportFactory(approved=True, facility=facility, period=datetime.date(year, month + 1, 1))


@pytest.mark.parametrize("history", [1, 14])
def test_the_new_report_form_reads_the_last_approved_report_once(
    staff_client, facility, history, django_assert_max_num_queries
):
    """Session, user, facility, membership, the month's reports, the last approved report."""
    approved_months(facility, history)
    url = reverse("reports:create", args=[facility.code])
    staff_client.get(url)
    with django_assert_max_num_queries(6):
        response = staff_client.get(url)
    assert response.context["last_approved"].period == datetime.date(2026, 8, 1)
    assert response.context["form"].initial["period"] == datetime.date(2026, 9, 1)


@pytest.mark.parametrize("history", [1, 14])
def test_saving_a_new_report_costs_a_fixed_number_of_queries(
    staff_client, facility, history, django_assert_max_num_queries
):
    """No query per check constraint: the form's own rules check them (see MonthlyReport.full_clean)."""
    approved_months(facility, history)
    staff_client.get(reverse("reports:list"))
    with django_assert_max_num_queries(11):
        response = staff_client.post(reverse("reports:create", args=[facility.code]), form_data())
    assert response.status_code == 302


def test_the_form_still_refuses_what_the_table_forbids(staff_client, facility):
    response = staff_client.post(
        reverse("reports:create", args=[facility.code]),
        form_data(departments_live="9", departments_total="4", signed_share="120"),
    )
    form = response.context["form"]
    assert set(form.errors) == {"departments_live", "signed_share"}


@pytest.mark.parametrize("history", [1, 14])
def test_submit_return_and_approve_cost_a_fixed_number_of_queries(
    facility, staff, head, officer, history, django_assert_max_num_queries
):
    approved_months(facility, history)
    report = MonthlyReportFactory(facility=facility, period=datetime.date(2026, 9, 1))
    rollups.refresh_current()  # the day's rollups exist (its first write builds them whole)
    as_head, as_officer = logged_in(head), logged_in(officer)
    as_head.get(reverse("reports:list"))
    as_officer.get(reverse("reports:list"))
    submit = reverse("reports:submit", args=[report.pk])
    attestation = {"attested_by_name": "Đặng Hữu Phúc", "confirm": "on", "version": report.version}
    # two reads of the month rules, the locks, the write and its history; the reporting rollup of its cell (6: the
    # cell, the lock, whether the day has rows, a delete and two inserts)
    with django_assert_max_num_queries(20):
        assert as_head.post(submit, attestation).status_code == 302
    with django_assert_max_num_queries(14):  # session, user, report; the lock, the write and its history; the rollup
        response = as_officer.post(reverse("reports:return", args=[report.pk]), {"comment": "Sửa số khoa."})
    assert response.status_code == 302
    as_head.post(submit, attestation | {"version": report.version + 2})
    with django_assert_max_num_queries(8):
        assert as_officer.post(reverse("reports:approve", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
