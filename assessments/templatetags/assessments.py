"""Display helpers for assessment pages: states, answers and thresholds in the active language."""

from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.models import Status

from ..models import AnswerStatus, AnswerType, Mandatory

register = template.Library()

STATUS_CLASSES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.RETURNED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
}
MANDATORY_CLASSES = {
    Mandatory.REQUIRED: "text-bg-danger",
    Mandatory.WHERE_APPLIES: "text-bg-warning",
    Mandatory.RECOMMENDED: "text-bg-light border",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def mandatory_class(mandatory: str) -> str:
    return MANDATORY_CLASSES.get(mandatory, "text-bg-light")


@register.filter
def plain_number(value) -> str:
    """85.50 -> "85,5", 100.00 -> "100": no trailing zeros, the active language's separators."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value, force_grouping=True)


@register.simple_tag
def answer_display(answer, criterion) -> str:
    if answer is None:
        return "—"
    if answer.status == AnswerStatus.NOT_APPLICABLE or (answer.status and criterion.answer_type == AnswerType.YES_NO):
        return str(AnswerStatus(answer.status).label)
    if criterion.answer_type == AnswerType.YES_NO:
        return {True: _("Yes"), False: _("No")}.get(answer.value_bool, "—")
    if criterion.answer_type == AnswerType.DATE:
        return date_format(answer.value_date, "SHORT_DATE_FORMAT") if answer.value_date else "—"
    if answer.value_number is None:
        return "—"
    suffix = " %" if criterion.answer_type == AnswerType.PERCENT else ""
    return plain_number(answer.value_number) + suffix


@register.simple_tag
def threshold_display(criterion) -> str:
    """What meets the criterion, e.g. "met at 100 % or more"; empty for yes/no and dates."""
    if criterion.answer_type not in (AnswerType.NUMBER, AnswerType.PERCENT) or criterion.threshold is None:
        return ""
    suffix = " %" if criterion.answer_type == AnswerType.PERCENT else ""
    return _("met at %(threshold)s or more") % {"threshold": plain_number(criterion.threshold) + suffix}
