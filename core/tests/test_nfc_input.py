"""Text posted decomposed (NFD, as some keyboards and pasted web text send it) is stored in NFC, like imported text."""

import unicodedata

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import NfcMiddleware
from reports.models import MonthlyReport
from reports.tests.utils import form_data

NFD = unicodedata.normalize("NFD", "Thiếu kinh phí mua chữ ký số")


def test_a_report_typed_decomposed_is_stored_composed(staff_client, facility):
    response = staff_client.post(reverse("reports:create", args=[facility.code]), form_data(difficulties=NFD))
    assert response.status_code == 302
    stored = MonthlyReport.objects.get(facility=facility).difficulties
    assert stored == unicodedata.normalize("NFC", NFD) and stored != NFD


def test_passwords_and_composed_text_are_left_as_posted():
    request = RequestFactory().post("/", {"password": NFD, "new_password1": NFD, "name": "Trạm Y tế", "note": NFD})
    NfcMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})
    assert request.POST["password"] == NFD and request.POST["new_password1"] == NFD
    assert request.POST["name"] == "Trạm Y tế" and request.POST["note"] == unicodedata.normalize("NFC", NFD)
