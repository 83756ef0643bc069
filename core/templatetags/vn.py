"""Number and money formats with the active language's separators, whatever USE_THOUSAND_SEPARATOR says."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value, decimals=None):
    """1234567 -> "1.234.567" in Vietnamese, "1,234,567" in English."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=decimals, force_grouping=True)


@register.filter
def vnd(value):
    """An amount in đồng: 1234567 -> "1.234.567 ₫"."""
    if value is None or value == "":
        return "—"
    return f"{number_format(value, decimal_pos=0, force_grouping=True)} ₫"


@register.filter
def pct(value, decimals=0):
    """A share 0..1 as a percentage: 0.456 -> "46 %"."""
    if value is None or value == "":
        return "—"
    return f"{number_format(float(value) * 100, decimal_pos=decimals, force_grouping=True)} %"
