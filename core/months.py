"""Months, as the portal stores them: the first day of the month ("the report for 10/2026" is 01/10/2026)."""

import calendar
import datetime
import functools
import re

# "10/2026" (or a date "05/10/2026") and "2026-10" (or "2026-10-05"): what people type and what links carry.
_DAY_MONTH_YEAR = re.compile(r"\s*(?:\d{1,2}/)?(\d{1,2})/(\d{4})\s*")
_YEAR_MONTH_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*")


# Remembered: the compliance rules ask for the same few months hundreds of thousands of times a run (calendar
# arithmetic was a fifth of their time at 60,000 facilities).
@functools.lru_cache(maxsize=4096)
def period_end(period: datetime.date) -> datetime.date:
    """The last day of the month that starts on `period`."""
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def month_key(period: datetime.date) -> str:
    """01/10/2026 -> "2026-10", as stored reasons name a month (strftime costs several times as much)."""
    return f"{period.year:04d}-{period.month:02d}"


def add_months(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@functools.lru_cache(maxsize=4096)
def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    """The first day of the month `back` months before `day`'s month."""
    return add_months(day.replace(day=1), -back)


def parse_month(text: str) -> datetime.date | None:
    """ "10/2026", "2026-10" (or a whole date in either form) -> 01/10/2026; None when it is no month."""
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match:
        month, year = match.groups()
    else:
        match = _YEAR_MONTH_DAY.fullmatch(text)
        if not match:
            return None
        year, month = match.groups()
    try:
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None
