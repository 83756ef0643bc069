"""The one date input, the Vietnamese of Django's own validation messages, and the error summary."""

import datetime

import pytest
from django import forms
from django.utils import translation

from core.forms import VNDateField, parse_vn_date
from core.templatetags.form_errors import summary_errors

FEB_15 = datetime.date(2026, 2, 15)


@pytest.mark.parametrize(
    "typed", ["15/02/2026", "15.02.2026", "15-02-2026", "15 02 2026", "15022026", "15/2/2026", "15/2/26", "2026-02-15"]
)
def test_the_common_vietnamese_spellings_are_one_date(typed):
    assert parse_vn_date(typed) == FEB_15
    assert VNDateField().clean(f"  {typed} ") == FEB_15


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("15/02", "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/02/2026."),
        ("hôm qua", "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/02/2026."),
        ("02/15/2026", "Không có ngày này: kiểm tra lại ngày và tháng (ngày/tháng/năm, ví dụ 15/02/2026)."),
        ("31/02/2026", "Không có ngày này: kiểm tra lại ngày và tháng (ngày/tháng/năm, ví dụ 15/02/2026)."),
    ],
)
def test_a_refused_date_says_the_format(typed, message):
    with translation.override("vi"), pytest.raises(forms.ValidationError) as refused:
        VNDateField().clean(typed)
    assert refused.value.messages == [message]


def test_the_date_input_opens_the_full_keyboard_where_the_slash_is():
    html = VNDateField().widget.render("d", FEB_15)
    assert 'value="15/02/2026"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert "inputmode" not in html


class Numbers(forms.Form):
    count = forms.IntegerField(min_value=0, label="Số khoa")
    share = forms.DecimalField(max_value=100, label="Tỷ lệ")
    when = VNDateField(label="Ngày")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"count": "3,5"}, "count", "Nhập một số nguyên, ví dụ 12."),
        ({"count": "-1"}, "count", "Giá trị phải từ 0 trở lên."),
        ({"share": "abc"}, "share", "Nhập một số, ví dụ 12 hoặc 12,5."),
        ({"share": "120"}, "share", "Giá trị không được lớn hơn 100."),
        ({}, "when", "Cần điền mục này."),
    ],
)
def test_django_messages_read_in_the_portal_vietnamese(data, field, message):
    with translation.override("vi"):
        form = Numbers(data)
        assert form.errors[field] == [message]


def test_the_error_summary_lists_every_error_with_a_link_to_its_field():
    with translation.override("vi"):
        form = Numbers({"count": "x", "share": "1", "when": "15/02"})
        errors = summary_errors(form)
    assert [(e.anchor, e.label) for e in errors] == [("id_count", "Số khoa"), ("id_when", "Ngày")]
    assert summary_errors(Numbers()) == []
