"""The monthly report form: every rule of SPEC section 4, its boundaries, and messages next to the field."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from core.models import Status
from reports.forms import validate_report
from reports.models import MonthlyReport, Stage
from reports.tests.factories import MonthlyReportFactory

from .utils import form_data


def post_new(client, facility, **overrides):
    return client.post(reverse("reports:create", args=[facility.code]), form_data(**overrides))


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


def test_a_valid_report_is_saved_as_a_draft(staff_client, staff, facility):
    response = post_new(staff_client, facility)
    report = MonthlyReport.objects.get(facility=facility)
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.status == Status.DRAFT
    assert report.period == datetime.date(2026, 9, 1)
    assert report.created_by == staff
    assert report.version == 1


def test_vietnamese_separators_are_read(staff_client, facility):
    post_new(staff_client, facility, spending_to_date="1.234.567", outpatient_visits="1.250", bhxh_on_time_share="95,5")
    report = MonthlyReport.objects.get(facility=facility)
    assert report.spending_to_date == 1_234_567
    assert report.outpatient_visits == 1250
    assert report.bhxh_on_time_share == Decimal("95.5")


def test_amount_is_shown_with_vietnamese_separators(staff_client, facility):
    post_new(staff_client, facility, spending_to_date="1234567 ₫")
    report = MonthlyReport.objects.get(facility=facility)
    assert "1.234.567\u00a0₫" in staff_client.get(report.get_absolute_url()).content.decode()  # no line break
    assert 'value="1.234.567"' in staff_client.get(reverse("reports:edit", args=[report.pk])).content.decode()


def test_dates_are_typed_as_dd_mm_yyyy(staff_client, facility):
    post_new(staff_client, facility, last_backup_date="02/09/2026")
    assert MonthlyReport.objects.get(facility=facility).last_backup_date == datetime.date(2026, 9, 2)


@pytest.mark.parametrize(("live", "total"), [("4", "4"), ("0", "4"), ("0", "0")])
def test_departments_live_up_to_the_total_are_accepted(staff_client, facility, live, total):
    response = post_new(staff_client, facility, departments_live=live, departments_total=total)
    assert response.status_code == 302


def test_more_departments_live_than_total_are_refused_next_to_the_field(staff_client, facility):
    response = post_new(staff_client, facility, departments_live="5", departments_total="4")
    assert response.status_code == 200
    assert field_errors(response, "departments_live") == [
        "Số khoa triển khai không được lớn hơn tổng số khoa lâm sàng (4)."
    ]
    assert "Số khoa triển khai không được lớn hơn tổng số khoa lâm sàng (4)." in response.content.decode()
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    ("part", "total"),
    [
        ("inpatient_electronic", "inpatient_records"),
        ("outpatient_electronic", "outpatient_visits"),
        ("signers_with_certificate", "signers_total"),
        ("staff_trained", "staff_total"),
    ],
)
def test_parts_never_exceed_their_totals(staff_client, facility, part, total):
    response = post_new(staff_client, facility, **{part: "11", total: "10"})
    assert response.status_code == 200
    assert "(10)" in field_errors(response, part)[0]
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    "name", ["departments_total", "departments_live", "inpatient_records", "staff_total", "spending_to_date"]
)
def test_negative_numbers_are_refused(staff_client, facility, name):
    response = post_new(staff_client, facility, **{name: "-1"})
    assert field_errors(response, name) == ["Không được là số âm."]
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("100", True), ("100,5", False), ("-1", False)])
def test_percentages_are_between_0_and_100(staff_client, facility, value, ok):
    response = post_new(staff_client, facility, signed_share=value)
    assert (response.status_code == 302) is ok
    if not ok:
        assert field_errors(response, "signed_share") == ["Nhập tỷ lệ phần trăm từ 0 đến 100."]


def test_a_decimal_count_is_refused_not_misread(staff_client, facility):
    response = post_new(staff_client, facility, outpatient_visits="12,5")
    assert field_errors(response, "outpatient_visits")


def test_the_current_month_is_accepted(staff_client, facility):
    assert post_new(staff_client, facility, month=10, year=2026).status_code == 302


def test_a_future_month_is_refused(staff_client, facility):
    response = post_new(staff_client, facility, month=11, year=2026)
    assert field_errors(response, "period") == [
        "Tháng này chưa bắt đầu: hãy báo cáo tháng hiện tại hoặc một tháng trước đó."
    ]
    assert not MonthlyReport.objects.exists()


def test_a_month_before_the_programme_is_refused(staff_client, facility, settings):
    settings.PROGRAMME_START = datetime.date(2025, 3, 1)
    assert post_new(staff_client, facility, month=2, year=2025).status_code == 200
    assert post_new(staff_client, facility, month=3, year=2025).status_code == 302


def test_today_is_accepted_and_tomorrow_refused(staff_client, facility):
    assert post_new(staff_client, facility, last_backup_date="03/10/2026").status_code == 302
    MonthlyReport.objects.all().delete()
    response = post_new(staff_client, facility, last_backup_date="04/10/2026")
    assert field_errors(response, "last_backup_date") == ["Ngày này ở tương lai."]
    assert not MonthlyReport.objects.exists()


def test_a_date_before_the_programme_is_refused(staff_client, facility):
    response = post_new(staff_client, facility, last_restore_test_date="31/12/2024")
    assert field_errors(response, "last_restore_test_date") == ["Ngày này trước khi chương trình bắt đầu (01/01/2025)."]


def test_a_drop_in_departments_live_needs_an_explanation(staff_client, facility, approved_august):
    response = post_new(staff_client, facility, departments_live="2")
    assert field_errors(response, "departments_drop_explanation") == [
        "Số khoa triển khai ít hơn tháng được duyệt gần nhất (08/2026: 3). Hãy giải thích lý do."
    ]
    assert not MonthlyReport.objects.filter(period=datetime.date(2026, 9, 1)).exists()
    response = post_new(
        staff_client, facility, departments_live="2", departments_drop_explanation="Khoa Nhi tạm ngừng để sửa chữa."
    )
    assert response.status_code == 302


def test_a_drop_against_an_unapproved_month_needs_no_explanation(staff_client, facility):
    MonthlyReportFactory(facility=facility, period=datetime.date(2026, 8, 1), departments_live=4)
    assert post_new(staff_client, facility, departments_live="2").status_code == 302


def test_a_stage_moving_back_needs_an_explanation(staff_client, facility, approved_august):
    response = post_new(staff_client, facility, stage=str(Stage.PILOT))
    assert "08/2026" in field_errors(response, "stage_explanation")[0]
    response = post_new(staff_client, facility, stage=str(Stage.PILOT), stage_explanation="Thay phần mềm HIS.")
    assert response.status_code == 302


@pytest.mark.parametrize("stage", [Stage.SELF_ASSESSED, Stage.DECISION_ISSUED, Stage.ANNOUNCED, Stage.PAPERLESS])
def test_the_legal_steps_are_not_report_stages(staff_client, facility, stage):
    """They are milestones now (SPEC section 4a): the report's stage stops at hospital-wide."""
    response = post_new(staff_client, facility, stage=str(stage))
    assert field_errors(response, "stage")
    assert not MonthlyReport.objects.exists()


