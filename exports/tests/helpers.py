"""Reading produced workbooks back, the way the tests check them."""

import io

from openpyxl import load_workbook


def load(content: bytes):
    return load_workbook(io.BytesIO(content))


def response_workbook(response):
    """The workbook a download response carries (streamed or not)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load(content)


def header_row(sheet) -> int:
    """The row of the column headings: the first row whose first cell is STT."""
    for row in sheet.iter_rows(min_col=1, max_col=1):
        if row[0].value == "STT":
            return row[0].row
    raise AssertionError("no heading row")


def table(sheet) -> list[dict]:
    """The data rows as dicts keyed by heading, stopping at the first empty row."""
    first = header_row(sheet)
    headings = [c.value for c in sheet[first]]
    rows = []
    for cells in sheet.iter_rows(min_row=first + 1):
        if all(c.value is None for c in cells):
            break
        rows.append(dict(zip(headings, cells, strict=False)))
    return rows


PRINTABLE_PT = {9: 842 - 57.6, 8: 1191 - 57.6}  # A4, A3 landscape less 0.4 in margins each side


def column_points(width: float) -> float:
    return (int(width * 7 + 0.5) + 5) * 0.75


def printed_pt(sheet) -> float:
    """The data text's size on paper: its font size times the scale that fitting the columns to
    the sheet's pages wide (repeating its print-title columns on each) forces."""
    from openpyxl.utils import column_index_from_string

    widths = column_widths(sheet)
    total = sum(column_points(w) for w in widths)
    key = 0.0
    if sheet.print_title_cols:
        last = column_index_from_string(sheet.print_title_cols.split(":")[1].strip("$"))
        key = sum(column_points(w) for w in widths[:last])
    pages = int(sheet.page_setup.fitToWidth or 1)
    scale = min(1.0, pages * PRINTABLE_PT[int(sheet.page_setup.paperSize)] / (total + (pages - 1) * key))
    row = header_row_any(sheet) + 1
    size = min((c.font.sz for c in sheet[row] if c.font and c.font.sz), default=11)
    return size * scale


def column_widths(sheet) -> list[float]:
    """Each column's stored width: XlsxWriter writes neighbouring columns of one width as one range (min to max),
    which openpyxl keeps under the range's first letter only; a column without one has Excel's default 8.43."""
    widths = [8.43] * sheet.max_column
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min or 1, min(dimension.max or 0, sheet.max_column) + 1):
            widths[index - 1] = dimension.width
    return widths


def header_row_any(sheet) -> int:
    """The heading row: the row the sheet repeats on each printed page."""
    return int(sheet.print_title_rows.split(":")[0].strip("$"))
