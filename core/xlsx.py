"""Reading uploaded workbooks for the all-or-nothing imports."""

import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .text import fold

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _xml_errors() -> tuple[type[Exception], ...]:
    """A valid zip with damaged XML inside: openpyxl parses with ElementTree, or with lxml when installed."""
    try:
        from lxml.etree import XMLSyntaxError
    except ImportError:
        return (ParseError,)
    return (ParseError, XMLSyntaxError)


XML_ERRORS = _xml_errors()


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
    number: int  # the row number Excel shows
    # One key per column found in the header (None for an empty cell); a column the file
    # lacks has no key, so an import can leave the fields it does not carry alone.
    values: dict[str, object]
    formulas: set[str] = field(default_factory=set)  # keys whose cell held a formula


def read_sheet(file, columns: list[Column]) -> list[SheetRow]:
    """The first sheet's data rows keyed by column, or WorkbookError for a file that cannot be read.

    Headers are matched ignoring case and diacritics; blank rows are skipped. Formula
    cells are flagged, never evaluated, so the caller can reject them.
    """
    if getattr(file, "size", 0) > MAX_UPLOAD_BYTES:
        raise WorkbookError(_("The file is larger than 10 MB."))
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, *XML_ERRORS):
        raise WorkbookError(_("This is not an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            raise WorkbookError(_("The sheet is empty."))
        positions = {}
        for index, cell in enumerate(header_cells):
            if cell.value is None:
                continue
            for column in columns:
                if column.key not in positions and column.matches(str(cell.value)):
                    positions[column.key] = index
        missing = [c.label for c in columns if c.required and c.key not in positions]
        if missing:
            raise WorkbookError(_("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)})
        result = []
        for number, cells in enumerate(rows, start=2):
            row = SheetRow(number=number, values={})
            for key, index in positions.items():
                cell = cells[index] if index < len(cells) else None
                value = getattr(cell, "value", None)
                if isinstance(value, str):
                    value = value.strip() or None
                if getattr(cell, "data_type", None) == "f":
                    row.formulas.add(key)
                row.values[key] = value
            if any(v is not None for v in row.values.values()):
                result.append(row)
        if not result:
            raise WorkbookError(_("The file has no data rows."))
        return result
    except XML_ERRORS:  # a read-only sheet's XML is parsed as its rows are read
        raise WorkbookError(_("This is not an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()
