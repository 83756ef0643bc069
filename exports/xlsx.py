"""The writing layer every workbook goes through (XlsxWriter in constant-memory mode).

Rows stream to a temporary file as they are written, so memory stays bounded however
many facilities an export covers; data rows are written whole (`row_xml.RowWorksheet`). One
`SheetWriter` per sheet gives every export the same guarantees: the official header
block, text from users that Excel shows as text and never evaluates, text cut with a
visible marker at Excel's cell limit, real dates and numbers with Vietnamese-friendly
formats, an autofilter, and a printed page a person can read:

- every text column wraps, and each row is made tall enough for its longest text
  (estimated from the text's length and the column's width), so nothing prints over
  the next row or is cut off;
- landscape, A4 when the columns fit at a readable size, else A3; text is printed at
  `MIN_PRINTED_PT` or more: a sheet too wide even for A3 prints across several pages
  wide, each repeating the code and name columns, instead of shrinking the text;
- the heading row repeats on every printed page; the heading rows and the code and
  name columns stay in view while scrolling.

Rows must be written top to bottom (constant-memory mode writes each row when the next
one starts); the autofilter and print settings may be set any time before saving.
"""

import datetime
import functools
import math
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.utils import timezone, translation
from xlsxwriter.packager import Packager

from core.pipeline import alongside, chunked

from .row_xml import RowWorksheet

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
TRUNCATION_MARKER = " …[đã cắt bớt: vượt quá 32.767 ký tự]"
# Characters XML 1.0 forbids (the C0 controls but tab, line feed and carriage return).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
AS_OF_LABEL = "Số liệu tính đến ngày {:%d/%m/%Y}"
YES, NO = "Có", "Không"

FONT_NAME = "Times New Roman"
FONT_SIZE = 11  # data and headings
MIN_PRINTED_PT = 8  # the smallest text size on paper SPEC §9 allows
LINE_HEIGHT = 15.0  # points per line of 11 pt text, as Excel spaces it
MAX_ROW_HEIGHT = 409.0  # Excel's limit
ROWS_PER_CHUNK = 500  # rows composed while the previous ones are written (SheetWriter.append_rows)
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONTH_FORMAT = "mm/yyyy"
PERCENT_FORMAT = "0.0%"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
VND_FORMAT = '#,##0" ₫"'

# Paper (XlsxWriter's paper codes) and the printable width in points, landscape, with MARGIN_IN each side.
A4, A3 = 9, 8
MARGIN_IN = 0.4
PRINTABLE_PT = {A4: 842 - 2 * 72 * MARGIN_IN, A3: 1191 - 2 * 72 * MARGIN_IN}


class CellFormat:
    """How a column's values are written."""

    TEXT = "text"  # user or reference text: neutralised, cut at the cell limit, wrapped
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"  # a share 0..1, shown as 45.0 %
    VND = "vnd"  # an amount in đồng
    DATE = "date"
    DATETIME = "datetime"
    MONTH = "month"  # a date shown as mm/yyyy
    BOOLEAN = "boolean"  # Có / Không


NUMBER_FORMATS = {
    CellFormat.INTEGER: INTEGER_FORMAT,
    CellFormat.DECIMAL: DECIMAL_FORMAT,
    CellFormat.PERCENT: PERCENT_FORMAT,
    CellFormat.VND: VND_FORMAT,
    CellFormat.DATE: DATE_FORMAT,
    CellFormat.DATETIME: DATETIME_FORMAT,
    CellFormat.MONTH: MONTH_FORMAT,
}
DEFAULT_WIDTHS = {
    CellFormat.TEXT: 20,
    CellFormat.INTEGER: 11,
    CellFormat.DECIMAL: 11,
    CellFormat.PERCENT: 11,
    CellFormat.VND: 18,
    CellFormat.DATE: 12,
    CellFormat.DATETIME: 17,
    CellFormat.MONTH: 10,
    CellFormat.BOOLEAN: 9,
}
# Headings of the columns that identify a row: frozen while scrolling, repeated on each page printed across.
KEY_HEADINGS = ("Mã cơ sở", "Tên cơ sở")


