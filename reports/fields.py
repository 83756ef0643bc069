"""Form fields for numbers typed the Vietnamese way: "1.234.567" for money, "95,5" for a percentage."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.months import parse_month

NEGATIVE = _("Cannot be negative.")
PERCENT_RANGE = _("Enter a percentage between 0 and 100.")
INVALID_MONTH = _("Choose a month and a year.")

# "1.234.567", "1,234,567" or "1 234 567": digits in groups of three. Anything else (e.g. "1.5")
# is left alone, so a decimal is refused instead of silently read as 15.
GROUPED = re.compile(r"^-?\d{1,3}([.,\s]\d{3})+$")
CURRENCY = re.compile(r"\s*(₫|đ|đồng|vnd|vnđ)$", re.IGNORECASE)


def _ungroup(value):
    if isinstance(value, str):
        value = value.strip()
        if GROUPED.match(value):
            value = re.sub(r"[.,\s]", "", value)
    return value


class CountField(forms.IntegerField):
    """A whole number of things (records, staff, departments); thousands separators allowed."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, MinValueValidator) and validator.limit_value == 0:
                validator.message = NEGATIVE

    def widget_attrs(self, widget):
        # Keep the text input: type="number" refuses "1.234" on phones in Vietnamese.
        return {"inputmode": "numeric"}

    def to_python(self, value):
        return super().to_python(_ungroup(value))


class VNDField(CountField):
    """An amount in đồng: "1.234.567", "1 234 567 ₫" or 1234567."""

    def to_python(self, value):
        if isinstance(value, str):
            value = CURRENCY.sub("", value.strip())
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, int):
            return number_format(value, decimal_pos=0, force_grouping=True)
        return value


class PercentField(forms.DecimalField):
    """0 to 100, with a comma or a point as the decimal separator ("95,5" or "95.5")."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        super().__init__(**kwargs)
        self.validators.append(MinValueValidator(0, message=PERCENT_RANGE))
        self.validators.append(MaxValueValidator(100, message=PERCENT_RANGE))

    def widget_attrs(self, widget):
        return {"inputmode": "decimal"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().rstrip("%").strip().replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            value = Decimal(value).normalize()
            return number_format(value, decimal_pos=max(0, -value.as_tuple().exponent))
        return value


class MonthYearWidget(forms.MultiWidget):
    """Two selects, month and year; a caller may also give the whole value under the field's name."""

    def __init__(self, attrs=None):
        month = forms.Select(attrs={"class": "form-select", "aria-label": _("Month")})
        year = forms.Select(attrs={"class": "form-select", "aria-label": _("Year")})
        super().__init__({"month": month, "year": year}, attrs)

    def set_years(self, years):
        self.widgets[0].choices = [("", "—")] + [(m, _("Month %(number)s") % {"number": m}) for m in range(1, 13)]
        self.widgets[1].choices = [("", "—")] + [(y, y) for y in years]

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.month, value.year]
        return [None, None]

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data[name]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class MonthField(forms.Field):
    """A month, stored as its first day. Accepts [month, year], a date, "10/2026" or "2026-10".

    The portal's one month field: the report form (two selects), the imports, links' `?month=` and the
    facility list's filter (a text box) all read a month through it."""

    widget = MonthYearWidget
    default_error_messages = {"invalid": INVALID_MONTH}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        if isinstance(value, list | tuple):
            if not any(value):
                return None
            month, year = (value + [None, None])[:2] if isinstance(value, list) else value[:2]
        elif isinstance(value, str):
            month = parse_month(value)
            if month is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return month
        else:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return datetime.date(int(year), int(month), 1)
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
