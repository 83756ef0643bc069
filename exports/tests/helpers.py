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
