"""The monthly reports import fed the files clerks make: every format, titles and footers, Vietnamese
numbers, percentages, dates and months; any cell type in any column gives a row message, never an error."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core.tests.workbooks import MAKERS, Percent, xlsx_bytes
from facilities.tests.factories import FacilityFactory
from reports.imports import COLUMNS, import_reports
from reports.models import MonthlyReport

NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
OCTOBER = datetime.date(2026, 10, 1)
HEADER = [c.label for c in COLUMNS]
FILES = Path(__file__).parent / "files"
GOOD = {
    "code": "82221",
    "period": "T10/2026",
    "stage": 3,
    "departments_total": 5,
    "departments_live": 3,
    "inpatient_records": "1.200",
    "inpatient_electronic": 1000,
    "outpatient_visits": "12.500",
    "outpatient_electronic": 7000,
    "signed_share": Percent(0.95),
    "lis_live": "Có",
    "pacs_live": "Không",
    "bhxh_on_time_share": "87,5%",
    "vneid_sent": "x",
    "signers_total": 8,
    "signers_with_certificate": 6,
    "security_approved": "Không",
    "last_backup_date": "28.10.2026",
    "last_restore_test_date": "15/7/26",
    "staff_total": 10,
    "staff_trained": 9,
    "spending_to_date": "120.000.000 đ",
    "difficulties": "Thiếu kinh phí mua chữ ký số.",
    "needs_escalation": "Không",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def station(db):
    return FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng", head_name="Đặng Hữu Phúc")


def row(**changes) -> list:
    values = GOOD | changes
    return [values.get(column.key) for column in COLUMNS]


def upload(content: bytes, name="bao-cao.xlsx"):
    return SimpleUploadedFile(name, content)


def errors(report):
    return [(r.row, column, message) for r in report.rows for column, message in r.errors]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "csv"])
def test_a_clerks_file_in_any_format_stores_the_values_it_shows(officer, station, kind):
    content = MAKERS[kind](
        [
            ["SỞ Y TẾ ĐỒNG THÁP"] + [None] * (len(HEADER) - 1),
            ["BÁO CÁO TIẾN ĐỘ TRIỂN KHAI HSBA ĐIỆN TỬ THÁNG 10/2026"] + [None] * (len(HEADER) - 1),
            HEADER,
            row(),
            ["Tổng cộng"] + [None] * (len(HEADER) - 1),
            ["Người lập biểu"] + [None] * (len(HEADER) - 1),
        ]
    )
    report = import_reports(upload(content), by=officer)
    assert report.committed, (errors(report), report.file_error)
    stored = MonthlyReport.objects.get(facility=station, period=OCTOBER)
    assert stored.signed_share == Decimal("95")  # a cell shown as 95 % is 95 %
    assert stored.bhxh_on_time_share == Decimal("87.5")
    assert (stored.inpatient_records, stored.outpatient_visits) == (1200, 12500)
    assert stored.spending_to_date == 120_000_000
    assert stored.last_backup_date == datetime.date(2026, 10, 28)
    assert stored.last_restore_test_date == datetime.date(2026, 7, 15)
    assert report.notes == ["Từ dòng 5 (“Tổng cộng”) trở đi là phần cuối bảng, không được nhập."]


@pytest.mark.parametrize("month", ["10/2026", "T10/2026", "Tháng 10/2026", "10-2026", "10.2026", "2026-10"])
def test_months_written_every_usual_way(officer, station, month):
    report = import_reports(upload(xlsx_bytes([HEADER, row(period=month)])), by=officer)
    assert report.committed, errors(report)
    assert MonthlyReport.objects.get(facility=station).period == OCTOBER


def test_a_refused_cell_names_its_row_column_the_value_read_and_the_format_expected(officer, station):
    report = import_reports(
        upload(xlsx_bytes([HEADER, row(last_backup_date="32/10/2026", staff_total="mười")])), by=officer
    )
    assert not report.committed
    assert "Ngày sao lưu thành công gần nhất" in dict((c, m) for _r, c, m in errors(report))
    found = {column: message for _row, column, message in errors(report)}
    assert found["Ngày sao lưu thành công gần nhất"].startswith("Đọc được “32/10/2026”; cần ngày dạng dd/mm/yyyy")
    assert found["Tổng số nhân viên"] == "Đọc được “mười”; cần một số nguyên, ví dụ 1.200."
    assert "Nhập một số tổng thể" not in str(errors(report))  # never Django's wording for a number


def test_a_sample_row_is_skipped_with_a_note(officer, station):
    report = import_reports(upload(xlsx_bytes([HEADER, row(code="MẪU01"), row()])), by=officer)
    assert report.committed, errors(report)
    assert report.notes == ["Dòng 2 là dòng mẫu của tệp mẫu, không được nhập."]
    assert MonthlyReport.objects.count() == 1


CELL_TYPES = [
    "chữ bất kỳ",
    datetime.datetime(2026, 10, 15, 8, 30),
    True,
    1e300,
    -5,
    46218,  # an Excel serial number
    12.75,
    None,
    "=1+1",  # a formula
    "Tr¹m Y tÕ",  # TCVN3
]


def test_every_column_takes_every_cell_type_with_a_row_message_never_an_exception(officer, station):
    for index, column in enumerate(COLUMNS):
        for value in CELL_TYPES:
            values = row()
            values[index] = value
            report = import_reports(upload(xlsx_bytes([HEADER, values])), by=officer, commit=False)
            assert not report.file_error, (column.label, value)
            (result,) = report.rows
            assert all(isinstance(message, str) and message for _column, message in result.errors)
            if result.outcome == "rejected":
                assert result.errors, (column.label, value)


# Made the way a clerk makes them: the rows typed as text (files/bao-cao-thang.csv) and opened in
# LibreOffice Calc 7.4 with Vietnamese settings, then saved as .xlsx and .ods:
#   soffice --headless --infilter="CSV:59,34,76,1,,1066,false,true" --convert-to xlsx files/bao-cao-thang.csv
# (1066 is vi-VN: Calc stores "1.200" as 1200, "87,5%" as 0.875 formatted 0.00%, "28/10/2026" as a date
# and "02773851234" as a number; "10/2026" stays text.)
@pytest.mark.parametrize("name", ["bao-cao-thang.xlsx", "bao-cao-thang.ods"])
def test_a_file_saved_by_libreoffice_calc_in_vietnamese_is_read_as_typed(station, officer, name):
    report = import_reports(FILES / name, by=officer)
    assert report.committed, (report.file_error, [r.errors for r in report.rows])
    saved = MonthlyReport.objects.get(facility=station, period=OCTOBER)
    assert (saved.signed_share, saved.bhxh_on_time_share) == (Decimal("95"), Decimal("87.5"))
    assert (saved.inpatient_records, saved.outpatient_visits, saved.spending_to_date) == (1200, 12500, 120_000_000)
    assert saved.last_backup_date == datetime.date(2026, 10, 28)
    assert saved.last_restore_test_date == datetime.date(2026, 7, 15)
    assert saved.difficulties == "Thiếu kinh phí mua chữ ký số." and saved.attested_by_name == "Đặng Hữu Phúc"