def test_the_report_form_no_longer_asks_for_the_decision(staff_client, facility):
    response = staff_client.get(reverse("reports:create", args=[facility.code]))
    body = response.content.decode()
    for name in ("decision_number", "decision_date", "announced_date", "paper_stopped_date"):
        assert f'name="{name}"' not in body
    offered = [value for value, _label in response.context["form"].fields["stage"].choices]
    assert offered == [Stage.NOT_STARTED, Stage.PLANNED, Stage.PILOT, Stage.HOSPITAL_WIDE]


def test_an_approved_security_dossier_needs_its_decision_date(staff_client, facility):
    response = post_new(staff_client, facility, security_approved="on")
    assert field_errors(response, "security_decision_date")
    assert post_new(staff_client, facility, security_approved="on", security_decision_date="10/07/2026").status_code


def test_a_month_that_already_has_a_report_is_refused_with_a_link(staff_client, facility, draft):
    response = post_new(staff_client, facility, month=9, year=2026)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cơ sở đã có báo cáo tháng 09/2026." in body
    assert draft.get_absolute_url() in body
    assert MonthlyReport.objects.count() == 1


def test_the_form_warns_before_typing_when_the_month_has_a_report(staff_client, facility):
    MonthlyReportFactory(facility=facility, period=datetime.date(2026, 9, 1))
    existing = MonthlyReportFactory(facility=facility, period=datetime.date(2026, 10, 1))
    body = staff_client.get(reverse("reports:create", args=[facility.code])).content.decode()
    assert "Cơ sở đã có báo cáo tháng 10/2026." in body
    assert existing.get_absolute_url() in body


