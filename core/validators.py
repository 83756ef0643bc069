"""The rules every value a user types meets before it reaches a query: no control characters, dates in range.

Two rules, each in one place:

- **Control characters** (C0 except tab, line feed and carriage return; DEL; C1) are refused everywhere:
  in a URL's path and query string and in a posted field by `core.middleware.ControlCharacterMiddleware`
  (400), and in a form field by `validate_no_control_characters` (a message next to the field). PostgreSQL
  refuses NUL outright and the others are never what a person meant to type.
- **Dates** a user types are checked against the programme's range (`programme_range()`) before any
  date arithmetic is done with them: 01/01/0001 or 31/12/9999 overflow month and day arithmetic.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Tab, line feed and carriage return are text; every other C0 character, DEL and the C1 block are not.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

CONTROL_CHARACTER_MESSAGE = _("Remove the invisible control characters from this text (often pasted with it).")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def validate_no_control_characters(value) -> None:
    """Text from a person holds no control character other than tab and line breaks."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_characters")


# How far past the province's deadline a typed date may go: deadlines are extended by months, rarely by
# years, so a date more than ten years after the deadline is a typo (2206 for 2026), never a plan.
YEARS_AFTER_DEADLINE = 10


def programme_range() -> tuple[datetime.date, datetime.date]:
    """The dates a user may type: from PROGRAMME_START to 31/12 of the tenth year after EMR_DEADLINE."""
    return settings.PROGRAMME_START, datetime.date(settings.EMR_DEADLINE.year + YEARS_AFTER_DEADLINE, 12, 31)


def validate_programme_date(value: datetime.date | None) -> None:
    """A typed date lies in the programme's range (`programme_range()`); outside it, a message says the range."""
    if value is None:
        return
    first, last = programme_range()
    if not first <= value <= last:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.")
            % {"first": date_format(first, "d/m/Y"), "last": date_format(last, "d/m/Y")},
            code="out_of_programme",
        )


def validate_programme_month(month: datetime.date | None) -> None:
    """A month (its first day) lies in the programme's range; the month PROGRAMME_START falls in counts."""
    if month is None:
        return
    first, _last = programme_range()
    validate_programme_date(first if month == first.replace(day=1) else month)


# Limits of free text, in characters (forms show the count as the user types: static/js/portal.js).
# A page of A4 holds about 3,000 characters: a report's difficulties fit in a page and a bit, a comment or an
# explanation in half of one, a note beside a criterion in a few lines.
LONG_TEXT = 4000
TEXT = 2000
NOTE = 500
