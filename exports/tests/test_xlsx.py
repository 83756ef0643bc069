import datetime
import io
from decimal import Decimal

import pytest

from exports.tests.helpers import header_row, load, printed_pt
from exports.xlsx import (
    MAX_CELL_CHARS,
    TRUNCATION_MARKER,
    CellFormat,
    Col,
    SheetWriter,
    new_workbook,
)

AS_OF = datetime.date(2026, 11, 25)
COLUMNS = [
    Col("Mã cơ sở", width=9),
    Col("Tên cơ sở", width=40, wrap=True),
    Col("Ngày dừng bệnh án giấy", CellFormat.DATE),
    Col("Tiến độ", CellFormat.PERCENT),
    Col("Kinh phí", CellFormat.VND),
    Col("Số khoa", CellFormat.INTEGER),
    Col("Kết nối BHXH", CellFormat.BOOLEAN),
]


def build(rows, columns=COLUMNS, total=None, **kwargs):
    workbook = new_workbook("Thử")
    sheet = SheetWriter(workbook, "Chi tiết", columns, title="BÁO CÁO THỬ", as_of=AS_OF, **kwargs)
    for row in rows:
        sheet.append(row)
    if total:
        sheet.append_total(total)
    sheet.close()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load(buffer.getvalue())["Chi tiết"]


def test_the_official_header_block_heads_the_sheet(settings):
    settings.ISSUING_BODY, settings.ISSUING_UNIT = "UBND TỈNH ĐỒNG THÁP", "SỞ Y TẾ"
    sheet = build([])
    assert sheet["A1"].value == "UBND TỈNH ĐỒNG THÁP"
    assert sheet["A2"].value == "SỞ Y TẾ" and sheet["A2"].font.b
    assert sheet["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["D2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert sheet["A4"].value == "BÁO CÁO THỬ"
    assert sheet["A5"].value == "Số liệu tính đến ngày 25/11/2026"
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A1:C1", "D1:H1", "A2:C2", "D2:H2", "A4:H4", "A5:H5"}


def test_issuing_body_comes_from_settings(settings):
    settings.ISSUING_BODY, settings.ISSUING_UNIT = "UBND TỈNH AN GIANG", "SỞ Y TẾ AN GIANG"
    sheet = build([])
    assert (sheet["A1"].value, sheet["A2"].value) == ("UBND TỈNH AN GIANG", "SỞ Y TẾ AN GIANG")


def test_headings_are_frozen_filtered_and_repeated_on_each_printed_page():
    sheet = build([["82001", "Bệnh viện", None, None, None, None, None]] * 3)
    first = header_row(sheet)
    assert [c.value for c in sheet[first]] == ["STT", *[c.header for c in COLUMNS]]
    # The headings and the code and name columns (after STT) stay in view.
    assert sheet.freeze_panes == f"D{first + 1}"
    assert sheet.auto_filter.ref == f"A{first}:H{first + 3}"
    assert sheet.print_title_rows == f"${first}:${first}"


def test_print_setup_is_landscape_a4_fitted_to_the_page_width():
    sheet = build([])
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert printed_pt(sheet) >= 8


def test_a_wide_sheet_prints_on_a3_with_text_at_8_pt_or_more():
    columns = [Col("Mã cơ sở", width=9), Col("Tên cơ sở", width=40)] + [Col(f"Cột {i}", width=20) for i in range(9)]
    sheet = build([["82001", "Bệnh viện", *range(9)]], columns=columns)
    assert sheet.page_setup.paperSize == 8
    assert 8 <= printed_pt(sheet) <= 11
    assert sheet.print_title_cols is None  # one page wide: nothing to repeat


def test_a_sheet_too_wide_for_a3_prints_across_pages_repeating_code_and_name():
    columns = [Col("Mã cơ sở", width=9), Col("Tên cơ sở", width=40)] + [Col(f"Cột {i}", width=20) for i in range(30)]
    sheet = build([["82001", "Bệnh viện", *range(30)]], columns=columns)
    assert sheet.page_setup.paperSize == 8 and sheet.page_setup.fitToWidth >= 2
    assert sheet.print_title_cols == "$A:$C"
    assert printed_pt(sheet) >= 8


def test_rows_are_tall_enough_for_their_wrapped_text():
    long = "Thiếu kinh phí mua chữ ký số cho bác sĩ; đường truyền chậm; chưa có máy chủ dự phòng. " * 4
    sheet = build([["82001", long, None, None, None, None, None], ["82002", "Trạm", None, None, None, None, None]])
    first = header_row(sheet) + 1
    lines = -(-len(long.strip()) // 39)  # the name column is 40 characters wide
    assert sheet.row_dimensions[first].height >= lines * 15
    assert sheet.cell(first, 3).alignment.wrap_text
    assert sheet.row_dimensions[first + 1].height in (None, 15)  # a one-line row keeps the default


def test_column_widths_fit_the_declared_widths_and_the_longest_heading_word():
    sheet = build([], columns=[Col("Tên cơ sở khám bệnh", width=40), Col("Ngày", CellFormat.DATE)], numbered=False)
    assert int(sheet.column_dimensions["A"].width) == 40  # stored with Excel's pixel rounding
    assert int(sheet.column_dimensions["B"].width) == 12


def test_dates_and_numbers_are_real_cells_with_formats():
    sheet = build([["82001", "Bệnh viện", datetime.date(2026, 9, 30), Decimal("0.4567"), 1_250_000_000, 12, True]])
    row = header_row(sheet) + 1
    number, code, name, date, progress, money, count, bhxh = sheet[row]
    assert number.value == 1 and number.data_type == "n"
    assert code.value == "82001" and code.data_type == "s"  # codes stay text: leading zeros matter
    assert date.is_date and date.value == datetime.datetime(2026, 9, 30) and date.number_format == "dd/mm/yyyy"
    assert progress.data_type == "n" and progress.value == pytest.approx(0.4567) and progress.number_format == "0.0%"
    assert money.data_type == "n" and money.value == 1_250_000_000 and "₫" in money.number_format
    assert count.data_type == "n" and count.number_format == "#,##0"
    assert bhxh.value == "Có"


def test_aware_datetimes_are_written_in_the_province_time_zone():
    moment = datetime.datetime(2026, 11, 25, 1, 30, tzinfo=datetime.UTC)
    sheet = build([[moment]], columns=[Col("Lúc", CellFormat.DATETIME)], numbered=False)
    cell = sheet.cell(header_row_of(sheet) + 1, 1)
    assert cell.value == datetime.datetime(2026, 11, 25, 8, 30)


def header_row_of(sheet) -> int:
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == "Lúc":
            return row[0].row
    raise AssertionError


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "=1+1", "+84 277 3821 111", "-Ấp 3 (cũ)", "@SUM(A1:A2)", "\tTab", "\rCR", "＝1"],
)
def test_text_that_starts_like_a_formula_stays_plain_text(text):
    sheet = build([["82001", text, None, None, None, None, None]])
    cell = sheet.cell(header_row(sheet) + 1, 3)
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    # XML turns a carriage return into a line feed on reading; everything after it is kept.
    assert cell.value[1:] == text[1:]


