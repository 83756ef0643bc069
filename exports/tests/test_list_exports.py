import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from compliance.models import ComplianceStatus, PaperlessStatus
from compliance.tests.factories import FacilityComplianceFactory
from exports.models import Export
from exports.tests.helpers import response_workbook, table
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type
from reports.tests.factories import MonthlyReportFactory

URL = reverse("exports:facility_list")
TODAY = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def codes(response) -> list[str]:
    return [row["Mã cơ sở"].value for row in table(response_workbook(response)["Danh sách cơ sở"])]


def test_officer_exports_the_filtered_facility_list(officer_client, facility, other_facility):
    hospital = FacilityFactory(code="82001", name="Bệnh viện Đa khoa Đồng Tháp", type=facility_type("general_hospital"))
    FacilityComplianceFactory(
        facility=hospital,
        status=ComplianceStatus.AT_RISK,
        progress=Decimal("0.4500"),
        reasons=[{"code": "decision_missing"}, {"code": "departments", "live": 9, "total": 20}],
        paperless_status=PaperlessStatus.PAPER_IN_USE,
        paperless_reasons=[{"code": "not_deployed"}, {"code": "paper_stop_missing"}],
    )
    response = officer_client.post(f"{URL}?type=general_hospital&page=2")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach-co-so-2026-11-25.xlsx"'
    sheet = response_workbook(response)["Danh sách cơ sở"]
    rows = table(sheet)
    assert [r["Mã cơ sở"].value for r in rows] == ["82001"]
    row = rows[0]
    assert row["Tên cơ sở"].value == "Bệnh viện Đa khoa Đồng Tháp"
    assert row["Tình trạng triển khai"].value == str(ComplianceStatus.AT_RISK.label)
    assert row["Lý do"].value == (
        "Chưa có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy; Khoa triển khai HSBA điện tử: 9/20"
    )
    assert row["Tình trạng thay thế bệnh án giấy"].value == "Còn dùng bệnh án giấy"
    assert row["Lý do (bệnh án giấy)"].value == "Chưa triển khai HSBA điện tử; Chưa có mốc ngừng sử dụng bệnh án giấy"
    assert row["Hạn theo quy định (TT 13/2025)"].value == datetime.datetime(2025, 9, 30)
    assert row["Tỷ lệ khoa triển khai"].value == pytest.approx(0.45)
    assert row["Tỷ lệ khoa triển khai"].number_format == "0.0%"
    assert row["Hạn hoàn thành"].is_date
    assert row["Số giường"].data_type == "n"
    assert sheet["A5"].value == "Số liệu tính đến ngày 25/11/2026"
    assert sheet["A6"].value == "Bộ lọc: Loại hình: Bệnh viện đa khoa tỉnh"  # the filters applied


def test_search_filter_ignores_diacritics_in_the_export_too(officer_client, facility, other_facility):
    assert codes(officer_client.post(f"{URL}?q=tan+hong")) == [facility.code]


def test_facility_staff_export_only_their_own_facilities(staff_client, facility, other_facility):
    assert codes(staff_client.post(URL)) == [facility.code]
    # Asking for another facility's area or code by filter finds nothing rather than their data.
    assert codes(staff_client.post(f"{URL}?q={other_facility.code}")) == []


