"""The dashboard's links to the facility list: each count opens the facilities it counts.

A province dashboard links about two hundred counts there, each with the page's filters plus its own.
The page's filters are encoded once per page here; the trend table's cells are composed in one pass
instead of a template tag and two filters per cell (7 ms a page in Django's template engine).
"""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.urls import reverse

from core.templatetags.vn import num


class FacilityLinks:
    """Addresses of the facility list with a page's filters (`params`) plus a link's own (`url(**extra)`).

    A comma in a value gives several values (`status="overdue,at_risk"`); an empty value drops the key.
    The keys keep the order of `params`, then of `extra`, as one urlencode() of the merged dict would.
    """

    def __init__(self, params: dict[str, str]):
        self.params = params
        self._encoded = {key: _encode(key, value) for key, value in params.items()}
        self._path = reverse("facilities:list")

    def url(self, **extra) -> str:
        encoded = dict(self._encoded)
        for key, value in extra.items():
            if value in (None, ""):
                encoded.pop(key, None)
            else:
                encoded[key] = _encode(key, str(value))
        query = "&".join(part for part in encoded.values() if part)
        return f"{self._path}?{query}" if query else self._path


@lru_cache(maxsize=4096)
def _encode(key: str, value: str) -> str:
    """Remembered: a dashboard encodes about 330 key-value pairs, nearly all of them the same on every request
    (statuses, types, dates of the trend), which urlencode() alone made 5 % of the page's CPU."""
    return urlencode({key: value.split(",") if "," in value else value}, doseq=True)


@dataclass(frozen=True)
class TrendRow:
    label: str  # dd/mm/yyyy
    cells: list[tuple[str, str]] | None  # (link to the day's facilities of a status, the count); None: no snapshot


def trend_table(trend: list, links: FacilityLinks) -> list[TrendRow]:
    """The rows of the trend chart's table: per day, each status's count linking to those facilities that day."""
    rows = []
    for point in trend:
        label = point.date.strftime("%d/%m/%Y")
        cells = None
        if point.counts is not None:
            cells = [(links.url(status=code, date=label), num(n)) for code, n in point.counts.items()]
        rows.append(TrendRow(label, cells))
    return rows
