"""The writing layer every workbook goes through (openpyxl write-only mode).

Rows stream to disk as they are appended, so memory stays bounded however many
facilities an export covers. One `SheetWriter` per sheet gives every export the same
guarantees: the official header block, text from users that Excel shows as text and
never evaluates, text cut with a visible marker at Excel's cell limit, real dates and
numbers with Vietnamese-friendly formats, frozen header rows, an autofilter, column
widths and a landscape A4 print set-up that repeats the column headings on each page.

Write-only sheets must be shaped (widths, frozen panes) before their first row; the
autofilter, merged cells and print settings are written when the workbook is saved.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.xml.constants import SHEET_MAIN_NS

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
TRUNCATION_MARKER = " …[đã cắt bớt: vượt quá 32.767 ký tự]"
# A cell whose text starts with one of these is a formula (or DDE) to Excel once edited.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
AS_OF_LABEL = "Số liệu tính đến ngày {:%d/%m/%Y}"
YES, NO = "Có", "Không"

FONT_NAME = "Times New Roman"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONTH_FORMAT = "mm/yyyy"
PERCENT_FORMAT = "0.0%"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
VND_FORMAT = '#,##0" ₫"'


class Kind:
    """How a column's values are written."""

    TEXT = "text"  # user or reference text: neutralised, cut at the cell limit
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"  # a share 0..1, shown as 45.0 %
    VND = "vnd"  # an amount in đồng
    DATE = "date"
    DATETIME = "datetime"
    MONTH = "month"  # a date shown as mm/yyyy
    BOOLEAN = "boolean"  # Có / Không


NUMBER_FORMATS = {
    Kind.INTEGER: INTEGER_FORMAT,
    Kind.DECIMAL: DECIMAL_FORMAT,
    Kind.PERCENT: PERCENT_FORMAT,
    Kind.VND: VND_FORMAT,
    Kind.DATE: DATE_FORMAT,
    Kind.DATETIME: DATETIME_FORMAT,
    Kind.MONTH: MONTH_FORMAT,
}
DEFAULT_WIDTHS = {
    Kind.TEXT: 20,
    Kind.INTEGER: 11,
    Kind.DECIMAL: 11,
    Kind.PERCENT: 11,
    Kind.VND: 18,
    Kind.DATE: 12,
    Kind.DATETIME: 17,
    Kind.MONTH: 10,
    Kind.BOOLEAN: 9,
}


