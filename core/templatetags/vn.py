"""Number and money formats with the active language's separators, whatever USE_THOUSAND_SEPARATOR says."""

from django import template
from django.utils.formats import number_format

register = template.Library()

# Between a number and its unit ("93 %", "1.000 ₫"): a line never breaks there.
NBSP = "\u00a0"


@register.filter
def num(value, decimals=None):
    """1234567 -> "1.234.567" in Vietnamese, "1,234,567" in English."""
    if value is None or value == "":
        return "—"
    return number_format(value, decimal_pos=decimals, force_grouping=True)


@register.filter
def vnd(value):
    """An amount in đồng: 1234567 -> "1.234.567 ₫" (a no-break space before the sign)."""
    if value is None or value == "":
        return "—"
    return f"{number_format(value, decimal_pos=0, force_grouping=True)}{NBSP}₫"


@register.filter
def pct(value, decimals=0):
    """A share 0..1 as a percentage: 0.456 -> "46 %" (a no-break space before the sign)."""
    if value is None or value == "":
        return "—"
    return f"{number_format(float(value) * 100, decimal_pos=decimals, force_grouping=True)}{NBSP}%"