@dataclass(frozen=True)
class Col:
    """One column of a sheet: its Vietnamese heading, how values are written, its width in characters.

    Text columns always wrap, so long text makes its row taller instead of spilling over the
    next cells or being cut off on paper; `wrap` is kept for the callers that say so.
    """

    header: str
    kind: str = CellFormat.TEXT
    width: float | None = None
    wrap: bool = False

    @property
    def wraps(self) -> bool:
        return self.wrap or self.kind == CellFormat.TEXT

    @property
    def fitted_width(self) -> float:
        """Wide enough for the values and for the heading's longest word (headings wrap)."""
        longest_word = max((len(word) for word in self.header.split()), default=0)
        return max(self.width or DEFAULT_WIDTHS[self.kind], longest_word + 2)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cut_to_limit(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """The text, or its beginning plus TRUNCATION_MARKER when it would not fit in a cell."""
    if len(text) <= limit // 2 or _utf16_len(text) <= limit:
        return text
    room = limit - _utf16_len(TRUNCATION_MARKER)
    kept, used = [], 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > room:
            break
        kept.append(ch)
        used += size
    return "".join(kept) + TRUNCATION_MARKER


def clean_text(value) -> str:
    """Text ready for a cell: line ends as line feeds, control characters XML forbids removed, cut at the limit."""
    text = str(value)
    if text.isprintable() and len(text) <= MAX_CELL_CHARS // 2:  # most cells: one short line, nothing to remove
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return cut_to_limit(ILLEGAL_CHARACTERS_RE.sub("", text))


def excel_value(value, kind: str = CellFormat.TEXT):
    """The Python value to store: real numbers and dates, Vietnamese yes/no, clean text."""
    if value is None or value == "":
        return None
    if kind == CellFormat.BOOLEAN or isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str):  # most cells: checked first
        return clean_text(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date | int | float | Decimal):
        return value
    return clean_text(value)  # anything else (a lazily translated text, say) as its text


def column_points(width: float) -> float:
    """A column's width on paper in points: Excel draws `width` characters as 7 px each plus 5 px padding."""
    return (int(width * 7 + 0.5) + 5) * 0.75


