"""The one reader every import goes through, fed the files clerks actually make."""

import datetime
import io
import unicodedata
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core import cells
from core.cells import CellError
from core.spreadsheet import MAX_ROWS, Column, WorkbookError, read_sheet
from core.tests.workbooks import MAKERS, Percent, csv_bytes, xlsx_bytes, zip_bomb

COLUMNS = [
    Column("code", "Mã cơ sở", required=True),
    Column("name", "Tên cơ sở", required=True),
    Column("share", "Tỷ lệ ký số (%)"),
    Column("day", "Ngày quyết định"),
]
HEADINGS = ["Mã cơ sở", "Tên cơ sở", "Tỷ lệ ký số (%)", "Ngày quyết định"]
TITLE_ROWS = [
    ["UBND TỈNH ĐỒNG THÁP", None, None, None],
    ["DANH SÁCH CƠ SỞ KHÁM BỆNH, CHỮA BỆNH", None, None, None],
    [None, None, None, None],
]
NFD_NAME = unicodedata.normalize("NFD", "Trạm Y tế xã Tân Hồng")
DATA = [
    ["82221", NFD_NAME, Percent(0.95), datetime.date(2026, 7, 15)],
    ["82222", "  Trạm Y tế xã Tân Thành ", "87,5%", "15-07-2026"],
]
FOOTER = [
    [None, None, None, None],
    ["Tổng cộng", None, None, None],
    ["Đồng Tháp, ngày 05 tháng 12 năm 2026", None, None, None],
    ["Người lập biểu", None, None, "Giám đốc"],
    ["Nguyễn Văn A", None, None, "Trần Thị B"],
]


def read(content: bytes, columns=COLUMNS):
    return read_sheet(io.BytesIO(content), columns)


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "csv"])
def test_every_accepted_format_gives_the_same_rows_below_titles_and_above_the_footer(kind):
    content = MAKERS[kind]([*TITLE_ROWS, HEADINGS, *DATA, *FOOTER])
    sheet = read(content)
    assert sheet.kind == kind
    assert sheet.heading_row == 4
    assert [row.number for row in sheet.rows] == [5, 6]
    first, second = sheet.rows
    assert first.values["name"] == "Trạm Y tế xã Tân Hồng"
    assert unicodedata.is_normalized("NFC", first.values["name"])  # stored NFC whatever was typed
    assert second.values["name"] == "Trạm Y tế xã Tân Thành"  # trimmed
    share = cells.read_percent(
        first.values["share"], number_format=first.formats.get("share", ""), keeps_formats=sheet.keeps_formats
    )
    assert share == Decimal("95")  # a cell shown as 95 % is 95 %, never 0.95 %
    assert cells.read_percent(second.values["share"]) == Decimal("87.5")
    assert cells.read_date(first.values["day"]) == datetime.date(2026, 7, 15)
    assert cells.read_date(second.values["day"]) == datetime.date(2026, 7, 15)
    assert sheet.notes == ["Từ dòng 8 (“Tổng cộng”) trở đi là phần cuối bảng, không được nhập."]


def test_merged_title_rows_above_the_headings_are_skipped():
    sheet = read(xlsx_bytes([*TITLE_ROWS, HEADINGS, *DATA], merge_title_rows=2))
    assert sheet.heading_row == 4 and len(sheet.rows) == 2


def test_a_row_numbering_the_columns_is_not_data():
    sheet = read(xlsx_bytes([HEADINGS, ["(1)", "(2)", "(3)", "(4)"], *DATA]))
    assert [row.number for row in sheet.rows] == [3, 4]


def test_a_csv_separated_by_commas_without_a_byte_order_mark_is_read_too():
    sheet = read(csv_bytes([HEADINGS, *DATA], delimiter=",", bom=False))
    assert [row.values["code"] for row in sheet.rows] == ["82221", "82222"]


def test_a_csv_not_in_utf8_is_refused_saying_how_to_save_it():
    content = "Tên;Mã\n82221;Tâm\n".encode("latin-1")  # not UTF-8
    with pytest.raises(WorkbookError, match="CSV UTF-8"):
        read(content)


def test_missing_headings_name_the_row_and_the_columns():
    with pytest.raises(WorkbookError) as error:
        read(xlsx_bytes([*TITLE_ROWS, ["Mã cơ sở", "Tên đơn vị"], ["82221", "Trạm"]]))
    assert str(error.value).startswith("Hàng tiêu đề (dòng 4) thiếu cột bắt buộc: Tên cơ sở.")


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    content = zip_bomb(101)
    assert len(content) < 1024 * 1024  # small on disk
    with pytest.raises(WorkbookError, match="100 MB"):
        read(content)


