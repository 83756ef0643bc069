"""Data rows written as XML in one pass: the worksheet class every `SheetWriter` sheet uses.

XlsxWriter's own cell methods store each cell in a table, check it, and serialise it when
the next row starts: about 6 µs a cell, 14 s of the 60,000-facility provincial workbook's
26 s. `RowWorksheet.write_cells` takes a whole row and writes, in one pass, the XML those
methods write for the same cells (constant-memory mode: inline strings), so the file is
the same; the tests compare the two byte for byte. One difference is deliberate: a text
that looks like XlsxWriter's rich-string markup ("<r>…</r>") is escaped like any other text
instead of being copied into the file as XML.

It relies on XlsxWriter's constant-memory internals (the row file `fh`, `previous_row`,
`_write_single_row`, `_check_dimensions`, a format's `_get_xf_index`), so requirements.txt
pins XlsxWriter's version and the byte-for-byte test says when an upgrade changes them.
"""

import datetime
import math
from collections.abc import Sequence
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

PRESERVE = ' xml:space="preserve"'
# A cell whose text starts with one of these is a formula (or DDE) to Excel once edited.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def inline_text(text: str) -> tuple[str, str]:
    """(the <t> element's attribute, its content) for a non-empty text, as XlsxWriter escapes them:
    control characters as _xHHHH_ (and a literal _xHHHH_ as _x005F_xHHHH_), then &, < and >."""
    if "_x" in text or not text.isprintable():  # rare: line breaks, tabs, control characters, literal escapes
        text = Worksheet._escape_control_characters(text)
    preserve = PRESERVE if text[0].isspace() or text[-1].isspace() else ""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return preserve, text


class RowWorksheet(Worksheet):
    """A worksheet that also takes whole rows of cells (`write_cells`), in constant-memory mode only."""

    def __init__(self):
        super().__init__()
        self._letters: list[str] = []
        self._last_row = -1
        self._serials: dict[datetime.date, str] = {}  # a date's serial number as text: dates repeat in a column

    def write_cells(self, row: int, values: Sequence, styles: Sequence, height=None, formula_style=None) -> None:
        """Row `row` (0-based) from column A: None is a blank cell with its style, text an inline string, dates
        and numbers numbers. `height` in points, as `set_row` takes it. A text that starts like a formula gets
        `formula_style` (quote prefix) when given. Rows must come in order, after any written with XlsxWriter."""
        if not self.constant_memory or row <= self._last_row or row < self.previous_row:
            raise ValueError(f"write_cells needs constant-memory mode and rows in order (row {row})")
        if self.table.get(row) or row in self.row_info:
            raise ValueError(f"row {row} was begun with XlsxWriter's own methods")
        self._write_single_row(row)  # XlsxWriter's own last row, if any, goes first
        self._last_row = row
        self._check_dimensions(row, 0)
        self._check_dimensions(row, len(values) - 1)
        letters = self._letters
        while len(letters) < len(values):
            letters.append(xl_col_to_name(len(letters)))
        number = row + 1
        attributes = ""
        if height is not None:
            pixels = int(height * 4.0 / 3.0 + 0.5)  # as set_row rounds it
            if pixels != self.default_row_height:
                attributes = f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        out = [f'<row r="{number}"{attributes}>']
        for column, value, style in zip(letters, values, styles, strict=False):
            if value is None:
                out.append(f'<c r="{column}{number}" s="{style._get_xf_index()}"/>')
            elif isinstance(value, str):  # a str subclass too (Django's SafeString)
                if formula_style is not None and value.startswith(FORMULA_TRIGGERS):
                    style = formula_style
                preserve, text = inline_text(value)
                out.append(
                    f'<c r="{column}{number}" s="{style._get_xf_index()}" t="inlineStr">'
                    f"<is><t{preserve}>{text}</t></is></c>"
                )
            else:
                out.append(f'<c r="{column}{number}" s="{style._get_xf_index()}"><v>{self._number(value)}</v></c>')
        out.append("</row>")
        self.fh.write("".join(out))

    def _number(self, value) -> str:
        if isinstance(value, datetime.date):
            if value.__class__ is not datetime.date:  # a date and time: not cached, they rarely repeat
                return f"{self._convert_date_time(value):.16G}"
            serial = self._serials.get(value)
            if serial is None:
                serial = self._serials[value] = f"{self._convert_date_time(value):.16G}"
            return serial
        if value.__class__ is Decimal:
            value = float(value)
        if not math.isfinite(value):
            raise TypeError(f"{value} cannot be written to a cell")  # as XlsxWriter refuses it
        return f"{value:.16G}"
