from decimal import ROUND_HALF_UP, Decimal
from html import escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from compliance.reasons import reason_labels
from core.models import Status
from core.templatetags.vn import num, pct

register = template.Library()


@register.simple_tag(takes_context=True)
def facilities_url(context, **extra):
    """The facility list with the page's filters (`links` in the context, a dashboard.links.FacilityLinks)
    plus `extra`."""
    return context["links"].url(**extra)


@register.simple_tag(takes_context=True)
def review_url(context, kind=""):
    """The review queue for `kind` ("report", "assessment") with the page's type, area and ownership.

    The queue shows what awaits review now, so the page's date does not go with them.
    """
    scope = context["links"].params
    params = {key: scope[key] for key in ("type", "area", "ownership") if scope.get(key)}
    if kind:
        params["kind"] = kind
    query = urlencode(params)
    return reverse("reports:review_queue") + (f"?{query}" if query else "")


@register.filter
def days_left(days):
    """Days to a deadline: the number while some are left, "57 days over" once it has passed."""
    if days is None or days == "":
        return num(days)
    if days >= 0:
        return num(days)
    return ngettext("%(days)s day over", "%(days)s days over", -days) % {"days": num(-days)}


@register.simple_tag
def reasons_short(reasons):
    """The stored reasons as their sentences, each in a span whose title repeats it (a cut cell still shows it whole).

    Every reason names what the facility lacks or the date it reached, so none merely repeats the status and none
    is left out. Each sentence is escaped once (the standard library's escape,
    as Django's): format_html per reason cost a behind-schedule table of 20 rows 1 ms.
    """
    spans = (f'<span title="{label}">{label}</span>' for label in map(escape, reason_labels(reasons)))
    return mark_safe(", ".join(spans))


@register.filter
def submission_status(value):
    """A report's or assessment's state ("approved") as its label."""
    return dict(Status.choices).get(value, value or "")


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, css=""):
    """A column header that sorts the list by `key`, and by `-key` when it already does."""
    current = context["filter"].sort_key
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if current == key else key
    state = {key: ("ascending", "▲"), f"-{key}": ("descending", "▼")}.get(current)
    return format_html(
        '<th class="{}"{}><a href="?{}">{}{}</a></th>',
        css,
        format_html(' aria-sort="{}"', state[0]) if state else "",
        params.urlencode(),
        label,
        format_html(" {}", state[1]) if state else "",
    )


@register.filter
def share(value):
    """A share 0..1 as a whole percentage, rounded half up (0.125 -> "13 %") as Excel and the charts do.

    `vn.pct` alone cuts the decimals off (0.2667 -> "26 %").
    """
    if value is None or value == "":
        return pct(value)
    return pct(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
