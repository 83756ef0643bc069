"""`{% form_field %}` draws a field as crispy-bootstrap5 does, so pages keep their markup, labels and errors."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from core.templatetags.form_fields import form_field


class Sample(forms.Form):
    name = forms.CharField(label="Tên <cơ sở>", help_text="Như trong quyết định", max_length=20)
    beds = forms.IntegerField(label="Số giường", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    stage = forms.ChoiceField(label="Giai đoạn", choices=[("0", "Chưa"), ("1", "Thí điểm")])
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    styled = forms.CharField(label="Có lớp riêng", required=False, widget=forms.TextInput(attrs={"class": "mw-22"}))
    confirmed = forms.BooleanField(label="Xác nhận", help_text="Bắt buộc")
    optional_box = forms.BooleanField(label="Tùy chọn", required=False)
    kind = forms.ChoiceField(label="Loại", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


def _markup(html) -> str:
    """Whitespace beside tags and between attributes does not count."""
    return re.sub(r"\s+", " ", re.sub(r"\s*([<>])\s*", r"\1", str(html))).strip()


def _form(data):
    form = Sample(data)
    if data is not None:
        form.is_valid()
    return form


@pytest.mark.parametrize("data", [None, {"beds": "abc", "stage": "9", "note": "x", "styled": "y"}])
@pytest.mark.parametrize("name", list(Sample.base_fields))
def test_a_field_has_crispys_markup_empty_and_with_errors(name, data):
    # Each from a form of its own: crispy writes its classes into the widget.
    assert _markup(form_field(_form(data)[name])) == _markup(as_crispy_field(_form(data)[name]))


def test_an_error_is_next_to_its_field_and_named_by_it():
    html = str(form_field(_form({"beds": "abc"})["beds"]))
    assert 'class="textinput form-control is-invalid"' in html
    assert 'aria-describedby="id_beds_error"' in html
    assert '<div id="id_beds_error" class="invalid-feedback"><p id="error_1_id_beds"><strong>' in html
