"""Status badges and reason labels for pages that show stored compliance (they never recompute it).

{% load compliance_tags %}
{% status_badge facility.compliance %}             the deployment status: a RAG-coloured badge (grey "Not computed")
{% paperless_badge facility.compliance %}          the paperless status, likewise
{% for label in facility.compliance.reasons|reason_labels %}<li>{{ label }}</li>{% endfor %}
<div class="border-{{ facility.compliance|rag_class }}">   rag-green | rag-amber | rag-red | rag-grey
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from compliance.models import RAG, STATUS_LABELS
from compliance.reasons import reason_labels as labels

register = template.Library()


def _status(value) -> str | None:
    """A FacilityCompliance, a ComplianceSnapshot (its deployment status) or a status code of either obligation."""
    status = getattr(value, "status", value)
    return status if status in STATUS_LABELS else None


@register.filter
def rag_class(value) -> str:
    status = _status(value)
    return f"rag-{RAG[status]}" if status else "rag-grey"


@register.filter
def status_label(value) -> str:
    status = _status(value)
    return str(STATUS_LABELS[status]) if status else _("Not computed yet")


@register.simple_tag
def status_badge(value) -> str:
    return format_html('<span class="badge {}">{}</span>', rag_class(value), status_label(value))


@register.simple_tag
def paperless_badge(value) -> str:
    """The paperless status of a stored row (or a paperless status code)."""
    return status_badge(getattr(value, "paperless_status", value))


@register.filter
def reason_labels(codes) -> list[str]:
    """Reason codes (a stored row's `reasons`) -> their labels in the active language."""
    return labels(list(codes or []))