@dataclass(frozen=True)
class Col:
    """One column of a sheet: its Vietnamese heading, how values are written, its width in characters."""

    header: str
    kind: str = Kind.TEXT
    width: float | None = None
    wrap: bool = False  # long free text (reasons, difficulties) wraps inside its column

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
    """Text ready for a cell: control characters XML forbids removed, cut at the cell limit."""
    return cut_to_limit(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def needs_neutralising(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def excel_value(value, kind: str = Kind.TEXT):
    """The Python value openpyxl should store: real numbers and dates, Vietnamese yes/no, clean text."""
    if value is None or value == "":
        return None
    if kind == Kind.BOOLEAN or isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date | int | float | Decimal):
        return value
    return clean_text(value)


def _font(**kwargs) -> Font:
    return Font(name=FONT_NAME, size=kwargs.pop("size", 11), **kwargs)


THIN = Side(style="thin", color="999999")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADING_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _place_cells(cells: Sequence, row: int):
    """Stands in for openpyxl's per-value conversion of an appended row: our rows hold ready cells.

    openpyxl would try each cell as a value first (an exception per styled cell) and guess
    the type of plain values; every cell here is built, typed and styled by SheetWriter.
    """
    for column, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column, cell.row = column, row
            yield cell


class _RawRow(str):
    """A <row> element already serialised by SheetWriter, written to the sheet as it is."""


class _StreamingSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, which also takes data rows SheetWriter serialised itself.

    openpyxl builds an object per cell and serialises it through an element tree: about 40 µs a
    cell, so a national report's 1.6 million cells took minutes. A data row's XML is a few string
    formats (see SheetWriter._row_xml); rows with merged cells, heights or headings still go through
    openpyxl.
    """

    def append(self, row):
        if not isinstance(row, _RawRow):
            return super().append(row)
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(row)

    def _write_rows(self):
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        raw = getattr(xf, "_file", None)  # et_xmlfile's writer; lxml's (if installed) has none
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = yield
                    if isinstance(row, _RawRow) and raw is not None:
                        raw(row)
                    elif isinstance(row, _RawRow):
                        xf.write(_parse_row(row))
                    else:
                        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


def _parse_row(row: str):
    from lxml import etree

    return etree.fromstring(f'<row xmlns="{SHEET_MAIN_NS}"{row[4:]}')


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SheetWriter:
    """Streams one sheet: the official header block (unless `official=False`), the column headings, then rows.

    Call `append(values)` for each row (values in column order, without the STT number
    when `numbered`), optionally `append_total(values)`, then `close()` before saving.
    """

    def __init__(
        self,
        workbook: Workbook,
        sheet_title: str,
        columns: Sequence[Col],
        *,
        title: str = "",
        as_of: datetime.date | None = None,
        subtitle: str = "",
        numbered: bool = True,
        official: bool = True,
    ):
        self.columns = [Col("STT", Kind.INTEGER, width=6)] if numbered else []
        self.columns += list(columns)
        self.numbered = numbered
        self.sheet = _StreamingSheet(parent=workbook, title=sheet_title)
        workbook._add_sheet(self.sheet)
        self.sheet._values_to_row = _place_cells
        self.width = len(self.columns)
        self.rows_written = 0
        self._row_count = 0
        title_lines = [
            (title, _font(size=14, bold=True), 24),
            (AS_OF_LABEL.format(as_of) if as_of else "", _font(size=12, italic=True), 18),
            (subtitle, _font(size=11, italic=True), 18),
        ]
        title_lines = [line for line in title_lines if line[0]]
        # Two header lines, a blank row, the title lines, a blank row, then the headings;
        # a sheet meant to be filled in and imported (`official=False`) starts with its headings.
        self.header_row = 2 + 1 + len(title_lines) + 1 + 1 if official else 1
        self.first_data_row = self.header_row + 1
        self._shape()
        if official:
            self._write_header_block(title_lines)
        self._write_headings()
        self._styles = [self._data_style(col) for col in self.columns]
        self._neutral_style = self._data_style(Col("", Kind.TEXT), quote=True)
        self._total_styles = [self._data_style(col, total=True) for col in self.columns]
        # The same styles as workbook-wide ids, for rows serialised here (openpyxl's cell.style_id).
        registry = workbook._cell_styles
        self._style_ids = [registry.add(style) for style in self._styles]
        self._total_style_ids = [registry.add(style) for style in self._total_styles]
        self._neutral_style_id = registry.add(self._neutral_style)
        self._letters = [get_column_letter(index) for index in range(1, self.width + 1)]
        self._epoch = workbook.epoch

    # Layout -------------------------------------------------------------------------

    def _shape(self) -> None:
        """Everything a write-only sheet needs before its first row."""
        sheet = self.sheet
        for index, col in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = col.fitted_width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "Trang &P / &N"
        # The headings stay in view while scrolling and print on every page.
        sheet.freeze_panes = f"A{self.first_data_row}"
        sheet.print_title_rows = f"{self.header_row}:{self.header_row}"

    def _raw_row(self, cells: list, height: float | None = None) -> None:
        self._row_count += 1
        if height:
            self.sheet.row_dimensions[self._row_count].height = height
        self.sheet.append(cells)

    def _cell(self, value, *, font: Font | None = None, align: str = "left", wrap: bool = False, **extra):
        cell = WriteOnlyCell(self.sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # headings never become formulas or error codes either
        cell.font = font or _font()
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        for key, item in extra.items():
            setattr(cell, key, item)
        return cell

    def _merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self.sheet.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")

    def _write_header_block(self, title_lines: list[tuple[str, Font, int]]) -> None:
        """Issuing body on the left (about 40 %), national name and motto on the right, then title and date."""
        split = min(max(1, round(self.width * 0.4)), self.width - 1)
        for left, right, left_bold in (
            (settings.ISSUING_BODY, NATIONAL_NAME, False),
            (settings.ISSUING_UNIT, NATIONAL_MOTTO, True),
        ):
            if split < 1:  # a one-column sheet: both blocks in the only column
                self._raw_row([self._cell(f"{left} — {right}", font=_font(size=12, bold=True), align="center")])
                continue
            cells = [None] * self.width
            cells[0] = self._cell(left, font=_font(size=12, bold=left_bold), align="center")
            cells[split] = self._cell(right, font=_font(size=12, bold=True), align="center")
            self._raw_row(cells, height=18)
            self._merge(self._row_count, 1, split)
            self._merge(self._row_count, split + 1, self.width)
        self._raw_row([])
        for text, font, height in title_lines:
            self._raw_row([self._cell(clean_text(text), font=font, align="center", wrap=True)], height=height)
            self._merge(self._row_count, 1, self.width)
        self._raw_row([])

    def _write_headings(self) -> None:
        lines = max(math.ceil(len(col.header) / max(col.fitted_width - 1, 1)) for col in self.columns)
        cells = [
            self._cell(col.header, font=_font(bold=True), align="center", wrap=True, fill=HEADING_FILL, border=GRID)
            for col in self.columns
        ]
        self._raw_row(cells, height=max(1, lines) * 15 + 6)

    def _data_style(self, col: Col, *, quote: bool = False, total: bool = False):
        """A prepared style array, copied onto each cell: far cheaper than styling cells one by one."""
        template = WriteOnlyCell(self.sheet)
        template.font = _font(bold=total)
        numeric = col.kind in NUMBER_FORMATS and col.kind != Kind.TEXT
        horizontal = "right" if numeric else ("center" if col.kind == Kind.BOOLEAN else "left")
        template.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=col.wrap)
        template.border = GRID
        if col.kind in NUMBER_FORMATS:
            template.number_format = NUMBER_FORMATS[col.kind]
        if total:
            template.fill = TOTAL_FILL
        if quote:
            # Excel keeps a quote-prefixed cell as text even when someone edits it.
            template.quotePrefix = True
            template.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        return template._style

    # Rows ---------------------------------------------------------------------------

    def append(self, values: Sequence) -> None:
        """One data row; values in column order (STT is added when the sheet is numbered)."""
        self.rows_written += 1
        values = [self.rows_written, *values] if self.numbered else list(values)
        self._row_count += 1
        self.sheet.append(self._row_xml(values, self._row_count, self._style_ids))

    def append_total(self, values: Sequence) -> None:
        """A bold total row, outside the autofilter range so sorting never moves it."""
        self._close_filter()
        values = ["", *values] if self.numbered else list(values)
        self._row_count += 1
        self.sheet.append(self._row_xml(values, self._row_count, self._total_style_ids, total=True))

    def _row_xml(self, values: Sequence, row: int, style_ids: list[int], *, total: bool = False) -> _RawRow:
        """The row as openpyxl would write the cells _data_cell() builds: same values, types and styles."""
        parts = [f'<row r="{row}">']
        for index, value in enumerate(values):
            value = excel_value(value, self.columns[index].kind)
            ref = f"{self._letters[index]}{row}"
            style = style_ids[index]
            if value is None:
                parts.append(f'<c r="{ref}" s="{style}"/>')
            elif isinstance(value, str):
                if needs_neutralising(value) and not total:
                    style = self._neutral_style_id
                stripped = value.strip()
                space = ' xml:space="preserve"' if stripped and stripped != value else ""
                parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{_xml_text(value)}</t></is></c>')
            elif isinstance(value, datetime.date):
                parts.append(f'<c r="{ref}" s="{style}" t="n"><v>{safe_string(to_excel(value, self._epoch))}</v></c>')
            else:
                parts.append(f'<c r="{ref}" s="{style}" t="n"><v>{safe_string(value)}</v></c>')
        parts.append("</row>")
        return _RawRow("".join(parts))

    def append_rows(self, rows: Iterable[Sequence], progress=None) -> int:
        """Append many rows, calling `progress(rows so far)` after each one; returns the count."""
        count = 0
        for values in rows:
            self.append(values)
            count += 1
            if progress:
                progress(count)
        return count

    @property
    def last_data_row(self) -> int:
        return self.first_data_row + self.rows_written - 1

    def _close_filter(self) -> None:
        if self.sheet.auto_filter.ref:
            return
        last_row = max(self.last_data_row, self.header_row)
        self.sheet.auto_filter.ref = f"A{self.header_row}:{get_column_letter(self.width)}{last_row}"

    def close(self) -> None:
        """Finish the sheet: the autofilter over the headings and the data rows."""
        self._close_filter()


def new_workbook(title: str) -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.creator = f"{settings.ISSUING_UNIT} {settings.PROVINCE_NAME}"
    workbook.properties.title = title
    return workbook
