"""Reading a clerk's spreadsheet for the all-or-nothing imports: one reader for every import.

Accepted: .xlsx (openpyxl, which keeps each cell's number format, so a cell shown as
95 % is read as 95), .xls and .ods (python-calamine), and .csv (UTF-8 with or without
a byte-order mark, separated by ";" as Vietnamese Excel writes it, or by "," or tab).
The kind is recognised from the file's first bytes, not its name.

What a spreadsheet typed in an office looks like, and what the reader does with it:

- title rows above the table ("UBND TỈNH…", "DANH SÁCH…", merged across the columns):
  the heading row is the first of the first `HEADING_SEARCH_ROWS` rows that holds every
  required column; the rows above it are ignored;
- a row of column numbers under the headings ("(1)", "(2)" … or 1, 2 …): ignored;
- blank rows: ignored; a footer ("Tổng cộng", "Người lập biểu", "Đồng Tháp, ngày …",
  signatures) ends the table: that row and every row after it are ignored, with a note;
- text is trimmed and put in Unicode NFC (a name typed on a Mac or pasted from the web
  arrives decomposed, NFD, and would neither match nor sort with the same name in NFC).

Before any parsing the file is refused when it is bigger than the limits below (an .xlsx
or .ods is a zip: its uncompressed size is checked first, so a "zip bomb" costs nothing).
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import fold

# Limits, checked before a spreadsheet is parsed (documented in the README).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # an .xlsx or .ods, unzipped
MAX_ROWS = 20_000  # rows of the sheet, title and footer rows included
MAX_COLUMNS = 200
HEADING_SEARCH_ROWS = 30

FOOTER_STARTS = (
    "tong cong",
    "tong so",
    "cong:",
    "nguoi lap",
    "nguoi ky",
    "thu truong",
    "giam doc",
    "pho giam doc",
    "truong tram",
    "ke toan",
    "ghi chu",
    "xac nhan",
    "(ky",
    "ky ten",
    "noi nhan",
)
PLACE_DATE = re.compile(r"^[^,]{2,40}, ngay\b.*\bthang\b.*\bnam\b")  # "Đồng Tháp, ngày 05 tháng 12 năm 2026"
COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?$")

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
UNREADABLE = gettext_lazy(
    "This file cannot be read as a spreadsheet. Accepted: Excel (.xlsx, .xls), OpenDocument (.ods) "
    "and CSV (.csv, UTF-8) files."
)


class WorkbookError(Exception):
    """The file as a whole cannot be imported; the message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Vietnamese header shown in the template
    required: bool = False
    aliases: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        folded = fold(header)
        return folded in {fold(self.label), fold(self.key), *(fold(a) for a in self.aliases)}


@dataclass
class SheetRow:
    number: int  # the row number the spreadsheet program shows
    # One key per column found in the heading row (None for an empty cell); a column the file
    # lacks has no key, so an import can leave the fields it does not carry alone.
    values: dict[str, object]
    formulas: set[str] = field(default_factory=set)  # keys whose cell held a formula
    formats: dict[str, str] = field(default_factory=dict)  # keys whose cell has a number format (.xlsx)


@dataclass
class Sheet:
    rows: list[SheetRow]
    kind: str  # XLSX, XLS, ODS or CSV
    heading_row: int
    notes: list[str] = field(default_factory=list)  # rows ignored, and why

    @property
    def keeps_formats(self) -> bool:
        """Whether cells carry their number format (a %-formatted 0.95 can be told from a plain 0.95)."""
        return self.kind == XLSX


@dataclass
class _Cell:
    value: object
    number_format: str = ""
    formula: bool = False


def _open(file) -> tuple[bytes, str]:
    """The file's bytes and its name (a path, an uploaded file or a binary file object)."""
    if isinstance(file, str | Path):
        path = Path(file)
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise WorkbookError(_("The file is larger than 10 MB."))
        return path.read_bytes(), path.name
    if getattr(file, "size", 0) and file.size > MAX_UPLOAD_BYTES:
        raise WorkbookError(_("The file is larger than 10 MB."))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookError(_("The file is larger than 10 MB."))
    return data, getattr(file, "name", "") or ""


