"""Workbooks broken the way real uploads break, for the import tests."""

import csv
import datetime
import io
import zipfile

# (part of the .xlsx zip, its new content or None for its first half): a sheet cut short, a garbled workbook part.
DAMAGES = {
    "truncated sheet": ("xl/worksheets/sheet1.xml", None),
    "garbage workbook.xml": ("xl/workbook.xml", b"\x00garbage<<not xml"),
}


def damaged(content: bytes, damage: str) -> bytes:
    """`content` (a valid .xlsx) still a valid zip, with one XML part replaced as DAMAGES says."""
    part, data = DAMAGES[damage]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == part:
                body = data if data is not None else body[: len(body) // 2]
            target.writestr(item, body)
    return out.getvalue()


class Percent(float):
    """A value written into a cell formatted as a percentage (0.95 shows as 95 %)."""


def xlsx_bytes(rows, merge_title_rows: int = 0) -> bytes:
    """An .xlsx as Excel saves it; a string starting with "=" is a formula, a Percent a %-formatted cell."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([float(v) if isinstance(v, Percent) else v for v in row])
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(sheet.max_row, index)
            if isinstance(value, Percent):
                cell.number_format = "0%"
            elif isinstance(value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
    width = max(len(r) for r in rows)
    for index in range(1, merge_title_rows + 1):
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xls_bytes(rows) -> bytes:
    """An Excel 97-2003 .xls (xlwt), with dates and percentages formatted as Excel would."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    percent_style = xlwt.easyxf(num_format_str="0%")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, Percent):
                sheet.write(r, c, float(value), percent_style)
            elif isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ods_bytes(rows) -> bytes:
    """An OpenDocument spreadsheet (odfpy), each cell typed as LibreOffice types it."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if value is None:
                cell = TableCell()
            elif isinstance(value, Percent):
                cell = TableCell(valuetype="percentage", value=float(value))
                cell.addElement(P(text=f"{float(value) * 100:g}%"))
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false")
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            elif isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=f"{value:%d/%m/%Y}"))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def csv_bytes(rows, delimiter: str = ";", bom: bool = True) -> bytes:
    """A CSV as Vietnamese Excel saves "CSV UTF-8": semicolons, a byte-order mark, dates as dd/mm/yyyy."""

    def text(value):
        if value is None:
            return ""
        if isinstance(value, Percent):
            return f"{float(value) * 100:g}%".replace(".", ",")
        if isinstance(value, datetime.date):
            return f"{value:%d/%m/%Y}"
        return str(value)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([text(v) for v in row])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def zip_bomb(uncompressed_mb: int) -> bytes:
    """A small .xlsx-looking zip whose sheet unpacks to `uncompressed_mb` megabytes of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * (1024 * 1024)
            for _ in range(uncompressed_mb):
                sheet.write(chunk)
    return out.getvalue()


MAKERS = {"xlsx": xlsx_bytes, "xls": xls_bytes, "ods": ods_bytes, "csv": csv_bytes}
