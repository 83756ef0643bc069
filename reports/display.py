"""Report values as pages show them: choice labels, yes/no, dd/mm/yyyy, 1.234.567 ₫."""

import datetime
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.templatetags.vn import vnd

from .models import MonthlyReport


def display(name: str, value) -> str:
    """A stored value as the report page shows it: choice labels, yes/no, dd/mm/yyyy, 1.234.567."""
    model_field = MonthlyReport._meta.get_field(name)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "period":
        return f"{value:%m/%Y}"
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value.normalize(), force_grouping=True)
    if name == "spending_to_date":
        return vnd(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(value)
