"""Spreadsheet cells read the way a Vietnamese office writes them; every import reads its cells here.

Each reader takes whatever the cell holds (text, a number, a date, a boolean, nothing) and
returns the value, or raises CellError saying what was read and what is expected, in
Vietnamese. No cell type in any column raises anything else.

- numbers: 1200, "1.200", "1 200", "1.200,5" (Vietnamese: "." groups thousands, "," is the
  decimal mark), "1,200,000" (several commas: thousands), "95,5"; "1.5" is 1.5 (one dot not
  followed by exactly three digits is a decimal point);
- percentages: a cell formatted as % holding 0.95 is 95; "95%", "95,5 %"; a plain number is
  the percentage itself (95), except in a file that does not keep cell formats (.xls, .ods,
  .csv), where a number from 0 to 1 is read as the share Excel stores behind a % format
  (0.95 is 95 %; type "1%" for one per cent); below 0 or above 100 is refused;
- dates: a date cell, an Excel serial number (46218), "15/07/2026", "15-07-2026",
  "15.07.2026", "15/7/26", "2026-07-15", "ngày 15 tháng 7 năm 2026";
- months: a date cell (its month), "11/2026", "T11/2026", "Tháng 11/2026", "tháng 11 năm 2026",
  "11-2026", "11.2026", "2026-11", or a full date (its month);
- yes/no: Có / Không, x, 1 / 0, yes / no; empty is "no".
"""

import datetime
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import fold

EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Excel serial numbers of 01/01/1990 and 31/12/2099: outside them a number is not a date someone typed.
SERIAL_RANGE = (32874, 73050)
MAX_NUMBER = Decimal(10) ** 15  # beyond any count or amount in đồng the portal stores

EXPECT_NUMBER = gettext_lazy("a number, e.g. 1.200 or 1.200,5")
EXPECT_INTEGER = gettext_lazy("a whole number, e.g. 1.200")
EXPECT_PERCENT = gettext_lazy("a percentage, e.g. 95 or 95,5% (0 to 100)")
EXPECT_DATE = gettext_lazy("a date dd/mm/yyyy, e.g. 15/07/2026")
EXPECT_MONTH = gettext_lazy("a month mm/yyyy, e.g. 11/2026")
EXPECT_FLAG = gettext_lazy("“Có” or “Không”")
EXPECT_TEXT = gettext_lazy("text")

FLAG_WORDS = {
    True: {"co", "x", "1", "yes", "true", "dung", "da", "roi", "v"},
    False: {"khong", "0", "no", "false", "chua", "sai"},
}


class CellError(ValueError):
    """A cell that cannot be read: the value as the user sees it and what is expected."""

    def __init__(self, value, expected, detail: str = ""):
        self.shown = shown(value)
        self.expected = str(expected)
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = _("Read “%(value)s”; expected %(expected)s.") % {"value": self.shown, "expected": self.expected}
        return f"{text} {self.detail}".strip()


