"""Form pieces the submission apps share."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import TEXT
from .workflow import COMMENT_REQUIRED, STALE_EDIT


class VersionedSubmitForm(forms.Form):
    """A submit form carrying the version of the item the page showed (see workflow.check_version).

    A post without it is refused like a stale one, above the form: a hidden field's own error
    would not show.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("version") is None:
            self.add_error(None, forms.ValidationError(STALE_EDIT, code="stale"))
        return data


class ReturnForm(forms.Form):
    """The officer's comment when returning a submission: required, and more than spaces.

    A submission app may name the field and the missing-comment message in its own words."""

    label = _("Comment for the facility")
    required_message = COMMENT_REQUIRED

    comment = forms.CharField(max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.label = self.label
        field.error_messages["required"] = self.required_message  # spaces only: stripped to nothing, required


# Dates as people here type them: 15/02/2026, 15.02.2026, 15-02-2026, 15 02 2026, 15022026,
# 15/2/26; and 2026-02-15 (ISO, from spreadsheets and links).
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-, ]\s*(\d{1,2})\s*[/.\-, ]\s*(\d{4}|\d{2})")
DIGITS_ONLY = re.compile(r"(\d{2})(\d{2})(\d{4}|\d{2})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_FORMAT_HINT = _("Enter the date as day/month/year, e.g. 15/02/2026.")
NO_SUCH_DAY = _("There is no such day: check the day and the month (day/month/year, e.g. 15/02/2026).")


def parse_vn_date(text: str) -> datetime.date:
    """A date typed the Vietnamese way, day first. Raises ValueError for what is not one.

    Accepted: any of / . - , or a space between day, month and year; the eight digits alone
    (15022026); a two-digit year as 20yy; and yyyy-mm-dd. Month-first spellings are not
    guessed: 02/15/2026 has no month 15 and is refused, never read as 15 February.
    """
    text = text.strip()
    if match := ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := DAY_MONTH_YEAR.fullmatch(text) or DIGITS_ONLY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        year = year + 2000 if year < 100 else year
    else:
        raise ValueError("not a date")
    return datetime.date(year, month, day)


class VNDateInput(forms.DateInput):
    """Shown as dd/mm/yyyy; the phone gets its full keyboard, where "/" is (a numeric keypad has none).

    The field also accepts the digits alone (15022026), so a nurse who switches to the number
    keys still gets a date.
    """

    def __init__(self, attrs=None):
        attrs = {"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d/%m/%Y")


class VNDateField(forms.DateField):
    """The one date input of the portal: `parse_vn_date` spellings, and the format in every refusal."""

    widget = VNDateInput
    default_error_messages = {"invalid": DATE_FORMAT_HINT}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_vn_date(str(value))
        except ValueError as exc:
            code = "no_such_day" if str(exc) != "not a date" else "invalid"
            message = NO_SUCH_DAY if code == "no_such_day" else self.error_messages["invalid"]
            raise forms.ValidationError(message, code=code) from None
