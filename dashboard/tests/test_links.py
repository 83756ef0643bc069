"""Each count on the dashboard links to the facility list with the page's filters and its own."""

import datetime
from urllib.parse import parse_qsl, urlsplit

from django.urls import reverse

from dashboard.links import FacilityLinks, trend_table
from dashboard.selectors import TrendPoint

LIST = reverse("facilities:list")


def query(url: str) -> list[tuple[str, str]]:
    parts = urlsplit(url)
    assert parts.path == LIST
    return parse_qsl(parts.query)


def test_a_link_keeps_the_page_filters_and_adds_its_own():
    links = FacilityLinks({"type": "health_station", "date": "31/10/2026", "active": "true"})

    assert query(links.url(status="overdue,at_risk", sort="status")) == [
        ("type", "health_station"),
        ("date", "31/10/2026"),
        ("active", "true"),
        ("status", "overdue"),
        ("status", "at_risk"),
        ("sort", "status"),
    ]
    # A count's own date replaces the page's in place; an empty value drops the page's filter.
    assert query(links.url(date="30/09/2026", type="")) == [("date", "30/09/2026"), ("active", "true")]
    assert links.url(**{"type": None, "date": "", "active": ""}) == LIST


def test_trend_cells_link_each_status_of_that_day():
    links = FacilityLinks({"area": "29281", "active": "true"})
    points = [
        TrendPoint(datetime.date(2026, 9, 30), {"overdue": 1234, "at_risk": 0}),
        TrendPoint(datetime.date(2026, 10, 31), None),
    ]

    september, october = trend_table(points, links)

    assert september.label == "30/09/2026"
    (overdue_url, overdue), (at_risk_url, at_risk) = september.cells
    assert (overdue, at_risk) == ("1.234", "0")  # Vietnamese separators, the page's default language
    assert query(overdue_url) == [("area", "29281"), ("active", "true"), ("status", "overdue"), ("date", "30/09/2026")]
    assert ("status", "at_risk") in query(at_risk_url)
    assert october.label == "31/10/2026" and october.cells is None  # "no snapshot"
