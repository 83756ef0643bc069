"""A facility's whole name typed without diacritics finds it, on every page that searches facilities."""

import datetime

import pytest
from django.urls import reverse

from reports.tests.factories import MonthlyReportFactory


@pytest.mark.parametrize(
    "query", ["tram y te xa tan hong", "TRAM Y TE XA TAN HONG", "Trạm Y tế xã Tân Hồng", "tan hong", "  tan   hong  "]
)
def test_the_whole_name_without_diacritics_finds_the_facility(officer_client, facility, other_facility, query):
    response = officer_client.get(reverse("facilities:list"), {"q": query})
    assert [f.code for f in response.context["page"]] == [facility.code]


@pytest.mark.parametrize("name", ["reports:list", "reports:review_queue"])
def test_the_report_pages_find_it_the_same_way(officer_client, facility, other_facility, name):
    MonthlyReportFactory(facility=facility, period=datetime.date(2026, 9, 1), submitted=True)
    MonthlyReportFactory(facility=other_facility, period=datetime.date(2026, 9, 1), submitted=True)
    body = officer_client.get(reverse(name), {"q": "tram y te xa tan hong"}).content.decode()
    assert facility.name in body
    assert other_facility.name not in body