def test_the_period_check_answers_for_the_chosen_month(staff_client, facility, draft):
    url = reverse("reports:period_check", args=[facility.code])
    assert draft.get_absolute_url() in staff_client.get(url, {"period_month": 9, "period_year": 2026}).content.decode()
    assert "Cơ sở đã có" not in staff_client.get(url, {"period_month": 8, "period_year": 2026}).content.decode()
    body = staff_client.get(url, {"period_month": 9, "period_year": 2026, "report": draft.pk}).content.decode()
    assert "Cơ sở đã có" not in body


def test_the_database_refuses_a_second_report_for_the_month(facility, draft):
    with pytest.raises(IntegrityError):
        MonthlyReport.objects.create(facility=facility, period=datetime.date(2026, 9, 1))


def test_the_database_refuses_a_part_above_its_total(facility):
    with pytest.raises(IntegrityError):
        MonthlyReport.objects.create(
            facility=facility, period=datetime.date(2026, 9, 1), departments_total=3, departments_live=4
        )


def test_a_new_report_is_prefilled_from_the_last_approved_one(staff_client, facility):
    MonthlyReportFactory(
        approved=True,
        facility=facility,
        period=datetime.date(2026, 7, 1),
        departments_total=9,
        departments_live=9,
        difficulties="Cũ",
    )
    MonthlyReportFactory(
        approved=True,
        facility=facility,
        period=datetime.date(2026, 8, 1),
        departments_total=5,
        departments_live=4,
        spending_to_date=250_000_000,
        difficulties="Thiếu máy tính bảng cho điều dưỡng.",
        support_requested="Hỗ trợ kinh phí.",
        needs_escalation=True,
        stage_explanation="Không áp dụng",
    )
    MonthlyReportFactory(facility=facility, period=datetime.date(2026, 6, 1), departments_total=7)
    form = staff_client.get(reverse("reports:create", args=[facility.code])).context["form"]
    assert form["departments_total"].value() == 5
    assert form["departments_live"].value() == 4
    assert form.initial["spending_to_date"] == 250_000_000
    assert form["period"].value() == datetime.date(2026, 9, 1)
    for name in ("difficulties", "support_requested", "needs_escalation", "stage_explanation"):
        assert not form[name].value()
    body = staff_client.get(reverse("reports:create", args=[facility.code])).content.decode()
    assert 'value="250.000.000"' in body
    assert "08/2026" in body


def test_validate_report_checks_a_dict_of_python_values(facility, approved_august):
    form = validate_report(
        facility=facility,
        values={"period": datetime.date(2026, 9, 1), "departments_total": 4, "departments_live": 5},
        today=datetime.date(2026, 10, 3),
    )
    assert not form.is_valid()
    assert list(form.errors) == ["departments_live"]
    form = validate_report(
        facility=facility,
        values={"period": "09/2026", "departments_live": 4, "spending_to_date": 300_000_000, "lis_live": False},
        today=datetime.date(2026, 10, 3),
    )
    assert form.is_valid(), form.errors
    assert form.instance.departments_total == approved_august.departments_total
    assert form.instance.spending_to_date == 300_000_000
    assert form.instance.lis_live is False


def test_validate_report_refuses_a_duplicate_month(facility, draft):
    form = validate_report(facility=facility, values={"period": datetime.date(2026, 9, 1)})
    assert list(form.errors) == ["period"]


def test_a_month_can_be_preselected_by_the_link(staff_client, facility):
    url = reverse("reports:create", args=[facility.code])
    assert staff_client.get(url, {"month": "2026-07"}).context["form"]["period"].value() == datetime.date(2026, 7, 1)
    assert staff_client.get(url, {"month": "rubbish"}).context["form"]["period"].value() == datetime.date(2026, 9, 1)
