"""Every report page renders in Vietnamese (the default) and in English (the language switch)."""

import re

import pytest
from django.urls import reverse

from .utils import form_data


@pytest.fixture
def pages(facility, submitted):
    return {
        "list": (reverse("reports:list"), "Báo cáo tháng", "Monthly reports"),
        "detail": (submitted.get_absolute_url(), "Hạn nộp", "Due date"),
        "create": (reverse("reports:create", args=[facility.code]), "Giai đoạn triển khai", "Rollout stage"),
    }


@pytest.mark.parametrize("page", ["list", "detail", "create"])
def test_pages_render_in_vietnamese_and_english(staff_client, pages, page):
    url, vietnamese, english = pages[page]
    body = staff_client.get(url).content.decode()
    assert vietnamese in body and english not in body
    staff_client.cookies["django_language"] = "en"
    body = staff_client.get(url).content.decode()
    assert english in body and vietnamese not in body


def test_the_review_queue_renders_in_english(officer_client, submitted):
    officer_client.cookies["django_language"] = "en"
    body = officer_client.get(reverse("reports:review_queue")).content.decode()
    assert "Days waiting" in body and "Monthly report" in body


def test_validation_messages_are_english_with_the_switch(staff_client, facility):
    staff_client.cookies["django_language"] = "en"
    response = staff_client.post(
        reverse("reports:create", args=[facility.code]), form_data(departments_live="5", departments_total="4")
    )
    assert "Departments live cannot exceed the clinical departments (4)." in response.content.decode()


def test_the_form_is_usable_on_a_phone(staff_client, facility):
    body = staff_client.get(reverse("reports:create", args=[facility.code])).content.decode()
    assert 'name="viewport"' in body
    assert 'inputmode="numeric"' in body
    assert 'placeholder="dd/mm/yyyy"' in body


def test_the_form_sections_read_as_the_report_means_them(staff_client, facility):
    """Django merges every app's catalogue, and an earlier app's translation of the same English wins:
    "Staff" is also a facility member's role (Nhân viên), "Clinical departments" an assessment's count."""
    form = staff_client.get(reverse("reports:create", args=[facility.code])).content.decode()
    sections = re.findall(r'<h2 class="h6">\d+\. (.*?)</h2>', form)
    assert "Khoa lâm sàng" in sections and "Nhân lực" in sections and "Nhân viên" not in sections
    assert "Tổng số khoa lâm sàng" in form


def test_the_lists_read_as_the_report_pages_mean_them(officer_client, submitted):
    """ "Filter" is the button (the admin's filter panel is "Bộ lọc"); "Area", "Departments live" and
    "Review" read as the facility and assessment pages write them."""
    listing = officer_client.get(reverse("reports:list")).content.decode()
    assert ">Lọc</button>" in listing and "Bộ lọc" not in listing
    assert '<label class="form-label small" for="id_area">Xã/phường</label>' in listing
    assert "Khoa đã triển khai" in listing
    queue = officer_client.get(reverse("reports:review_queue")).content.decode()
    assert ">Lọc</button>" in queue and ">Xem xét</a>" in queue
    detail = officer_client.get(submitted.get_absolute_url()).content.decode()
    assert '<h2 class="h6">Xem xét</h2>' in detail
