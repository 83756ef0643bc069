"""Free text has a maximum length, in the model and the form; the form shows the limit to the browser."""

import pytest
from django.urls import reverse

from core.validators import LONG_TEXT, TEXT
from reports.models import MonthlyReport

from .utils import form_data


@pytest.mark.parametrize("size", [LONG_TEXT + 1, 2 * 1024 * 1024])
def test_a_text_over_its_limit_is_refused_next_to_the_field_and_nothing_is_stored(staff_client, facility, size):
    data = form_data(difficulties="khó " * (size // 4 + 1))
    response = staff_client.post(reverse("reports:create", args=[facility.code]), data)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.context["form"].errors["difficulties"]
    assert not MonthlyReport.objects.exists()


def test_a_text_at_its_limit_is_stored(staff_client, facility):
    staff_client.post(reverse("reports:create", args=[facility.code]), form_data(difficulties="x" * LONG_TEXT))
    assert len(MonthlyReport.objects.get().difficulties) == LONG_TEXT


def test_the_form_tells_the_browser_each_limit(staff_client, facility):
    body = staff_client.get(reverse("reports:create", args=[facility.code])).content.decode()
    assert f'name="difficulties" cols="40" rows="3" maxlength="{LONG_TEXT}"' in body
    assert f'maxlength="{TEXT}"' in body
    assert "js/portal.js" in body  # shows the count as the user types


def test_the_model_has_the_same_limits():
    assert MonthlyReport._meta.get_field("difficulties").max_length == LONG_TEXT
    assert MonthlyReport._meta.get_field("review_comment").max_length == TEXT