def test_leadership_exports_the_whole_province(client, leadership, facility, other_facility):
    client.force_login(leadership)
    assert codes(client.post(URL)) == sorted([facility.code, other_facility.code])


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.post(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_export_needs_a_post(officer_client):
    assert officer_client.get(URL).status_code == 405


def test_a_facility_named_like_a_formula_is_exported_as_text(officer_client):
    FacilityFactory(code="82999", name='=HYPERLINK("http://x","y")', address="@SUM(1)", head_phone="+84 912")
    row = table(response_workbook(officer_client.post(URL))["Danh sách cơ sở"])[0]
    expected = {"Tên cơ sở": '=HYPERLINK("http://x","y")', "Địa chỉ": "@SUM(1)", "Điện thoại": "+84 912"}
    for heading, text in expected.items():
        assert row[heading].value == text
        assert row[heading].data_type == "s"


def test_query_count_does_not_grow_with_the_facilities(officer_client, django_assert_max_num_queries):
    area = AreaFactory()
    for n in range(30):
        facility = FacilityFactory(area=area, code=f"8{n:04d}")
        FacilityComplianceFactory(reasons=[], facility=facility)
    # session and user; the area filter and the count deciding stream or background; the area filter again
    # and the rows in one query; the session's renewal (savepoint, update, release).
    with django_assert_max_num_queries(9):
        response = officer_client.post(f"{URL}?area={area.code}")
    assert len(codes(response)) == 30


def test_small_exports_stream_without_recording_an_export(officer_client, facility):
    officer_client.post(URL)
    assert not Export.objects.exists()


def test_the_list_page_offers_the_export_button_with_its_filters(officer_client, facility):
    response = officer_client.get(reverse("facilities:list") + "?type=health_station")
    body = response.content.decode()
    assert f'action="{URL}?type=health_station"' in body
    assert "Xuất Excel" in body


# Monthly reports list and review queue -------------------------------------------------------

REPORTS_URL = reverse("exports:report_list")
QUEUE_URL = reverse("exports:review_queue")


def sheet_rows(response, name):
    return table(response_workbook(response)[name])


def test_the_reports_list_exports_with_its_filters(officer_client, facility, other_facility):
    mine = MonthlyReportFactory(
        submitted=True,
        facility=facility,
        period=datetime.date(2026, 10, 1),
        difficulties='=HYPERLINK("http://x","y")',
        bhxh_on_time_share=Decimal("95.5"),
        needs_escalation=True,
    )
    MonthlyReportFactory(approved=True, facility=facility, period=datetime.date(2026, 9, 1))
    MonthlyReportFactory(submitted=True, facility=other_facility, period=datetime.date(2026, 10, 1))
    response = officer_client.post(f"{REPORTS_URL}?status=submitted&q=tan+hong")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-thang-2026-11-25.xlsx"'
    rows = sheet_rows(response, "Báo cáo tháng")
    assert len(rows) == 1
    row = rows[0]
    assert row["Mã cơ sở"].value == facility.code
    month = row["Tháng báo cáo"]
    assert month.value == datetime.datetime(2026, 10, 1) and month.number_format == "mm/yyyy"
    assert row["Trạng thái"].value == "Đã gửi"
    assert row["Gửi XML BHXH đúng hạn"].value == pytest.approx(0.955)
    assert row["Số khoa triển khai"].value == mine.departments_live and row["Số khoa triển khai"].data_type == "n"
    assert row["Ngày gửi"].is_date
    assert row["Khó khăn, vướng mắc"].value == '=HYPERLINK("http://x","y")'
    assert row["Khó khăn, vướng mắc"].data_type == "s"
    assert row["Cần báo cáo UBND tỉnh"].value == "Có"


def test_facility_staff_export_only_their_own_reports(staff_client, facility, other_facility):
    MonthlyReportFactory(submitted=True, facility=facility, period=datetime.date(2026, 10, 1))
    MonthlyReportFactory(submitted=True, facility=other_facility, period=datetime.date(2026, 10, 1))
    rows = sheet_rows(staff_client.post(f"{REPORTS_URL}?facility={other_facility.code}"), "Báo cáo tháng")
    assert rows == []
    rows = sheet_rows(staff_client.post(REPORTS_URL), "Báo cáo tháng")
    assert [r["Mã cơ sở"].value for r in rows] == [facility.code]


def test_reports_export_query_count_does_not_grow(officer_client, django_assert_max_num_queries):
    for n in range(20):
        MonthlyReportFactory(
            submitted=True, facility=FacilityFactory(code=f"8{n:04d}"), period=datetime.date(2026, 10, 1)
        )
    # session and user; the count; the rows; the session's renewal (3)
    with django_assert_max_num_queries(7):
        response = officer_client.post(f"{REPORTS_URL}?month=2026-10")
    assert len(sheet_rows(response, "Báo cáo tháng")) == 20


def test_the_review_queue_exports_oldest_first(officer_client, facility, other_facility):
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, tzinfo=datetime.UTC), tick=False):
        older = MonthlyReportFactory(submitted=True, facility=other_facility, period=datetime.date(2026, 10, 1))
    MonthlyReportFactory(submitted=True, facility=facility, period=datetime.date(2026, 10, 1))
    rows = sheet_rows(officer_client.post(QUEUE_URL), "Chờ xem xét")
    assert [r["Mã cơ sở"].value for r in rows] == [older.facility.code, facility.code]
    assert rows[0]["Loại hồ sơ"].value == "Báo cáo tháng"
    assert rows[0]["Số ngày chờ"].value == 22 and rows[0]["Số ngày chờ"].data_type == "n"


@pytest.fixture
def mixed_queue(facility, other_facility):
    """A station's report and assessment and a hospital's report, all waiting for review."""
    from assessments.tests.factories import AssessmentFactory
    from core.models import Status

    hospital = FacilityFactory(code="82001", type=facility_type("general_hospital"))
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, tzinfo=datetime.UTC), tick=False):
        MonthlyReportFactory(submitted=True, facility=facility, period=datetime.date(2026, 10, 1))
    MonthlyReportFactory(submitted=True, facility=hospital, period=datetime.date(2026, 10, 1))
    AssessmentFactory(facility=other_facility, status=Status.SUBMITTED, submitted_at=TODAY)
    return hospital