def text_lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (an estimate that errs tall)."""
    per_line = max(int(width) - 1, 1)
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def row_height(lines: int, size: float = FONT_SIZE) -> float:
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT * size / 11 + 3)


@dataclass(frozen=True)
class PrintLayout:
    """How a sheet is printed: paper, pages across, and the text size that results on paper."""

    paper: int
    pages_wide: int
    printed_pt: float


def print_layout(widths: Sequence[float], key_width: float = 0.0, size: float = FONT_SIZE) -> PrintLayout:
    """A4 landscape when the columns fit one page wide with text at MIN_PRINTED_PT or more; else A3;
    else A3 across as many pages as keep the text readable, each repeating the key columns."""
    total = sum(column_points(width) for width in widths)
    floor = MIN_PRINTED_PT / size
    for paper in (A4, A3):
        scale = min(1.0, PRINTABLE_PT[paper] / total)
        if scale >= floor:
            return PrintLayout(paper, 1, round(size * scale, 1))
    room = PRINTABLE_PT[A3] / floor - key_width  # what a page holds besides the repeated key columns
    pages = max(2, math.ceil((total - key_width) / max(room, 1)))
    scale = min(1.0, pages * PRINTABLE_PT[A3] / (total + (pages - 1) * key_width))
    return PrintLayout(A3, pages, round(size * scale, 1))


THIN = "#999999"
HEADING_FILL = "#DCE6F1"
TOTAL_FILL = "#F2F2F2"


class WorkbookWriter:
    """One workbook being written; `save(target)` finishes it into a path or a binary file.

    The workbook is built in a temporary file (XlsxWriter needs its output when it starts)
    and copied to the target when saved.
    """

    def __init__(self, title: str):
        self._output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by save()
        self.book = _Workbook(
            self._output,
            {
                "constant_memory": True,
                "tmpdir": tempfile.gettempdir(),
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.book.set_properties({"title": title, "author": f"{settings.ISSUING_UNIT} {settings.PROVINCE_NAME}"})
        self._formats: dict[tuple, object] = {}

    def format(self, **properties):
        """A shared cell format (fonts in FONT_NAME); the same properties give the same format."""
        properties = {"font_name": FONT_NAME, "font_size": FONT_SIZE, **properties}
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format(properties)
        return self._formats[key]

    def add_line_chart(self):
        return self.book.add_chart({"type": "line"})

    def save(self, target) -> None:
        self.book.close()
        self._output.seek(0)
        try:
            if isinstance(target, str | Path):
                with open(target, "wb") as out:
                    shutil.copyfileobj(self._output, out)
            else:
                shutil.copyfileobj(self._output, target)
        finally:
            self._output.close()


class _Packager(Packager):
    """XlsxWriter's packager, with each chart part edited (_explicit_chart_defaults) before it is zipped.

    Editing the parts here, rather than in the finished file, spares unzipping and zipping again the
    sheets' hundred megabytes of XML (about a second for the provincial workbook).
    """

    def _write_chart_files(self) -> None:
        super()._write_chart_files()
        for path, name, _binary in self.filenames:  # temporary files: the workbook is not built in memory
            if name.startswith("xl/charts/chart"):
                part = Path(path)
                part.write_text(_explicit_chart_defaults(part.read_text(encoding="utf-8")), encoding="utf-8")


class _Workbook(xlsxwriter.Workbook):
    def _get_packager(self) -> Packager:  # XlsxWriter's hook for a packager of one's own
        return _Packager()

    def _store_workbook(self) -> None:
        """Zip at zlib's level 1, not its default 6: the provincial workbook's 150 MB of sheet XML then costs 0.5 s of
        CPU instead of 1.5 s, for a file of 17 MB instead of 12 (XlsxWriter has no option for it, so the ZipFile it
        opens is given the level; a concurrent workbook would at worst be zipped at either level)."""
        zip_file = xlsxwriter.workbook.ZipFile
        xlsxwriter.workbook.ZipFile = functools.partial(zip_file, compresslevel=1)
        try:
            super()._store_workbook()
        finally:
            xlsxwriter.workbook.ZipFile = zip_file


def _explicit_chart_defaults(xml: str) -> str:
    """Say what some programs would otherwise guess: straight lines and shown axes.

    Every line series without a smooth element gets <c:smooth val="0"/> (its place in CT_LineSer
    is last), and every axis without a delete element gets <c:delete val="0"/> (right after its
    scaling): without it recent Excel hides the axes.
    """
    if "<c:lineChart>" in xml:
        parts = xml.split("</c:ser>")
        xml = "</c:ser>".join(
            part if "<c:smooth" in part or index == len(parts) - 1 else part + '<c:smooth val="0"/>'
            for index, part in enumerate(parts)
        )
    return re.sub(r"</c:scaling>(?!<c:delete)", '</c:scaling><c:delete val="0"/>', xml)


def new_workbook(title: str) -> WorkbookWriter:
    return WorkbookWriter(title)


class SheetWriter:
    """Streams one sheet: the official header block (unless `official=False`), the column headings, then rows.

    Call `append(values)` for each row (values in column order, without the STT number
    when `numbered`), optionally `append_total(values)`, then `close()` before saving.
    """

    def __init__(
        self,
        workbook: WorkbookWriter,
        sheet_title: str,
        columns: Sequence[Col],
        *,
        title: str = "",
        as_of: datetime.date | None = None,
        subtitle: str = "",
        numbered: bool = True,
        official: bool = True,
    ):
        self.workbook = workbook
        self.columns = [Col("STT", CellFormat.INTEGER, width=6)] if numbered else []
        self.columns += list(columns)
        self.numbered = numbered
        self.title = sheet_title
        self.sheet = workbook.book.add_worksheet(sheet_title, worksheet_class=RowWorksheet)
        self.width = len(self.columns)
        self.widths = [col.fitted_width for col in self.columns]
        self.rows_written = 0
        self._row = -1  # the last row written, 0-based
        title_lines = [
            (title, {"font_size": 14, "bold": True}),
            (AS_OF_LABEL.format(as_of) if as_of else "", {"font_size": 12, "italic": True}),
            (subtitle, {"font_size": 11, "italic": True}),
        ]
        title_lines = [line for line in title_lines if line[0]]
        # Two header lines, a blank row, the title lines, a blank row, then the headings;
        # a sheet meant to be filled in and imported (`official=False`) starts with its headings.
        self.header_row = 2 + 1 + len(title_lines) + 1 + 1 if official else 1  # 1-based, as Excel shows it
        self.first_data_row = self.header_row + 1
        self.key_columns = self._key_columns()
        self._styles = [self._data_format(col) for col in self.columns]
        self._total_styles = [self._data_format(col, total=True) for col in self.columns]
        self._neutral_style = workbook.format(
            border=1, border_color=THIN, valign="top", text_wrap=True, quote_prefix=True
        )
        self._wrapping = [index for index, col in enumerate(self.columns) if col.wraps]
        self._shape()
        if official:
            self._write_header_block(title_lines)
        self._write_headings()
        self._filter_closed = False

    # Layout -------------------------------------------------------------------------

    def _key_columns(self) -> int:
        """How many leading columns identify a row (STT, code, name): frozen, and repeated across printed pages."""
        count = 0
        for index, col in enumerate(self.columns[:4]):
            if col.header in KEY_HEADINGS or (index == 0 and self.numbered):
                count = index + 1
        return count if count > int(self.numbered) else 0

    def _shape(self) -> None:
        sheet = self.sheet
        for index, width in enumerate(self.widths):
            sheet.set_column(index, index, width)
        key_width = sum(column_points(width) for width in self.widths[: self.key_columns])
        self.layout = print_layout(self.widths, key_width)
        sheet.set_landscape()
        sheet.set_paper(self.layout.paper)
        sheet.fit_to_pages(self.layout.pages_wide, 0)
        sheet.set_margins(left=MARGIN_IN, right=MARGIN_IN, top=0.6, bottom=0.6)
        sheet.center_horizontally()
        sheet.set_footer("&CTrang &P / &N")
        # The headings (and the code and name) stay in view while scrolling and print on every page.
        sheet.freeze_panes(self.header_row, self.key_columns)
        sheet.repeat_rows(self.header_row - 1)
        if self.layout.pages_wide > 1 and self.key_columns:
            sheet.repeat_columns(0, self.key_columns - 1)

    def _next_row(self, height: float | None = None) -> int:
        self._row += 1
        if height:
            self.sheet.set_row(self._row, height)
        return self._row

    def _write_header_block(self, title_lines: list[tuple[str, dict]]) -> None:
        """Issuing body on the left (about 40 %), national name and motto on the right, then title and date."""
        fmt = self.workbook.format
        split = min(max(1, round(self.width * 0.4)), self.width - 1)
        for left, right, left_bold in (
            (settings.ISSUING_BODY, NATIONAL_NAME, False),
            (settings.ISSUING_UNIT, NATIONAL_MOTTO, True),
        ):
            row = self._next_row(18)
            if split < 1:  # a one-column sheet: both blocks in the only column
                self.sheet.write_string(row, 0, f"{left} — {right}", fmt(font_size=12, bold=True, align="center"))
                continue
            self._merged(row, 0, split - 1, left, fmt(font_size=12, bold=left_bold, align="center"))
            self._merged(row, split, self.width - 1, right, fmt(font_size=12, bold=True, align="center"))
        self._next_row()
        page_width = sum(self.widths)
        for text, style in title_lines:
            text = clean_text(text)
            height = row_height(text_lines(text, page_width), style["font_size"]) + 3
            row = self._next_row(height)
            self._merged(row, 0, self.width - 1, text, fmt(align="center", valign="vcenter", text_wrap=True, **style))
        self._next_row()

    def _merged(self, row: int, first: int, last: int, text: str, style) -> None:
        if last > first:
            self.sheet.merge_range(row, first, row, last, text, style)
        else:
            self.sheet.write_string(row, first, text, style)

    def _write_headings(self) -> None:
        lines = max(text_lines(col.header, width) for col, width in zip(self.columns, self.widths, strict=True))
        row = self._next_row(row_height(lines) + 3)
        style = self.workbook.format(
            bold=True,
            align="center",
            valign="vcenter",
            text_wrap=True,
            bg_color=HEADING_FILL,
            border=1,
            border_color=THIN,
        )
        for index, col in enumerate(self.columns):
            self.sheet.write_string(row, index, col.header, style)

    def _data_format(self, col: Col, *, total: bool = False):
        numeric = col.kind in NUMBER_FORMATS
        properties = {
            "align": "right" if numeric else ("center" if col.kind == CellFormat.BOOLEAN else "left"),
            "valign": "top",
            "border": 1,
            "border_color": THIN,
        }
        if col.wraps:
            properties["text_wrap"] = True
        if numeric:
            properties["num_format"] = NUMBER_FORMATS[col.kind]
        if total:
            properties |= {"bold": True, "bg_color": TOTAL_FILL}
        return self.workbook.format(**properties)

    # Rows ---------------------------------------------------------------------------

    def append(self, values: Sequence) -> None:
        """One data row; values in column order (STT is added when the sheet is numbered)."""
        self.rows_written += 1
        values = [self.rows_written, *values] if self.numbered else list(values)
        self._write_row(values, self._styles)

    def append_total(self, values: Sequence) -> None:
        """A bold total row, outside the autofilter range so sorting never moves it."""
        self._close_filter()
        values = ["", *values] if self.numbered else list(values)
        self._write_row(values, self._total_styles, total=True)

    def _write_row(self, values: Sequence, styles: list, *, total: bool = False) -> None:
        cells = [excel_value(value, col.kind) for value, col in zip(values, self.columns, strict=False)]
        lines = 1
        for index in self._wrapping:
            if index < len(cells) and isinstance(cells[index], str):
                lines = max(lines, text_lines(cells[index], self.widths[index]))
        self._row += 1
        height = row_height(lines) if lines > 1 else None
        self.sheet.write_cells(self._row, cells, styles, height, formula_style=None if total else self._neutral_style)

    def append_rows(self, rows: Iterable[Sequence], progress=None) -> int:
        """Append many rows, calling `progress(rows so far)` after each one; returns the count.

        A second thread writes the cells of each ROWS_PER_CHUNK rows while this one reads and composes the next
        (core.pipeline): the database works meanwhile. Only that thread touches the sheet, in this one's language
        (a lazily translated value becomes text there).
        """
        count = 0
        language = translation.get_language()

        def counted():
            nonlocal count
            for values in rows:
                yield values
                count += 1
                if progress:
                    progress(count)

        def append_all(chunk: list[Sequence]) -> None:
            with translation.override(language):
                for values in chunk:
                    self.append(values)

        alongside(append_all, chunked(counted(), ROWS_PER_CHUNK))
        return count

    @property
    def last_data_row(self) -> int:
        return self.first_data_row + self.rows_written - 1

    def _close_filter(self) -> None:
        if self._filter_closed:
            return
        self._filter_closed = True
        last_row = max(self.last_data_row, self.header_row)
        self.sheet.autofilter(self.header_row - 1, 0, last_row - 1, self.width - 1)

    def close(self) -> None:
        """Finish the sheet: the autofilter over the headings and the data rows."""
        self._close_filter()
