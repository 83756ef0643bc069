"""Whole rows written by `RowWorksheet.write_cells` give the file XlsxWriter's own cell methods give."""

import datetime
import io
import math
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.utils.safestring import SafeString

from exports.row_xml import FORMULA_TRIGGERS, RowWorksheet

ROWS = [
    # (values, height in points)
    (["82001", "Bệnh viện Đa khoa Đồng Tháp", 87.5, 0.455, 12, datetime.date(2026, 9, 30), None], None),
    (["82002", 'A & B <Trung tâm> "Y tế"', Decimal("87.50"), -3, 0, datetime.date(1900, 2, 28), None], 33),
    ([" leading", "trailing\n", "tab\there", "ctrl\x01char", "literal _x0041_ text", "odd\ufffe", "nbsp\xa0"], 15),
    (["=1+1", "+84 912", "-5", "@sum", "＝ full width", "ok", None], 409),
    ([1e-07, 123456789012345678, 2.5e20, datetime.datetime(2026, 10, 1, 8, 30), "Có", "Không", "Xã Mỹ Trà"], 18.7),
    ([SafeString("Trạm Y tế <xã>"), None, None, None, None, None, None], None),
]


def _workbook(buffer):
    return xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_numbers": False})


def _styles(book):
    return [book.add_format({"border": 1, "num_format": "#,##0"}), book.add_format({"text_wrap": True})] * 4


def _sheet_xml(buffer) -> str:
    with zipfile.ZipFile(buffer) as package:
        return package.read("xl/worksheets/sheet1.xml").decode() + package.read("xl/styles.xml").decode()


def _by_xlsxwriter() -> str:
    """The reference: XlsxWriter's own methods, one cell at a time."""
    buffer = io.BytesIO()
    book = _workbook(buffer)
    styles, neutral = _styles(book), book.add_format({"quote_prefix": True})
    sheet = book.add_worksheet("Thử")
    sheet.write_string(0, 0, "Tiêu đề", styles[1])
    for row, (values, height) in enumerate(ROWS, start=1):
        if height is not None:
            sheet.set_row(row, height)
        for col, (value, style) in enumerate(zip(values, styles, strict=False)):
            if value is None:
                sheet.write_blank(row, col, None, style)
            elif isinstance(value, str):
                sheet.write_string(row, col, value, neutral if value.startswith(FORMULA_TRIGGERS) else style)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, col, value, style)
            else:
                sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, style)
    sheet.write_string(len(ROWS) + 1, 0, "Tổng cộng", styles[0])
    book.close()
    return _sheet_xml(buffer)


def _by_rows() -> str:
    buffer = io.BytesIO()
    book = _workbook(buffer)
    styles, neutral = _styles(book), book.add_format({"quote_prefix": True})
    sheet = book.add_worksheet("Thử", worksheet_class=RowWorksheet)
    sheet.write_string(0, 0, "Tiêu đề", styles[1])
    for row, (values, height) in enumerate(ROWS, start=1):
        sheet.write_cells(row, values, styles, height, formula_style=neutral)
    sheet.write_string(len(ROWS) + 1, 0, "Tổng cộng", styles[0])
    book.close()
    return _sheet_xml(buffer)


def test_whole_rows_give_the_same_xml_as_xlsxwriters_cell_methods():
    expected = _by_xlsxwriter()
    assert 'xml:space="preserve"> leading' in expected and "_x005F_x0041_" in expected and "_x0001_" in expected
    assert _by_rows() == expected


def test_a_text_like_rich_string_markup_stays_text():
    buffer = io.BytesIO()
    book = _workbook(buffer)
    sheet = book.add_worksheet("Thử", worksheet_class=RowWorksheet)
    sheet.write_cells(0, ["<r><t>x</t></r>"], [book.add_format()])
    book.close()
    assert "<t>&lt;r&gt;&lt;t&gt;x&lt;/t&gt;&lt;/r&gt;</t>" in _sheet_xml(buffer)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_number_excel_cannot_hold_is_refused(value):
    book = _workbook(io.BytesIO())
    sheet = book.add_worksheet("Thử", worksheet_class=RowWorksheet)
    with pytest.raises(TypeError):
        sheet.write_cells(0, [value], [book.add_format()])


def test_rows_must_come_in_order():
    book = _workbook(io.BytesIO())
    sheet = book.add_worksheet("Thử", worksheet_class=RowWorksheet)
    sheet.write_cells(3, ["a"], [book.add_format()])
    with pytest.raises(ValueError):
        sheet.write_cells(3, ["b"], [book.add_format()])
