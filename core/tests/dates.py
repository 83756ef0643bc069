"""Dates the tests write in the province's time zone."""

import datetime

from django.utils import timezone


def local_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_default_timezone())


def month(text: str) -> datetime.date:
    """ "2026-03" -> date(2026, 3, 1)."""
    return datetime.date.fromisoformat(f"{text}-01")
