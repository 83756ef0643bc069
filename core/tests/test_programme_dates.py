"""Every date a user types is checked against the programme's range before any arithmetic is done with it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.validators import programme_range, validate_programme_date


def test_the_range_runs_from_the_programme_start_to_ten_years_after_the_deadline(settings):
    settings.PROGRAMME_START = datetime.date(2025, 1, 1)
    settings.EMR_DEADLINE = datetime.date(2026, 9, 30)
    assert programme_range() == (datetime.date(2025, 1, 1), datetime.date(2036, 12, 31))


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(2024, 12, 31), datetime.date(9999, 12, 31)])
def test_a_date_outside_the_range_is_refused_with_the_range_in_the_message(settings, day):
    settings.PROGRAMME_START = datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError, match="01/01/2025"):
        validate_programme_date(day)


@pytest.mark.parametrize("name", ["dashboard:province", "dashboard:province_data", "facilities:list"])
@pytest.mark.parametrize("value", ["0001-01-01", "01/01/0001", "31/12/9999", "9999-12-31"])
def test_a_date_at_the_edge_of_the_calendar_shows_today_instead_of_failing(officer_client, facility, name, value):
    response = officer_client.get(reverse(name), {"date": value})
    assert response.status_code == 200


def test_the_dashboard_says_the_date_is_out_of_range(officer_client, facility):
    body = officer_client.get(reverse("dashboard:province"), {"date": "01/01/0001"}).content.decode()
    assert "01/01/2025" in body


@pytest.mark.parametrize("month", ["0001-01", "12/9999", "9999-12"])
def test_a_report_month_at_the_edge_of_the_calendar_answers_200(officer_client, facility, month):
    response = officer_client.get(reverse("facilities:list"), {"month": month, "reported": "no"})
    assert response.status_code == 200
    assert "01/01/2025" in response.content.decode()


def test_the_month_the_programme_starts_in_is_accepted(officer_client, facility, settings):
    settings.PROGRAMME_START = datetime.date(2025, 1, 15)
    response = officer_client.get(reverse("facilities:list"), {"month": "01/2025", "reported": "no"})
    assert response.context["filter"].form.errors == {}


def test_an_extension_to_a_far_year_is_refused_next_to_the_field(officer_client, facility):
    url = reverse("facilities:extension", args=[facility.code])
    response = officer_client.post(url, {"deadline": "31/12/9999", "reason": "Gõ nhầm năm"})
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    facility.refresh_from_db()
    assert facility.deadline is None