def test_ordinary_text_and_error_lookalikes_are_plain_strings():
    sheet = build([["82001", "#N/A"] + [None] * 5, ["82002", "Trạm Y tế"] + [None] * 5])
    first = header_row(sheet) + 1
    assert sheet.cell(first, 3).data_type == "s" and sheet.cell(first, 3).value == "#N/A"
    assert sheet.cell(first + 1, 3).value == "Trạm Y tế" and not sheet.cell(first + 1, 3).quotePrefix


def test_text_over_the_cell_limit_is_cut_with_a_visible_marker():
    long_text = "Khó khăn về kinh phí. " * 2000  # 44,000 characters
    emoji_text = "🏥" * 20_000  # each counts twice in Excel's limit
    sheet = build([["82001", long_text, None, None, None, None, None], ["82002", emoji_text, None, None, None, None]])
    first = header_row(sheet) + 1
    cut = sheet.cell(first, 3).value
    assert cut.endswith(TRUNCATION_MARKER) and len(cut) == MAX_CELL_CHARS
    assert long_text.startswith(cut[: -len(TRUNCATION_MARKER)])
    emoji_cut = sheet.cell(first + 1, 3).value
    assert emoji_cut.endswith(TRUNCATION_MARKER)
    assert len(emoji_cut.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS


def test_control_characters_excel_forbids_are_dropped_not_fatal():
    sheet = build([["82001", "Trạm\x00 Y tế\x0b", None, None, None, None, None]])
    assert sheet.cell(header_row(sheet) + 1, 3).value == "Trạm Y tế"


def test_total_row_is_bold_and_outside_the_filter():
    sheet = build([["82001", "A", None, 0.5, 10, 3, None]] * 2, total=["", "Tổng cộng", None, 0.5, 20, 6, None])
    first = header_row(sheet)
    total = sheet[first + 3]
    assert total[2].value == "Tổng cộng" and total[2].font.b
    assert total[6].value == 6
    assert sheet.auto_filter.ref == f"A{first}:H{first + 2}"