def test_a_sheet_with_more_rows_than_the_limit_is_refused_before_reading_them():
    workbook = Workbook()
    workbook.active.append(HEADINGS)
    workbook.active.cell(MAX_ROWS + 5, 1, "x")
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(WorkbookError, match="20000|20.000"):
        read(out.getvalue())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/07/2026", datetime.date(2026, 7, 15)),
        ("15-07-2026", datetime.date(2026, 7, 15)),
        ("15.07.2026", datetime.date(2026, 7, 15)),
        ("15/7/26", datetime.date(2026, 7, 15)),
        ("2026-07-15", datetime.date(2026, 7, 15)),
        ("ngày 15 tháng 7 năm 2026", datetime.date(2026, 7, 15)),
        (46218, datetime.date(2026, 7, 15)),  # an Excel serial number
        (46218.0, datetime.date(2026, 7, 15)),
        (datetime.datetime(2026, 7, 15, 8, 30), datetime.date(2026, 7, 15)),
        (None, None),
    ],
)
def test_dates_as_a_vietnamese_office_writes_them(value, expected):
    assert cells.read_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11/2026", datetime.date(2026, 11, 1)),
        ("T11/2026", datetime.date(2026, 11, 1)),
        ("Tháng 11/2026", datetime.date(2026, 11, 1)),
        ("tháng 11 năm 2026", datetime.date(2026, 11, 1)),
        ("11-2026", datetime.date(2026, 11, 1)),
        ("11.2026", datetime.date(2026, 11, 1)),
        (11.2026, datetime.date(2026, 11, 1)),  # typed 11.2026 into a cell Excel made a number
        ("2026-11", datetime.date(2026, 11, 1)),
        ("01/11/2026", datetime.date(2026, 11, 1)),
        (datetime.datetime(2026, 11, 1), datetime.date(2026, 11, 1)),
    ],
)
def test_months_as_a_vietnamese_office_writes_them(value, expected):
    assert cells.read_month(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.200", 1200),
        ("1.200.000", 1200000),
        ("1 200", 1200),
        ("1,200,000", 1200000),
        ("1.250.000.000 đ", 1250000000),
        (1200.0, 1200),
        (1200, 1200),
    ],
)
def test_whole_numbers_with_thousands_separators(value, expected):
    assert cells.read_integer(value) == expected


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (0.95, "0%", Decimal("95")),
        (0.875, "0.0%", Decimal("87.5")),
        ("95%", "", Decimal("95")),
        ("95,5 %", "", Decimal("95.5")),
        ("87,5%", "", Decimal("87.5")),
        (95, "General", Decimal("95")),
        ("100", "", Decimal("100")),
    ],
)
def test_percentages_from_formatted_cells_and_text(value, number_format, expected):
    assert cells.read_percent(value, number_format=number_format) == expected


@pytest.mark.parametrize(
    ("reader", "value", "shown"),
    [
        (cells.read_date, "32/13/2026", "32/13/2026"),
        (cells.read_date, "hôm qua", "hôm qua"),
        (cells.read_date, 12.5, "12.5"),  # not a plausible serial number
        (cells.read_date, float("nan"), "nan"),
        (cells.read_date, True, "TRUE"),
        (cells.read_month, "Quý 3/2026", "Quý 3/2026"),
        (cells.read_month, "13/2026", "13/2026"),
        (cells.read_integer, "mười", "mười"),
        (cells.read_integer, "1,5", "1,5"),
        (cells.read_integer, 1e300, "1e+300"),
        (cells.read_integer, float("inf"), "inf"),
        (cells.read_integer, datetime.date(2026, 7, 15), "15/07/2026"),
        (cells.read_percent, "chín mươi", "chín mươi"),
        (cells.read_percent, "1.200,5", "1.200,5"),
        (cells.read_percent, -5, "-5"),
        (cells.read_flag, "có lẽ", "có lẽ"),
    ],
)
def test_a_refused_cell_says_the_value_read_and_the_format_expected(reader, value, shown):
    with pytest.raises(CellError) as error:
        reader(value)
    assert error.value.message.startswith(f"Đọc được “{shown}”; cần ")


def test_a_percentage_over_100_in_a_percent_cell_is_named_as_the_spreadsheet_shows_it():
    with pytest.raises(CellError) as error:
        cells.read_percent(1.205, number_format="0.0%")
    assert error.value.message == "Đọc được “120,5%”; cần một tỷ lệ phần trăm, ví dụ 95 hoặc 95,5% (từ 0 đến 100)."


def test_text_in_an_old_vietnamese_encoding_is_recognised_and_named():
    with pytest.raises(CellError, match="TCVN3") as error:
        cells.read_text("Tr¹m Y tÕ x· T©n Hång")  # "Trạm Y tế xã Tân Hồng" typed in TCVN3 (ABC)
    assert "Unikey" in error.value.message
    with pytest.raises(CellError, match="VNI"):
        cells.read_text("Traïm Y teá xaõ Taân Hoàng")  # the same in VNI-Windows
    assert cells.read_text("Trạm Y tế xã Tân Hồng") == "Trạm Y tế xã Tân Hồng"