def shown(value) -> str:
    """A cell's value as the user would recognise it in their file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y %H:%M}" if value.time() != datetime.time() else f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


# Text -----------------------------------------------------------------------------------

# Letters that TCVN3 (ABC) and VNI-Windows text shows when read as Unicode, and that Vietnamese never uses.
TCVN3_MARKS = set("¸µ¶·¹¨©ª«¬®¯°±²³´½¾§¦¤¢¡£¥")
VNI_MARKS = set("øùûõïäåñöÑÖØÙÛÕÏÄÅæçëîÆÇËÎ")


def legacy_encoding(text: str) -> str | None:
    """ "TCVN3" or "VNI" when the text looks typed in that old Vietnamese encoding, else None."""
    letters = [ch for ch in text if ch.isalpha() or ch in TCVN3_MARKS]
    if len(letters) < 3:
        return None
    tcvn3 = sum(ch in TCVN3_MARKS for ch in text)
    vni = sum(ch in VNI_MARKS for ch in text)
    if tcvn3 >= 2 and tcvn3 >= vni:
        return "TCVN3"
    if vni >= 2:
        return "VNI"
    return None


def read_text(value, *, multiline: bool = False) -> str:
    """Text in NFC, trimmed (one-line text: runs of spaces made one); a number as typed; a date dd/mm/yyyy.

    Raises CellError for text in an old Vietnamese encoding (TCVN3, VNI), naming it.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise CellError(value, EXPECT_TEXT)
        if value.is_integer():
            value = int(value)
    if isinstance(value, datetime.date):
        return shown(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").strip()
    if not multiline:
        text = " ".join(text.split())
    encoding = legacy_encoding(text)
    if encoding:
        raise CellError(
            value,
            _("Unicode text"),
            _(
                "The text looks typed in the old %(encoding)s encoding: convert the file to Unicode (for example "
                "with Unikey's converter, from %(encoding)s to Unicode) and import it again."
            )
            % {"encoding": encoding},
        )
    return text


# Numbers ----------------------------------------------------------------------------------

NUMBER_TEXT = re.compile(r"^[+-]?\d+(\.\d+)?$")
CURRENCY = re.compile(r"(₫|đồng|đ|vnđ|vnd)$", re.IGNORECASE)


def _number_from_text(text: str) -> Decimal | None:
    """A number written the Vietnamese way (or the English way when unambiguous); None when it is not one."""
    text = CURRENCY.sub("", text.strip()).strip()
    text = re.sub(r"[\s\u00a0'’]", "", text)
    if not text:
        return None
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        text = text.replace(group_mark, "").replace(decimal_mark, ".")
    elif commas > 1:
        text = text.replace(",", "")
    elif commas == 1:
        text = text.replace(",", ".")
    elif dots > 1:
        text = text.replace(".", "")
    elif dots == 1 and re.match(r"^[+-]?[1-9]\d{0,2}\.\d{3}$", text):
        text = text.replace(".", "")  # "1.200": a thousand two hundred
    if not NUMBER_TEXT.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def read_number(value, expected=EXPECT_NUMBER) -> Decimal | None:
    """Any number; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, (bool, datetime.date | datetime.time | datetime.timedelta)):
        raise CellError(value, expected)
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise CellError(value, expected)
        number = Decimal(str(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        number = _number_from_text(str(value))
        if number is None:
            raise CellError(value, expected)
    if abs(number) >= MAX_NUMBER:
        raise CellError(value, expected, _("The number is too large."))
    return number


def read_integer(value) -> int | None:
    """A whole number ("1.200", 1200.0); None for an empty cell."""
    number = read_number(value, EXPECT_INTEGER)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(value, EXPECT_INTEGER)
    return int(number)


def read_percent(value, *, number_format: str = "", keeps_formats: bool = True) -> Decimal | None:
    """A percentage 0..100 (see the module's docstring for how a share is told from a percentage)."""
    if value is None or value == "":
        return None
    seen = value
    if isinstance(value, str) and "%" in value:
        number = read_number(value.replace("%", ""), EXPECT_PERCENT)
    else:
        number = read_number(value, EXPECT_PERCENT)
        share = "%" in number_format or (not keeps_formats and number is not None and 0 <= number <= 1)
        if number is not None and not isinstance(value, str) and share:
            number *= 100
            seen = f"{number.normalize():f}".replace(".", ",") + "%"  # as the spreadsheet shows it: 120,5%
    if number is None:
        return None
    if not 0 <= number <= 100:  # refused here, saying what was read, rather than by the form without it
        raise CellError(seen, EXPECT_PERCENT)
    rounded = number.quantize(Decimal("0.01"))  # 0.875 × 100 is 87.500: as typed, 87.50
    return rounded if rounded == number else number


# Dates and months -------------------------------------------------------------------------------

DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
WORDS_DATE = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
MONTH_TEXT = re.compile(r"^(?:thang|t)?\s*(\d{1,2})\s*(?:[/.\-]|\s*nam\s*)\s*(\d{4})$")
ISO_MONTH = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})$")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _from_serial(value: float) -> datetime.date | None:
    if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    return None


def read_date(value) -> datetime.date | None:
    """A calendar date; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(value, EXPECT_DATE)
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            raise CellError(value, EXPECT_DATE)
        day = _from_serial(float(value))
        if day is None:
            raise CellError(value, EXPECT_DATE)
        return day
    if not isinstance(value, str):
        raise CellError(value, EXPECT_DATE)
    text = fold(value)
    try:
        if match := DATE_TEXT.match(text):
            day, month, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        elif match := WORDS_DATE.match(text):
            day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        elif match := ISO_DATE.match(text):
            year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        else:
            raise CellError(value, EXPECT_DATE)
        return datetime.date(year, month, day)
    except ValueError as exc:  # 31/02/2026, month 13
        if isinstance(exc, CellError):
            raise
        raise CellError(value, EXPECT_DATE, _("There is no such day.")) from None


def read_month(value) -> datetime.date | None:
    """The first day of a month; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return (value.date() if isinstance(value, datetime.datetime) else value).replace(day=1)
    if isinstance(value, float) and not math.isnan(value) and not value.is_integer():
        value = f"{value:.4f}"  # 11.2026 typed into a number cell
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = _from_serial(float(value)) if not math.isnan(value) else None
        if day is None:
            raise CellError(value, EXPECT_MONTH)
        return day.replace(day=1)
    if not isinstance(value, str):
        raise CellError(value, EXPECT_MONTH)
    text = fold(value)
    if match := MONTH_TEXT.match(text):
        month, year = int(match.group(1)), int(match.group(2))
    elif match := ISO_MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
    else:
        try:
            day = read_date(value)
        except CellError:
            raise CellError(value, EXPECT_MONTH) from None
        return day.replace(day=1) if day else None
    if not 1 <= month <= 12:
        raise CellError(value, EXPECT_MONTH, _("There is no such month."))
    return datetime.date(year, month, 1)


def read_flag(value) -> bool:
    """Có / Không, x, 1 / 0, yes / no; an empty cell is "no"."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    word = fold(str(value))
    for answer, words in FLAG_WORDS.items():
        if word in words:
            return answer
    raise CellError(value, EXPECT_FLAG)
