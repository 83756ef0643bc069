"""NUL and other control characters are refused with a 400 in every path, filter and posted field, before any query.

The URLs come from the resolver (core.tests.resolver): a page added later is covered without being listed.
"""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.validators import CONTROL_CHARACTERS, has_control_characters, validate_no_control_characters
from dashboard.filters import FacilityFilter
from reports.filters import MonthlyReportFilter, ReviewQueueFilter

from .resolver import placeholder, routes

BAD = ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x85"]
ROLES = ["anonymous", "staff", "officer", "leadership"]
TEXT_ROUTES = [route for route in routes(admin=True) if route.takes_text]
ALL_ROUTES = routes()
# Every filter the portal's pages read, plus the parameters views read directly.
FILTERS = sorted(
    {*FacilityFilter.base_filters, *MonthlyReportFilter.base_filters, *ReviewQueueFilter.base_filters}
    | {"date", "page", "month", "report", "version", "criterion", "check", "next", "area", "kind"}
)


def _url(route, text):
    return route.url(
        {
            name: text if type(c).__name__ in ("StringConverter", "PathConverter") else placeholder(name, c)
            for name, c in route.converters.items()
        }
    )


def _clients(request):
    """A client for each role, logged in before the queries are counted."""
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if role != "anonymous":
            clients[role].force_login(request.getfixturevalue(role))
    return clients


@pytest.mark.parametrize("route", TEXT_ROUTES, ids=str)
def test_a_control_character_in_the_path_answers_400_without_a_query(request, db, route, django_assert_num_queries):
    clients = _clients(request)
    url = _url(route, "82\x0021")
    with django_assert_num_queries(0):
        for role, client in clients.items():
            assert client.get(url).status_code == 400, role
            assert client.post(url, {"name": "x"}).status_code == 400, role


@pytest.mark.parametrize("route", ALL_ROUTES, ids=str)
def test_a_control_character_in_any_filter_answers_400_without_a_query(request, db, route, django_assert_num_queries):
    """Every filter on every URL as an officer; one for each other role (the rule is the same for all)."""
    clients = _clients(request)
    with django_assert_num_queries(0):
        for role, client in clients.items():
            for name in FILTERS if role == "officer" else ["q"]:
                response = client.get(_url(route, "82221"), {name: "tan\x00hong"})
                assert response.status_code == 400, (role, name, response.status_code)
            assert client.get(_url(route, "82221"), {"q\x00": "x"}).status_code == 400


@pytest.mark.parametrize("character", BAD)
def test_every_control_character_is_refused_in_a_filter(officer_client, character):
    response = officer_client.get(reverse("reports:list"), {"facility": f"82{character}221"})
    assert response.status_code == 400
    assert "ký tự điều khiển" in response.content.decode()


@pytest.mark.parametrize("route", ALL_ROUTES, ids=str)
def test_a_control_character_in_a_posted_field_answers_400(officer_client, route):
    response = officer_client.post(_url(route, "82221"), {"reason": "Lý do\x00", "name": "x"})
    assert response.status_code == 400
    assert "reason" in response.content.decode()


def test_a_control_character_beside_an_uploaded_file_answers_400(officer_client, facility):
    upload = SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04")
    response = officer_client.post(reverse("facilities:import"), {"file": upload, "dry_run": "on\x1b"})
    assert response.status_code == 400


def test_a_bad_session_cookie_answers_400_and_is_dropped(client, db, django_assert_num_queries):
    client.cookies["sessionid"] = "abc\x00defghijk"
    with django_assert_num_queries(0):
        response = client.get(reverse("facilities:list"))
    assert response.status_code == 400
    assert response.cookies["sessionid"].value == ""


def test_tabs_and_line_breaks_are_text(officer_client, facility):
    response = officer_client.get(reverse("facilities:list"), {"q": "tan\thong\r\n"})
    assert response.status_code == 200
    assert facility.name in response.content.decode()


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Trạm Y tế xã Tân Hồng", False),
        ("dòng 1\r\ndòng 2\tcột", False),
        ("a\x00b", True),
        ("a\x0bb", True),
        ("a\x7fb", True),
        ("a\x9fb", True),
        ("a\xa0b", False),
    ],
)
def test_the_rule_allows_text_and_refuses_control_characters(text, bad):
    assert has_control_characters(text) is bad
    assert bool(CONTROL_CHARACTERS.search(text)) is bad
    if bad:
        with pytest.raises(forms.ValidationError):
            validate_no_control_characters(text)
    else:
        validate_no_control_characters(text)
