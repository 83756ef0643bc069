"""The provincial report: the dashboard's numbers, in the shape the People's Committee expects."""

import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.tests.factories import AssessmentFactory
from compliance.engine import compute_compliance
from compliance.models import PAPERLESS_ORDER, ComplianceStatus, FacilityCompliance, PaperlessStatus, Projection
from compliance.tests.factories import FacilityComplianceFactory, deployed, verified_milestone
from core.models import Status
from core.tests.dates import local_noon, month
from dashboard import selectors as dashboard
from escalations.models import EscalationState
from escalations.tests.factories import EscalationItemFactory
from exports import builds
from exports.models import Export, ExportError, ExportStatus
from exports.provincial import AFTER_LEGAL, DEPLOYED_SHARE, MISSED, SHEETS
from exports.tests.factories import ExportFactory
from exports.tests.helpers import header_row, load, printed_pt, response_workbook, table
from facilities.models import Facility, Ownership
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type
from milestones.models import MilestoneKind
from reports.models import MonthlyReport, Stage
from reports.tests.factories import MonthlyReportFactory

D = datetime.date
TODAY = D(2026, 11, 25)
MONTH_ENDS = [D(2026, 8, 31), D(2026, 9, 30), D(2026, 10, 31)]
URL = reverse("exports:provincial")
INJECTION = '=cmd|"/c calc"!A1'
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def compute(day: D) -> None:
    with time_machine.travel(local_noon(day), tick=False):
        compute_compliance(day)


@pytest.fixture
def province(db):
    """A hospital done on time, a station overdue asking for escalation, a station with no data,
    a private clinic on track and one at risk in the overdue station's commune; compliance computed
    at three month ends and today."""
    commune = AreaFactory(code="29901", name="Xã Tân Hồng")
    hospital = FacilityFactory(code="82001", name="Bệnh viện Đa khoa Đồng Tháp", type=facility_type("general_hospital"))
    assessment = AssessmentFactory(approved=True, facility=hospital, score=Decimal("92.50"))
    for period in ("2026-06", "2026-07"):
        MonthlyReportFactory(
            counted=True, facility=hospital, period=month(period), departments_live=8, stage=Stage.HOSPITAL_WIDE
        )
    for period in ("2026-08", "2026-09", "2026-10"):
        MonthlyReportFactory(
            counted=True,
            facility=hospital,
            period=month(period),
            departments_live=10,
            bhxh_on_time_share=Decimal("97.5"),
            vneid_sent=True,
        )
    deployed(hospital, D(2026, 8, 10), assessed=D(2026, 8, 1), assessment=assessment)
    verified_milestone(hospital, MilestoneKind.PAPER_STOPPED, D(2026, 8, 20))
    late = FacilityFactory(code="82201", name="Trạm Y tế xã Tân Hồng", area=commune)
    AssessmentFactory(approved=True, facility=late, score=Decimal("61.00"), mandatory_met=False)
    for period in ("2026-08", "2026-09"):
        MonthlyReportFactory(counted=True, facility=late, period=month(period), departments_live=1, departments_total=2)
    escalated = MonthlyReportFactory(
        counted=True,
        facility=late,
        period=month("2026-10"),
        departments_live=1,
        departments_total=2,
        needs_escalation=True,
        difficulties=INJECTION,
        support_requested="Đề nghị UBND tỉnh bố trí kinh phí mua chữ ký số.",
    )
    EscalationItemFactory(  # its approval put it in the escalation register; the DoH proposed it to UBND
        facility=late,
        report=escalated,
        raised_on=D(2026, 11, 4),
        difficulty=escalated.difficulties,
        support_requested=escalated.support_requested,
        state=EscalationState.PROPOSED,
        proposal="Đề nghị UBND tỉnh giao Sở Tài chính bố trí kinh phí.",
    )
    FacilityFactory(code="82202", name="Trạm Y tế xã Tân Thành", deadline=D(2027, 3, 31))
    clinic_type = facility_type("private_clinic")
    on_track = FacilityFactory(
        code="82401",
        name="Phòng khám Đa khoa An Phước",
        type=clinic_type,
        ownership=Ownership.PRIVATE,
        deadline=D(2027, 6, 30),
    )
    for offset, period in enumerate(("2026-06", "2026-07", "2026-08", "2026-09", "2026-10")):
        MonthlyReportFactory(counted=True, facility=on_track, period=month(period), departments_live=5 + offset)
    at_risk = FacilityFactory(
        code="82402",
        name="Phòng khám Tâm Đức",
        type=clinic_type,
        ownership=Ownership.PRIVATE,
        area=commune,
        deadline=D(2026, 12, 31),
    )
    for period in ("2026-08", "2026-09", "2026-10"):
        MonthlyReportFactory(counted=True, facility=at_risk, period=month(period), departments_live=2)
    FacilityFactory(code="82999", name="Phòng khám đã đóng cửa", type=clinic_type, is_active=False)
    for day in [*MONTH_ENDS, TODAY]:
        compute(day)
    with time_machine.travel(local_noon(TODAY), tick=False):
        yield {f.code: f for f in Facility.objects.all()}


