"""Bulk import of monthly reports: every row through the web form's rules, all or nothing."""

import datetime
import io
import os

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from core.models import Status
from core.tests.workbooks import DAMAGES, damaged
from facilities.tests.factories import FacilityFactory
from reports.forms import ALREADY_REPORTED, PARTS
from reports.imports import COLUMNS, import_reports
from reports.models import MonthlyReport, Stage
from reports.tests.factories import MonthlyReportFactory

NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
OCTOBER = datetime.date(2026, 10, 1)
HEADER = [c.label for c in COLUMNS]
NOT_A_SPREADSHEET = (
    "Không đọc được tệp này như một bảng tính. Chấp nhận tệp Excel (.xlsx, .xls), OpenDocument (.ods) "
    "và CSV (.csv, UTF-8)."
)
GOOD = {
    "code": "82221",
    "name": "Trạm Y tế xã Tân Hồng",
    "period": "10/2026",
    "stage": 3,
    "departments_total": 5,
    "departments_live": 3,
    "inpatient_records": 20,
    "inpatient_electronic": 15,
    "outpatient_visits": 900,
    "outpatient_electronic": 700,
    "signed_share": 80,
    "lis_live": "Có",
    "pacs_live": "Không",
    "bhxh_on_time_share": 95.5,
    "vneid_sent": "x",
    "signers_total": 8,
    "signers_with_certificate": 6,
    "security_approved": "Không",
    "last_backup_date": datetime.date(2026, 10, 28),
    "staff_total": 10,
    "staff_trained": 9,
    "spending_to_date": 120_000_000,
    "difficulties": "Thiếu kinh phí mua chữ ký số cho bác sĩ.",
    "support_requested": "Đề nghị Sở hỗ trợ kinh phí.",
    "needs_escalation": "Có",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def stations(db):
    return [
        FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng", head_name="Đặng Hữu Phúc"),
        FacilityFactory(code="82222", name="Trạm Y tế xã Tân Thành", head_name="Lê Thị Mai"),
    ]


def row(**changes) -> list:
    values = GOOD | changes
    return [values.get(column.key) for column in COLUMNS]


def workbook_file(rows, header=HEADER, name="bao-cao.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def errors(report) -> list[tuple[int, str, str]]:
    return [(r.row, column, message) for r in report.rows for column, message in r.errors]


def test_a_good_file_creates_submitted_reports_attributed_to_the_officer(officer, stations):
    report = import_reports(workbook_file([row(), row(code="82222", stage="3")]), by=officer)
    assert report.committed, errors(report)
    first = MonthlyReport.objects.get(facility__code="82221", period=OCTOBER)
    assert first.status == Status.SUBMITTED
    assert first.submitted_by == officer and first.created_by == officer
    assert first.attested_by_name == "Đặng Hữu Phúc"
    assert first.stage == Stage.HOSPITAL_WIDE
    assert (first.departments_total, first.departments_live) == (5, 3)
    assert first.lis_live and not first.pacs_live and first.vneid_sent and first.needs_escalation
    assert first.bhxh_on_time_share == pytest.approx(95.5)
    assert first.last_backup_date == datetime.date(2026, 10, 28)
    assert first.spending_to_date == 120_000_000
    assert first.difficulties == "Thiếu kinh phí mua chữ ký số cho bác sĩ."
    assert MonthlyReport.objects.get(facility__code="82222").attested_by_name == "Lê Thị Mai"


def test_imported_reports_leave_their_history(officer, stations):
    import_reports(workbook_file([row()]), by=officer)
    report = MonthlyReport.objects.get()
    history = list(report.history.order_by("history_date"))
    assert [h.history_change_reason for h in history] == ["created", "submitted"]
    assert {h.history_user for h in history} == {officer}


def test_stage_may_be_given_by_its_name(officer, stations):
    with override("vi"):
        name = str(Stage.PILOT.label)
    report = import_reports(workbook_file([row(stage=name.upper())]), by=officer)
    assert report.committed, errors(report)
    assert MonthlyReport.objects.get().stage == Stage.PILOT


def test_live_departments_above_the_total_reject_the_file_with_the_forms_message(officer, stations):
    report = import_reports(workbook_file([row(code="82222"), row(departments_live=7)]), by=officer)
    assert not report.committed
    with override("vi"):
        message = str(PARTS[0][2] % {"total": 5})
    assert errors(report) == [(3, "Số khoa đã triển khai HSBA điện tử", message)]
    assert report.rows[0].outcome == "ok"  # valid, but nothing is saved because another row failed
    assert not MonthlyReport.objects.exists()
    assert not MonthlyReport.history.exists()


def test_an_unknown_facility_code_is_rejected(officer, stations):
    report = import_reports(workbook_file([row(code="99999")]), by=officer)
    assert errors(report) == [(2, "Mã cơ sở", "Không có cơ sở nào mã “99999”.")]
    assert not MonthlyReport.objects.exists()


def test_a_facility_and_month_twice_in_the_file_is_rejected(officer, stations):
    report = import_reports(workbook_file([row(), row(code="82222"), row(period="10/2026")]), by=officer)
    assert errors(report) == [(4, "Tháng báo cáo", "Cơ sở và tháng này đã có ở dòng 2 của tệp.")]
    assert not MonthlyReport.objects.exists()


def test_a_month_the_facility_already_reported_is_rejected(officer, stations):
    MonthlyReportFactory(submitted=True, facility=stations[0], period=OCTOBER)
    report = import_reports(workbook_file([row(), row(code="82222")]), by=officer)
    with override("vi"):
        message = str(ALREADY_REPORTED % {"month": "10/2026"})
    assert errors(report) == [(2, "Tháng báo cáo", message)]
    assert MonthlyReport.objects.count() == 1


def test_a_file_that_is_not_excel_is_rejected(officer, stations):
    report = import_reports(SimpleUploadedFile("bao-cao.xlsx", b"%PDF-1.7 not a workbook"), by=officer)
    assert report.file_error == NOT_A_SPREADSHEET
    assert not report.committed and not MonthlyReport.objects.exists()


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_workbook_is_rejected_not_a_server_error(officer_client, officer, stations, damage):
    content = damaged(workbook_file([row()]).read(), damage)
    report = import_reports(SimpleUploadedFile("bao-cao.xlsx", content), by=officer)
    assert report.file_error == NOT_A_SPREADSHEET
    upload = SimpleUploadedFile("bao-cao.xlsx", content)
    response = officer_client.post(reverse("reports:import"), {"file": upload})
    assert response.status_code == 200 and NOT_A_SPREADSHEET in response.content.decode()
    assert response.context["token"] is None
    assert not MonthlyReport.objects.exists()


def test_an_empty_sheet_is_rejected(officer, stations):
    assert import_reports(workbook_file([]), by=officer).file_error == "Tệp không có dòng dữ liệu nào."
    assert import_reports(workbook_file([], header=None), by=officer).file_error
    assert not MonthlyReport.objects.exists()


def test_every_error_of_a_row_is_reported_with_its_column(officer, stations):
    report = import_reports(
        workbook_file([row(staff_trained=12, vneid_sent="có lẽ", signed_share=150, departments_total=None)]),
        by=officer,
    )
    columns = {column for _row, column, _message in errors(report)}
    assert columns >= {
        "Số nhân viên đã được tập huấn HSBA điện tử",
        "Đã gửi dữ liệu Sổ sức khỏe điện tử (VNeID) cho mọi người bệnh",
        "Tỷ lệ HSBA ký số đầy đủ (%)",
        "Tổng số khoa lâm sàng",
    }


def test_an_unknown_code_does_not_hide_the_rows_other_errors(officer, stations):
    bad = row(code="99999", departments_total=5, departments_live=9, lis_live="maybe", signed_share=150)
    report = import_reports(workbook_file([bad]), by=officer)
    with override("vi"):
        parts = str(PARTS[0][2] % {"total": 5})
    percent = "Đọc được “150”; cần một tỷ lệ phần trăm, ví dụ 95 hoặc 95,5% (từ 0 đến 100)."
    assert sorted(errors(report)) == sorted(
        [
            (2, "Mã cơ sở", "Không có cơ sở nào mã “99999”."),
            (2, "Số khoa đã triển khai HSBA điện tử", parts),
            (2, "LIS đã vận hành", "Đọc được “maybe”; cần “Có” hoặc “Không”."),
            (2, "Tỷ lệ HSBA ký số đầy đủ (%)", percent),
        ]
    )
    assert not MonthlyReport.objects.exists()


def test_a_bad_month_or_a_duplicate_row_does_not_hide_the_rows_other_errors(officer, stations):
    rows = [row(), row(staff_trained=12), row(code="82222", period="13/2026", pacs_live="maybe")]
    columns = [(number, column) for number, column, _message in errors(import_reports(workbook_file(rows), by=officer))]
    assert columns == [
        (3, "Tháng báo cáo"),  # the same facility and month as row 2
        (3, "Số nhân viên đã được tập huấn HSBA điện tử"),
        (4, "Tháng báo cáo"),
        (4, "RIS/PACS đã vận hành"),
    ]


def test_a_formula_cell_does_not_hide_the_rows_other_errors(officer, stations):
    report = import_reports(workbook_file([row(difficulties="=1+1", departments_live=9)]), by=officer)
    assert [column for _row, column, _message in errors(report)] == [
        "Khó khăn, vướng mắc",
        "Số khoa đã triển khai HSBA điện tử",
    ]


def test_formula_cells_are_rejected_not_evaluated(officer, stations):
    report = import_reports(workbook_file([row(difficulties='=HYPERLINK("http://x","y")')]), by=officer)
    assert errors(report) == [(2, "Khó khăn, vướng mắc", "Ô chứa công thức; hãy nhập giá trị.")]


def test_a_drop_in_live_departments_needs_the_explanation_as_on_the_form(officer, stations):
    MonthlyReportFactory(approved=True, facility=stations[0], period=datetime.date(2026, 9, 1), departments_live=4)
    report = import_reports(workbook_file([row(departments_live=2)]), by=officer)
    assert [column for _row, column, _message in errors(report)] == ["Giải trình giảm số khoa triển khai"]
    explained = row(departments_live=2, departments_drop_explanation="Sáp nhập khoa")
    report = import_reports(workbook_file([explained]), by=officer)
    assert report.committed, errors(report)


# Pages ---------------------------------------------------------------------------------------


def test_officer_previews_then_commits_a_file(officer_client, officer, stations, settings):
    upload = workbook_file([row(), row(code="82222")])
    response = officer_client.post(reverse("reports:import"), {"file": upload})
    body = response.content.decode()
    assert "Tệp hợp lệ: 2 báo cáo sẵn sàng để nhập" in body
    assert not MonthlyReport.objects.exists()  # the preview saves nothing
    token = response.context["token"]
    assert list((settings.MEDIA_ROOT / "imports" / str(officer.pk)).glob("*.upload"))
    response = officer_client.post(reverse("reports:import_commit"), {"token": token}, follow=True)
    assert "Đã nhập và gửi 2 báo cáo" in response.content.decode()
    assert MonthlyReport.objects.filter(status=Status.SUBMITTED).count() == 2
    assert not list((settings.MEDIA_ROOT / "imports" / str(officer.pk)).glob("*.upload"))


def test_the_preview_lists_every_error_by_row_and_column(officer_client, stations):
    upload = workbook_file([row(code="99999", lis_live="maybe")])
    response = officer_client.post(reverse("reports:import"), {"file": upload})
    body = response.content.decode()
    assert "Không có gì được lưu" in body and "Mã cơ sở" in body and "99999" in body
    # Not hidden by the unknown code:
    assert "LIS đã vận hành" in body and "Đọc được “maybe”; cần “Có” hoặc “Không”." in body
    assert response.context["token"] is None


def test_a_token_works_only_for_the_officer_who_uploaded(client, officer, stations):
    client.force_login(officer)
    token = client.post(reverse("reports:import"), {"file": workbook_file([row()])}).context["token"]
    other = type(officer).objects.create(username="canbo.khac", role="officer")
    client.force_login(other)
    response = client.post(reverse("reports:import_commit"), {"token": token}, follow=True)
    assert "không còn" in response.content.decode()
    assert not MonthlyReport.objects.exists()
    for bad in ("../../etc/passwd", ""):
        client.post(reverse("reports:import_commit"), {"token": bad})
    assert not MonthlyReport.objects.exists()


def test_import_pages_are_for_officers_only(client, staff, leadership):
    for user in (staff, leadership):
        client.force_login(user)
        assert client.get(reverse("reports:import")).status_code == 403
        assert client.get(reverse("exports:report_import_template")).status_code == 403
        assert client.post(reverse("reports:import_commit"), {"token": "x" * 24}).status_code == 403


def test_the_template_lists_facilities_without_a_report_for_the_month(officer_client, stations):
    MonthlyReportFactory(approved=True, facility=stations[0], period=datetime.date(2026, 9, 1), departments_total=6)
    MonthlyReportFactory(submitted=True, facility=stations[1], period=OCTOBER)
    FacilityFactory(code="82999", name='=HYPERLINK("http://x","y")', head_name="Ngô Văn Tâm")
    response = officer_client.get(reverse("exports:report_import_template") + "?month=10/2026")
    assert response["Content-Disposition"] == 'attachment; filename="mau-bao-cao-thang-2026-10.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Báo cáo tháng"]
    assert [c.value for c in sheet[1]] == HEADER
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"82221", "82999"}  # 82222 already reported October
    assert rows["82221"][2].value == datetime.datetime(2026, 10, 1) and rows["82221"][2].number_format == "mm/yyyy"
    assert rows["82221"][HEADER.index("Tổng số khoa lâm sàng")].value == 6  # carried over from September
    assert rows["82999"][1].data_type == "s"


def test_the_untouched_template_is_refused_as_not_a_new_report(officer, stations):
    """Pre-filled with last month's figures and uploaded as it is, it must not become a month of reports
    attested in each head's name; the officer may confirm that a facility really did not change."""
    from exports.report_template import template_workbook
    from facilities.models import Facility

    buffer = io.BytesIO()
    MonthlyReportFactory(approved=True, facility=stations[0], period=datetime.date(2026, 9, 1))
    template_workbook(buffer, facilities=Facility.objects.filter(code="82221"), period=OCTOBER)
    report = import_reports(SimpleUploadedFile("mau.xlsx", buffer.getvalue()), by=officer)
    assert not report.committed and report.unchanged == 1
    assert errors(report)[0][2].startswith("Không phải báo cáo mới: mọi số liệu đều giống báo cáo đã duyệt gần nhất")
    assert not MonthlyReport.objects.filter(period=OCTOBER).exists()
    confirmed = import_reports(SimpleUploadedFile("mau.xlsx", buffer.getvalue()), by=officer, allow_unchanged=True)
    assert confirmed.committed, errors(confirmed)


def test_a_changed_template_row_imports(officer, stations):
    from exports.report_template import template_workbook
    from facilities.models import Facility

    buffer = io.BytesIO()
    MonthlyReportFactory(approved=True, facility=stations[0], period=datetime.date(2026, 9, 1), staff_trained=3)
    template_workbook(buffer, facilities=Facility.objects.filter(code="82221"), period=OCTOBER)
    workbook = load_workbook(buffer)
    sheet = workbook["Báo cáo tháng"]
    sheet.cell(2, HEADER.index("Số nhân viên đã được tập huấn HSBA điện tử") + 1, 4)
    out = io.BytesIO()
    workbook.save(out)
    report = import_reports(SimpleUploadedFile("mau.xlsx", out.getvalue()), by=officer)
    assert report.committed, errors(report)


def test_uploads_never_committed_are_deleted_after_a_day(officer_client, officer, stations, settings):
    from exports.builds import exports_cleanup

    officer_client.post(reverse("reports:import"), {"file": workbook_file([row()])})
    folder = settings.MEDIA_ROOT / "imports" / str(officer.pk)
    (upload,) = folder.glob("*.upload")
    os.utime(upload, (NOW.timestamp(), NOW.timestamp()))  # the file system's clock does not time-travel
    exports_cleanup(now=NOW + datetime.timedelta(hours=23))
    assert len(list(folder.glob("*.upload"))) == 1
    exports_cleanup(now=NOW + datetime.timedelta(hours=25))
    assert not list(folder.glob("*.upload"))


def test_a_file_above_the_threshold_is_checked_and_saved_by_the_worker(officer_client, officer, stations, settings):
    from core.models import ImportJob, JobStatus
    from exports.imports import import_run

    settings.EXPORT_BACKGROUND_THRESHOLD = 1
    upload = workbook_file([row(), row(code="82222")])
    response = officer_client.post(reverse("reports:import"), {"file": upload})
    job = ImportJob.objects.get(user=officer)
    assert response["Location"] == job.get_absolute_url()
    assert not MonthlyReport.objects.exists()  # the request only kept the file
    job = import_run(job_id=job.pk)  # what the worker runs (exports/tests/test_imports.py drives a real one)
    assert job.status == JobStatus.CHECKED and not MonthlyReport.objects.exists()
    page = officer_client.get(job.get_absolute_url()).content.decode()
    assert "2 báo cáo sẽ được gửi để thẩm định." in page and "10/2026" in page
    officer_client.post(reverse("exports:import_confirm", args=[job.pk]))
    import_run(job_id=job.pk)
    assert MonthlyReport.objects.filter(status=Status.SUBMITTED, submitted_by=officer).count() == 2
    assert "2 báo cáo đã được gửi để thẩm định" in officer_client.get(job.get_absolute_url()).content.decode()
    assert not list((settings.MEDIA_ROOT / "imports" / str(officer.pk)).glob("*.upload"))