def file_kind(data: bytes) -> str:
    """XLSX, XLS, ODS or CSV from the first bytes; WorkbookError for anything else (a PDF, a Word file, an image)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and b"spreadsheet" in archive.open("mimetype").read(100):
                    return ODS
                if "xl/workbook.xml" in names:
                    return XLSX
        except (zipfile.BadZipFile, KeyError, OSError):
            pass
        raise WorkbookError(str(UNREADABLE))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return XLS  # an OLE compound file: Excel 97-2003 (a .doc is refused when no sheet is found)
    head = data[:4096]
    if b"\x00" in head.lstrip(b"\xef\xbb\xbf") or head.startswith(b"%PDF"):
        raise WorkbookError(str(UNREADABLE))
    return CSV


def _check_zip(data: bytes) -> None:
    """Refuse an archive that would unpack beyond MAX_UNCOMPRESSED_BYTES, before anything is unpacked."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(item.file_size for item in archive.infolist())
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookError(
            _("The spreadsheet unpacks to more than %(limit)s MB; split it into smaller files.")
            % {"limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )


def _too_big(rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise WorkbookError(
            _(
                "The sheet has %(rows)s rows and %(columns)s columns; at most %(max_rows)s rows and "
                "%(max_columns)s columns can be imported at once. Split the file, or delete the empty "
                "rows and columns Excel counts as used."
            )
            % {"rows": rows, "columns": columns, "max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS}
        )


def _xlsx_grid(data: bytes) -> list[list[_Cell]]:
    from openpyxl import load_workbook

    try:
        from lxml.etree import XMLSyntaxError

        xml_errors = (ParseError, XMLSyntaxError)
    except ImportError:  # openpyxl parses with ElementTree unless lxml is installed
        xml_errors = (ParseError,)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, *xml_errors):
        raise WorkbookError(str(UNREADABLE)) from None
    try:
        sheet = workbook.worksheets[0]
        if sheet.max_row and sheet.max_column:  # the sheet's own dimension, when it states one
            _too_big(sheet.max_row, sheet.max_column)
        grid = []
        for cells in sheet.iter_rows():
            if len(grid) >= MAX_ROWS:
                _too_big(len(grid) + 1, len(cells))
            _too_big(0, len(cells))
            grid.append(
                [
                    _Cell(
                        getattr(cell, "value", None),
                        getattr(cell, "number_format", "") or "",
                        getattr(cell, "data_type", None) == "f",
                    )
                    for cell in cells
                ]
            )
        return grid
    except (*xml_errors, ValueError, TypeError, KeyError):  # a read-only sheet's XML is parsed as it is read
        raise WorkbookError(str(UNREADABLE)) from None
    finally:
        workbook.close()


def _calamine_grid(data: bytes) -> list[list[_Cell]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        _too_big(sheet.total_height, sheet.total_width)
        rows = sheet.to_python(skip_empty_area=False)
    except WorkbookError:
        raise
    except Exception:  # calamine's errors (CalamineError, ZipError, XmlError, PasswordError …) and bad data
        raise WorkbookError(str(UNREADABLE)) from None
    return [[_Cell(value if value != "" else None) for value in row] for row in rows]


def _csv_grid(data: bytes) -> list[list[_Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookError(
            _("The CSV file is not in UTF-8. In Excel choose Save As, “CSV UTF-8 (Comma delimited)”, and upload again.")
        ) from None
    first_lines = "\n".join(text.splitlines()[:HEADING_SEARCH_ROWS])
    delimiter = max((";", ",", "\t"), key=first_lines.count)
    grid = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if len(grid) >= MAX_ROWS:
            _too_big(len(grid) + 1, len(row))
        _too_big(0, len(row))
        grid.append([_Cell(value if value.strip() else None) for value in row])
    return grid


def normalise_text(value: str) -> str:
    """Trimmed, in Unicode NFC, without the zero-width and no-break spaces pasting brings along."""
    text = unicodedata.normalize("NFC", value).replace("\u00a0", " ")
    return re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text).strip()


def _cell_value(cell: _Cell):
    value = cell.value
    if isinstance(value, str):
        value = normalise_text(value)
        return value or None
    return value


def _is_blank(cells: list[_Cell]) -> bool:
    return all(_cell_value(cell) is None for cell in cells)


def _footer_text(cells: list[_Cell]) -> str | None:
    """The row's first text when it reads like the end of the table (totals, signatures, place and date)."""
    texts = [v for v in (_cell_value(c) for c in cells) if v is not None]
    if not texts or not isinstance(texts[0], str):
        return None
    folded = fold(texts[0])
    if folded.startswith(FOOTER_STARTS) or PLACE_DATE.match(folded):
        return texts[0]
    return None


def _is_column_numbers(cells: list[_Cell]) -> bool:
    """A row "(1) (2) (3) …" or "1 2 3 …" numbering the columns under the headings."""
    numbers = []
    for cell in cells:
        value = _cell_value(cell)
        if value is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        match = COLUMN_NUMBER.match(str(value))
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == sorted(numbers) and numbers[0] in (0, 1)


def _find_headings(grid: list[list[_Cell]], columns: list[Column]) -> tuple[int, dict[str, int]]:
    """The heading row (0-based) and each known column's position; WorkbookError naming what is missing."""
    best: tuple[int, dict[str, int]] = (-1, {})
    for index, cells in enumerate(grid[:HEADING_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for position, cell in enumerate(cells):
            value = _cell_value(cell)
            if value is None:
                continue
            for column in columns:
                if column.key not in positions and column.matches(str(value)):
                    positions[column.key] = position
        if all(c.key in positions for c in columns if c.required):
            return index, positions
        if len(positions) > len(best[1]):
            best = (index, positions)
    index, positions = best
    missing = [c.label for c in columns if c.required and c.key not in positions]
    if index < 0:
        raise WorkbookError(
            _(
                "No heading row found in the first %(rows)s rows. The table needs a row of column "
                "headings, including: %(columns)s."
            )
            % {"rows": HEADING_SEARCH_ROWS, "columns": ", ".join(missing)}
        )
    raise WorkbookError(
        _(
            "The heading row (row %(row)s) lacks the required columns: %(columns)s. Write each heading "
            "as in the template, in one cell of the same row."
        )
        % {"row": index + 1, "columns": ", ".join(missing)}
    )


def read_sheet(file, columns: list[Column]) -> Sheet:
    """The first sheet's table keyed by column, or WorkbookError for a file that cannot be read.

    Headings are matched ignoring case and diacritics. Formula cells are flagged, never
    evaluated, so the caller can reject them.
    """
    data, _name = _open(file)
    kind = file_kind(data)
    if kind in (XLSX, ODS):
        _check_zip(data)
    grid = {XLSX: _xlsx_grid, XLS: _calamine_grid, ODS: _calamine_grid, CSV: _csv_grid}[kind](data)
    if _is_blank([cell for row in grid for cell in row]):
        raise WorkbookError(_("The sheet is empty."))
    heading, positions = _find_headings(grid, columns)
    sheet = Sheet(rows=[], kind=kind, heading_row=heading + 1)
    for index in range(heading + 1, len(grid)):
        cells = grid[index]
        if _is_blank(cells):
            continue
        if index == heading + 1 and _is_column_numbers(cells):
            continue
        footer = _footer_text(cells)
        if footer is not None:
            sheet.notes.append(
                _("Rows from %(row)s on (“%(text)s”) are read as the end of the table and ignored.")
                % {"row": index + 1, "text": footer[:60]}
            )
            break
        row = SheetRow(number=index + 1, values={})
        for key, position in positions.items():
            cell = cells[position] if position < len(cells) else _Cell(None)
            row.values[key] = _cell_value(cell)
            if cell.formula:
                row.formulas.add(key)
            if cell.number_format and cell.number_format != "General":
                row.formats[key] = cell.number_format
        if any(value is not None for value in row.values.values()):
            sheet.rows.append(row)
    if not sheet.rows:
        raise WorkbookError(_("The file has no data rows."))
    return sheet


def is_sample(code) -> bool:
    """A template's sample row: its code starts with "MẪU" (or "VÍ DỤ"), which no real code can."""
    return fold(str(code or "")).startswith(("mau", "vi du"))
