"""The error summary above a form: every error, each linking to its field (GOV.UK's pattern).

forms.js moves the focus to the summary when the page loads, so a nurse on a phone hears and
sees how many things to correct instead of scrolling a long form to find them; each link
opens the field's collapsed group if needed and puts the cursor in the field.
"""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass
class SummaryError:
    anchor: str  # the id of the input to focus; empty for an error of the whole form
    label: str
    message: str


def _anchor(field: forms.BoundField) -> str:
    if field.is_hidden:
        return ""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    if isinstance(field.field.widget, forms.MultiWidget):
        return f"{field.auto_id}_0"
    return field.auto_id or ""


def summary_errors(*forms_: forms.BaseForm) -> list[SummaryError]:
    errors = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        errors += [SummaryError("", "", str(message)) for message in form.non_field_errors()]
        for field in form:
            for message in field.errors:
                errors.append(SummaryError(_anchor(field), str(field.label or ""), str(message)))
    return errors


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_):
    return {"errors": summary_errors(*forms_)}