@pytest.mark.parametrize(
    ("query", "codes", "summary"),
    [
        ("kind=report", ["facility", "82001"], "Bộ lọc: Loại hồ sơ: Báo cáo tháng"),
        ("type=health_station", ["facility", "other_facility"], "Bộ lọc: Loại hình: {station}"),
        ("kind=report&type=health_station", ["facility"], "Bộ lọc: Loại hồ sơ: Báo cáo tháng; Loại hình: {station}"),
    ],
)
def test_the_review_queue_exports_with_its_filters(
    officer_client, facility, other_facility, mixed_queue, query, codes, summary
):
    response = officer_client.post(f"{QUEUE_URL}?{query}")
    assert response.status_code == 200
    sheet = response_workbook(response)["Chờ xem xét"]
    named = {"facility": facility.code, "other_facility": other_facility.code}
    assert [r["Mã cơ sở"].value for r in table(sheet)] == [named.get(code, code) for code in codes]
    assert sheet["A6"].value == summary.format(station=facility_type("health_station").name)


def test_a_filtered_review_queue_export_is_built_in_the_background(officer_client, facility, mixed_queue, settings):
    from exports import builds

    settings.EXPORT_BACKGROUND_THRESHOLD = 1
    response = officer_client.post(f"{QUEUE_URL}?kind=report")
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    builds.export_build(export_id=export.pk)
    sheet = response_workbook(officer_client.get(reverse("exports:download", args=[export.pk])))["Chờ xem xét"]
    assert [r["Mã cơ sở"].value for r in table(sheet)] == [facility.code, "82001"]
    assert sheet["A6"].value == "Bộ lọc: Loại hồ sơ: Báo cáo tháng"


def test_the_review_queue_export_is_for_officers_only(staff_client, client, leadership):
    assert staff_client.post(QUEUE_URL).status_code == 403
    client.force_login(leadership)
    assert client.post(QUEUE_URL).status_code == 403


def test_review_queue_export_query_count_does_not_grow(officer_client, django_assert_max_num_queries):
    for n in range(20):
        MonthlyReportFactory(
            submitted=True, facility=FacilityFactory(code=f"8{n:04d}"), period=datetime.date(2026, 10, 1)
        )
    # session and user; reports and assessments counted, then read again to write; the session's renewal
    with django_assert_max_num_queries(9):
        response = officer_client.post(QUEUE_URL)
    assert len(sheet_rows(response, "Chờ xem xét")) == 20


def test_workbooks_stay_vietnamese_when_the_page_is_in_english(officer_client, facility):
    officer_client.cookies["django_language"] = "en"
    response = officer_client.post(f"{URL}?ownership=public")
    sheet = response_workbook(response)["Danh sách cơ sở"]
    assert sheet["A6"].value == "Bộ lọc: Hình thức sở hữu: Công lập"
    assert table(sheet)[0]["Hình thức sở hữu"].value == "Công lập"


def test_list_pages_offer_their_export_buttons(officer_client):
    assert (
        f'action="{REPORTS_URL}?status=submitted"'
        in officer_client.get(reverse("reports:list") + "?status=submitted").content.decode()
    )
    assert f'action="{QUEUE_URL}"' in officer_client.get(reverse("reports:review_queue")).content.decode()


def test_the_facility_list_exports_a_past_day_in_the_pages_sort_order(officer_client, facility, other_facility):
    from compliance.engine import compute_compliance
    from core.tests.dates import local_noon, month

    MonthlyReportFactory(counted=True, facility=facility, period=month("2026-09"), departments_live=8)
    MonthlyReportFactory(counted=True, facility=other_facility, period=month("2026-09"), departments_live=3)
    with time_machine.travel(local_noon(datetime.date(2026, 10, 31)), tick=False):
        compute_compliance(datetime.date(2026, 10, 31))
    response = officer_client.post(f"{URL}?date=31/10/2026&sort=-progress")
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach-co-so-2026-10-31.xlsx"'
    sheet = response_workbook(response)["Danh sách cơ sở"]
    assert sheet["A5"].value == "Số liệu tính đến ngày 31/10/2026"
    rows = table(sheet)
    assert [r["Mã cơ sở"].value for r in rows] == [facility.code, other_facility.code]
    assert rows[0]["Tỷ lệ khoa triển khai"].value == pytest.approx(0.8)
    assert rows[0]["Tình trạng triển khai"].value == str(ComplianceStatus.OVERDUE.label)