def workbook(client, query: str = ""):
    response = client.post(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200, response.status_code
    return response_workbook(response)


def test_sheets_and_their_official_headers(leadership_client, province):
    book = workbook(leadership_client)
    assert book.sheetnames == SHEETS
    assert SHEETS == ["Tổng hợp", "Chi tiết", "Chậm tiến độ", "Xu hướng", "Biểu đồ xu hướng", "Khó khăn vướng mắc"]
    for sheet in book.worksheets:
        assert sheet["A1"].value == "UBND TỈNH ĐỒNG THÁP"
        assert sheet["A2"].value == "SỞ Y TẾ"
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in {c.value for c in sheet[1]}
        assert "Độc lập - Tự do - Hạnh phúc" in {c.value for c in sheet[2]}
        assert sheet["A5"].value == "Số liệu tính đến ngày 25/11/2026"
    assert book["Tổng hợp"]["A4"].value == "BÁO CÁO TIẾN ĐỘ TRIỂN KHAI HỒ SƠ BỆNH ÁN ĐIỆN TỬ"


def test_every_sheet_has_frozen_headings_an_autofilter_and_a_readable_landscape_print(leadership_client, province):
    for sheet in workbook(leadership_client).worksheets:
        first = sheet.freeze_panes and int(sheet.freeze_panes.lstrip("ABCDEFGH")) - 1
        assert first and sheet.auto_filter.ref.startswith(f"A{first}:")
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize in (8, 9)  # A3 or A4
        assert sheet.print_title_rows == f"${first}:${first}"
        assert printed_pt(sheet) >= 8, sheet.title


def test_the_detail_sheet_prints_on_a3_one_page_wide(leadership_client, province):
    sheet = workbook(leadership_client)["Chi tiết"]
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.paperSize == 8  # fitted on A3
    assert (sheet.page_setup.fitToWidth or 1) == 1  # one page wide: XlsxWriter leaves Excel's default 1 unwritten
    assert 8 <= printed_pt(sheet) < 9


def test_code_and_name_columns_stay_in_view(leadership_client, province):
    book = workbook(leadership_client)
    for title in ("Chi tiết", "Chậm tiến độ", "Khó khăn vướng mắc"):
        sheet = book[title]
        first = int(sheet.freeze_panes[1:]) - 1
        assert [c.value for c in sheet[first]][:3] == ["STT", "Mã cơ sở", "Tên cơ sở"]
        assert sheet.freeze_panes.startswith("D")


def summary_rows(book):
    sheet = book["Tổng hợp"]
    first = header_row(sheet)
    headings = [c.value for c in sheet[first]]
    rows = [dict(zip(headings, (c.value for c in cells), strict=False)) for cells in sheet.iter_rows(min_row=first + 1)]
    rows = [r for r in rows if r["Loại hình cơ sở"]]
    return rows[:-1], rows[-1], headings


def test_summary_equals_the_dashboard_and_its_total_row_the_sum_of_the_rows(leadership_client, province):
    by_type, total, headings = summary_rows(workbook(leadership_client))
    expected = dashboard.progress_by_type(TODAY, Facility.objects.active())
    assert [r["Loại hình cơ sở"] for r in by_type] == [t.name for t in expected]
    labels = {str(ComplianceStatus(code).label): code for code in dashboard.STATUS_ORDER}
    for row, numbers in zip(by_type, expected, strict=True):
        assert row["Tổng số cơ sở"] == numbers.facilities
        assert {label: row[label] for label in labels} == {
            label: numbers.counts[code] for label, code in labels.items()
        }
        assert row[DEPLOYED_SHARE] == pytest.approx(numbers.complete_share)
        assert row["Tỷ lệ khoa triển khai HSBA điện tử (bình quân)"] == pytest.approx(numbers.progress)
    assert total["Loại hình cơ sở"] == "Tổng cộng"
    for heading in ["Tổng số cơ sở", *labels, "Chưa tính"]:
        assert total[heading] == sum(r[heading] for r in by_type), heading
    counts = dashboard.status_counts(TODAY, Facility.objects.active())
    assert total["Tổng số cơ sở"] == counts.total == 5
    assert {label: total[label] for label in labels} == {label: counts.counts[code] for label, code in labels.items()}
    paperless = {str(PaperlessStatus(code).label): code for code in PAPERLESS_ORDER}
    assert {label: total[label] for label in paperless} == {
        label: counts.paperless[code] for label, code in paperless.items()
    }
    assert total[MISSED] == counts.missed_deadline == 1  # the overdue station
    assert total[AFTER_LEGAL] == counts.hospitals_after_legal == 1  # the hospital deployed in 2026
    assert total[DEPLOYED_SHARE] == pytest.approx(counts.complete / counts.total)


def test_a_facilitys_detail_row(leadership_client, province):
    rows = {r["Mã cơ sở"].value: r for r in table(workbook(leadership_client)["Chi tiết"])}
    assert set(rows) == {"82001", "82201", "82202", "82401", "82402"}  # active facilities only
    row = rows["82001"]
    assert row["Tên cơ sở"].value == "Bệnh viện Đa khoa Đồng Tháp"
    assert row["Loại hình"].value == province["82001"].type.name
    assert row["Điểm sẵn sàng"].value == pytest.approx(92.5) and row["Điểm sẵn sàng"].data_type == "n"
    assert row["Đạt tiêu chí bắt buộc"].value == "Có"
    assert (row["Số khoa triển khai"].value, row["Tổng số khoa"].value) == (10, 10)
    assert (
        row["Tỷ lệ khoa triển khai"].value == pytest.approx(1) and row["Tỷ lệ khoa triển khai"].number_format == "0.0%"
    )
    assert row["Ngày dừng bệnh án giấy"].is_date and row["Ngày dừng bệnh án giấy"].value == datetime.datetime(
        2026, 8, 20
    )
    assert row["Ngày tự đánh giá"].value == datetime.datetime(2026, 8, 1)
    assert row["Ngày quyết định"].value == datetime.datetime(2026, 8, 10)
    assert row["Ngày công bố"].value is None  # none verified
    assert row["Hạn theo quy định (TT 13/2025)"].value == datetime.datetime(2025, 9, 30)
    assert row["Ngày triển khai hoặc dự kiến"].value == datetime.datetime(2026, 8, 10)  # not a projection
    assert row["Tình trạng thay thế bệnh án giấy"].value == str(PaperlessStatus.PAPERLESS_ON_TIME.label)
    assert "Triển khai sau hạn theo quy định" in row["Lý do"].value  # a hospital deployed after 30/09/2025
    assert row["Gửi XML BHXH đúng hạn"].value == pytest.approx(0.975)
    assert row["Đã gửi dữ liệu VNeID"].value == "Có"
    assert row["Tháng báo cáo gần nhất"].value == datetime.datetime(2026, 10, 1)
    assert row["Tình trạng triển khai"].value == str(ComplianceStatus.DEPLOYED_ON_TIME.label)
    assert rows["82202"]["Điểm sẵn sàng"].value is None  # no approved assessment: an empty cell, not 0
    projected = "Ngày triển khai hoặc dự kiến"
    assert rows["82402"][projected].value == "Không dự báo được (tiến độ không tăng)"
    assert rows["82402"][projected].alignment.wrap_text  # the words wrap in the 16-wide column
    assert rows["82401"][projected].is_date


def test_behind_schedule_lists_overdue_first_then_at_risk(leadership_client, province):
    rows = table(workbook(leadership_client)["Chậm tiến độ"])
    assert [r["Mã cơ sở"].value for r in rows] == ["82201", "82402"]
    assert rows[0]["Tình trạng"].value == str(ComplianceStatus.OVERDUE.label)
    assert rows[0]["Số ngày đến hạn (âm: quá hạn)"].value == -56
    assert rows[1]["Lý do"].value  # the reasons, in words
    assert rows[1]["Ngày triển khai hoặc dự kiến"].value == "Không dự báo được (tiến độ không tăng)"
    assert rows[1]["Ngày triển khai hoặc dự kiến"].alignment.wrap_text
    assert len(rows) == dashboard.status_counts(TODAY, Facility.objects.active()).behind


def test_behind_schedule_order_overdue_then_no_projection_then_latest_projected_completion(leadership_client):
    """Codes run against the expected order, so a sort by code alone would fail."""
    at_risk = {"status": ComplianceStatus.AT_RISK, "deadline": D(2026, 12, 31), "days_to_deadline": 36}
    behind = {
        "82300": at_risk | {"projection": Projection.DATE, "projected_completion": D(2027, 1, 15)},
        "82301": at_risk | {"projection": Projection.DATE, "projected_completion": D(2027, 3, 1)},
        "82302": at_risk | {"projection": Projection.UNKNOWN},  # too few reports to project
        "82308": at_risk | {"projection": Projection.NEVER},
        "82309": {"status": ComplianceStatus.OVERDUE, "projection": Projection.DATE,
                  "projected_completion": D(2027, 6, 1)},
    }  # fmt: skip
    for code, fields in behind.items():
        FacilityComplianceFactory(reasons=[], facility=FacilityFactory(code=code), as_of=TODAY, **fields)
    FacilityComplianceFactory(reasons=[], facility=FacilityFactory(code="82200"), as_of=TODAY)  # on track: not listed
    with time_machine.travel(local_noon(TODAY), tick=False):
        rows = table(workbook(leadership_client)["Chậm tiến độ"])
    assert [r["Mã cơ sở"].value for r in rows] == ["82309", "82308", "82301", "82300", "82302"]
    assert [r["Ngày triển khai hoặc dự kiến"].value for r in rows[1:3]] == [
        "Không dự báo được (tiến độ không tăng)",
        datetime.datetime(2027, 3, 1),
    ]


def test_trend_sheet_holds_the_dashboards_points_and_a_line_chart(leadership_client, province):
    response = leadership_client.post(URL)
    content = b"".join(response.streaming_content)
    book = load(content)
    sheet = book["Xu hướng"]
    # The chart is a chart sheet of its own: one printed page, nothing printed over it.
    chart_page = book["Biểu đồ xu hướng"]
    assert len(chart_page._charts) == 1 and chart_page._charts[0].tagname == "lineChart"
    assert chart_page.pageSetup.orientation == "landscape"
    assert not sheet._charts
    # Both axes say they are shown: without <c:delete val="0"/> recent Excel hides them.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        chart = ElementTree.fromstring(archive.read("xl/charts/chart1.xml"))
    axes = [chart.find(f".//{{{CHART_NS}}}{tag}") for tag in ("catAx", "valAx")]
    assert all(axis.find(f"{{{CHART_NS}}}delete").get("val") == "0" for axis in axes)
    # Straight lines, said explicitly, in the RAG colours: red overdue, amber at risk, green on track.
    series = chart.findall(f".//{{{CHART_NS}}}ser")
    assert series and all(s.find(f"{{{CHART_NS}}}smooth").get("val") == "0" for s in series)
    colours = {
        s.find(f".//{{{CHART_NS}}}tx//{{{CHART_NS}}}v").text: s.find(
            f"{{{CHART_NS}}}spPr/{{{A_NS}}}ln//{{{A_NS}}}srgbClr"
        ).get("val")
        for s in series
    }
    assert colours[str(ComplianceStatus.OVERDUE.label)] == "C00000"
    assert colours[str(ComplianceStatus.AT_RISK.label)] == "FFC000"
    assert colours[str(ComplianceStatus.ON_TRACK.label)] == "00B050"
    first = header_row_named(sheet, "Ngày")
    headings = [c.value for c in sheet[first]]
    points = {
        cells[0].value.date(): dict(zip(headings[1:], (c.value for c in cells[1:]), strict=False))
        for cells in sheet.iter_rows(min_row=first + 1)
        if cells[0].value
    }
    expected = dashboard.status_trend(TODAY, Facility.objects.active())
    assert list(points) == [p.date for p in expected]
    for point in expected:
        if point.counts is None:
            assert all(v is None for v in points[point.date].values())
        else:
            for code, count in point.counts.items():
                assert points[point.date][str(ComplianceStatus(code).label)] == count
    assert points[D(2026, 10, 31)][str(ComplianceStatus.OVERDUE.label)] == 1


def header_row_named(sheet, heading: str) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == heading:
            return row[0].row
    raise AssertionError(heading)


def test_difficulties_sheet_lists_the_registers_items_with_their_handling(leadership_client, province):
    rows = table(workbook(leadership_client)["Khó khăn vướng mắc"])
    assert len(rows) == dashboard.escalations(TODAY, Facility.objects.active()).count == 1
    row = rows[0]
    assert row["Mã cơ sở"].value == "82201"
    assert row["Ngày phản ánh"].value == datetime.datetime(2026, 11, 4)
    assert row["Tình trạng xử lý"].value == "Đã đề xuất UBND tỉnh"
    assert row["Đề xuất UBND tỉnh"].value == "Đề nghị UBND tỉnh giao Sở Tài chính bố trí kinh phí."
    assert row["Khó khăn, vướng mắc"].value == INJECTION and row["Khó khăn, vướng mắc"].data_type == "s"
    assert row["Khó khăn, vướng mắc"].quotePrefix
    assert row["Đề xuất, kiến nghị hỗ trợ"].value.startswith("Đề nghị UBND tỉnh")


def test_difficulties_sheet_leaves_out_reports_not_reviewed_or_returned(leadership_client, province):
    for code, status in (("82401", Status.SUBMITTED), ("82402", Status.RETURNED)):
        MonthlyReport.objects.filter(facility__code=code, period=month("2026-10")).update(
            needs_escalation=True, difficulties="Chưa có chữ ký số.", status=status
        )
    rows = table(workbook(leadership_client)["Khó khăn vướng mắc"])
    assert [r["Mã cơ sở"].value for r in rows] == ["82201"]


def test_a_deployed_facility_shows_its_deployment_date_not_a_projection(leadership_client, province):
    completion = FacilityCompliance.objects.get(facility__code="82001").deployment_date
    assert completion is not None
    FacilityCompliance.objects.filter(facility__code="82001").update(projected_completion=D(2027, 1, 31))
    rows = {r["Mã cơ sở"].value: r for r in table(workbook(leadership_client)["Chi tiết"])}
    assert rows["82001"]["Ngày triển khai hoặc dự kiến"].value == datetime.datetime.combine(completion, datetime.time())


def test_filters_give_the_dashboards_numbers_for_the_same_filters(leadership_client, province):
    book = workbook(leadership_client, "type=health_station")
    by_type, total, _ = summary_rows(book)
    scoped = Facility.objects.active().filter(type__code="health_station")
    counts = dashboard.status_counts(TODAY, scoped)
    assert [r["Loại hình cơ sở"] for r in by_type] == [facility_type("health_station").name]
    assert total["Tổng số cơ sở"] == counts.total == 2
    assert {r["Mã cơ sở"].value for r in table(book["Chi tiết"])} == {"82201", "82202"}
    assert book["Tổng hợp"]["A6"].value == f"Bộ lọc: Loại hình: {facility_type('health_station').name}"


@pytest.mark.parametrize("date", ["", "31/10/2026"])
@pytest.mark.parametrize(
    ("query", "scope"),
    [
        ("", {}),
        ("area=29901", {"area__code": "29901"}),
        ("ownership=private", {"ownership": Ownership.PRIVATE}),
        ("type=health_station", {"type__code": "health_station"}),
    ],
)
def test_the_numbers_equal_the_dashboards_for_the_same_date_and_filters(
    leadership_client, province, date, query, scope
):
    """Every status count and total of Tổng hợp, and the rows of the two lists, as the dashboard shows them."""
    MonthlyReport.objects.filter(facility__code="82402", period=month("2026-09")).update(needs_escalation=True)
    as_of = D(2026, 10, 31) if date else TODAY
    book = workbook(leadership_client, "&".join(p for p in (query, f"date={date}" if date else "") if p))
    assert book["Tổng hợp"]["A5"].value == f"Số liệu tính đến ngày {as_of:%d/%m/%Y}"
    shown = dashboard.province_dashboard(as_of, Facility.objects.active().filter(**scope), review_items=False)
    by_type, total, _ = summary_rows(book)
    labels = {code: str(ComplianceStatus(code).label) for code in dashboard.STATUS_ORDER}
    assert [r["Loại hình cơ sở"] for r in by_type] == [t.name for t in shown.by_type]
    for row, numbers in zip(by_type, shown.by_type, strict=True):
        assert row["Tổng số cơ sở"] == numbers.facilities
        assert {code: row[label] for code, label in labels.items()} == numbers.counts
        assert row["Chưa tính"] == numbers.facilities - numbers.computed
        assert row[DEPLOYED_SHARE] == pytest.approx(numbers.complete_share)
        assert row["Tỷ lệ khoa triển khai HSBA điện tử (bình quân)"] == pytest.approx(numbers.progress)
    statuses = shown.statuses
    assert total["Tổng số cơ sở"] == statuses.total
    assert {code: total[label] for code, label in labels.items()} == statuses.counts
    paperless = {code: str(PaperlessStatus(code).label) for code in PAPERLESS_ORDER}
    assert {code: total[label] for code, label in paperless.items()} == statuses.paperless
    assert (total[MISSED], total[AFTER_LEGAL]) == (statuses.missed_deadline, statuses.hospitals_after_legal)
    for row, numbers in zip(by_type, shown.by_type, strict=True):
        assert {code: row[label] for code, label in paperless.items()} == numbers.paperless
        assert (row[MISSED], row[AFTER_LEGAL]) == (numbers.missed_deadline, numbers.hospitals_after_legal)
    assert total["Chưa tính"] == statuses.not_computed
    assert total[DEPLOYED_SHARE] == pytest.approx(statuses.complete / statuses.total)
    assert len(table(book["Chậm tiến độ"])) == statuses.behind
    assert len(table(book["Khó khăn vướng mắc"])) == shown.escalations.count


def test_a_past_date_reads_that_days_snapshots(leadership_client, province):
    book = workbook(leadership_client, "date=30/09/2026")
    assert book["Chi tiết"]["A5"].value == "Số liệu tính đến ngày 30/09/2026"
    _, total, _ = summary_rows(book)
    counts = dashboard.status_counts(D(2026, 9, 30), Facility.objects.active())
    label = str(ComplianceStatus.OVERDUE.label)
    assert total[label] == counts.counts[ComplianceStatus.OVERDUE] == 0  # nobody was overdue on the deadline
    rows = {r["Mã cơ sở"].value: r for r in table(book["Chi tiết"])}
    assert rows["82201"]["Tình trạng triển khai"].value != str(ComplianceStatus.OVERDUE.label)
    assert rows["82001"]["Tháng báo cáo gần nhất"].value == datetime.datetime(2026, 8, 1)


def test_leadership_and_officers_download_it_from_the_dashboard(leadership_client, officer_client, province):
    page = leadership_client.get(reverse("dashboard:province") + "?type=health_station").content.decode()
    assert f'action="{URL}?type=health_station"' in page
    response = leadership_client.post(URL)
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-tien-do-hsba-dien-tu-2026-11-25.xlsx"'
    assert officer_client.post(URL).status_code == 200


def test_facility_staff_cannot_download_it(staff_client, province):
    assert staff_client.post(URL).status_code == 403


def test_the_query_count_does_not_grow_with_the_facilities(leadership_client, province, django_assert_max_num_queries):
    for n in range(20):
        FacilityFactory(code=f"83{n:03d}")
    compute(TODAY)
    # session, user, count; by type, trend (snapshots and today's counts), escalations (count and rows),
    # details, behind schedule; the session's renewal (3)
    with django_assert_max_num_queries(13):
        leadership_client.post(URL)


def test_a_large_report_is_built_in_the_background(leadership_client, leadership, province, settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 3
    response = leadership_client.post(f"{URL}?date=31/10/2026")
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    assert export.parameters["as_of"] == "2026-10-31"
    builds.export_build(export_id=export.pk)
    download = leadership_client.get(reverse("exports:download", args=[export.pk]))
    book = response_workbook(download)
    assert book["Chi tiết"]["A5"].value == "Số liệu tính đến ngày 31/10/2026"


def test_a_user_who_lost_the_right_gets_a_failed_export_not_a_file(leadership, province):
    export = ExportFactory(user=leadership, kind="provincial", parameters={"as_of": "2026-11-25"}, rows_total=5)
    leadership.role = "facility"
    leadership.save()
    builds.export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error == ExportError.FORBIDDEN
    assert not export.file


# The management command -------------------------------------------------------------------------


def test_the_command_writes_the_report_for_a_date(province, tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    call_command("export_report", "--as-of", "2026-10-31", "-o", str(target))
    book = load(target.read_bytes())
    assert book.sheetnames == SHEETS
    assert book["Tổng hợp"]["A5"].value == "Số liệu tính đến ngày 31/10/2026"
    assert len(table(book["Chi tiết"])) == 5


def test_the_command_defaults_to_today(province, tmp_path):
    target = tmp_path / "hom-nay.xlsx"
    call_command("export_report", "-o", str(target))
    assert load(target.read_bytes())["Tổng hợp"]["A5"].value == "Số liệu tính đến ngày 25/11/2026"


@pytest.mark.parametrize("as_of", ["31/10/2026", "2026-11-26"])
def test_the_command_refuses_bad_or_future_dates(province, tmp_path, as_of):
    with pytest.raises(CommandError):
        call_command("export_report", "--as-of", as_of, "-o", str(tmp_path / "x.xlsx"))


def test_the_command_refuses_a_past_day_without_snapshots_naming_the_nearest_days(province, tmp_path):
    target = tmp_path / "x.xlsx"
    with pytest.raises(CommandError) as error:
        call_command("export_report", "--as-of", "2026-10-15", "-o", str(target))
    assert str(error.value) == (
        "Không có số liệu tuân thủ tiến độ đã tính cho ngày 15/10/2026, nên không thể báo cáo cho ngày đó. "
        "Những ngày gần nhất có số liệu: 30/09/2026 và 31/10/2026."
    )
    assert not target.exists()


def test_the_report_for_a_past_day_without_snapshots_is_refused_on_the_page_too(leadership_client, province):
    dashboard_url = reverse("dashboard:province") + "?date=15/10/2026"
    page = leadership_client.get(dashboard_url)
    assert "Những ngày gần nhất có số liệu: 30/09/2026 và 31/10/2026." in page.content.decode()
    response = leadership_client.post(f"{URL}?date=15/10/2026", HTTP_REFERER=f"http://testserver{dashboard_url}")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{dashboard_url}"
    assert not Export.objects.exists()
