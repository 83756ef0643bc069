"""`{% form_field field %}`: one field placed by hand in a page's layout, drawn as crispy-bootstrap5 draws it.

The markup is crispy's (`core/tests/test_form_fields.py` compares the two): the wrapper `div#div_<id>`, the
label with an asterisk when required, the widget with Bootstrap's classes (`is-invalid` on error), the errors
(`div#<id>_error.invalid-feedback`, one paragraph per message) and the help text (`div#<id>_helptext`). It is
composed here in Python because crispy's nested templates cost about 0.4 ms a field: 10 ms of the 38 ms of the
monthly report form, the page facility staff open most (the widgets themselves: settings.FORM_RENDERER).
Widgets drawn otherwise (files, radio buttons, several check boxes, widgets made of several inputs) are left
to crispy.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

ASTERISK = mark_safe('<span class="asteriskField">*</span>')


def _widget_classes(widget: forms.Widget, bootstrap: str) -> str:
    """crispy's classes: the widget's own, its class name in lower case, then Bootstrap's."""
    classes = widget.attrs.get("class", "")
    name = widget.__class__.__name__.lower()
    if name not in classes:
        classes = f"{classes} {name}" if classes else name
    for css in bootstrap.split():
        if css not in classes.split():
            classes += f" {css}"
    return classes


@register.simple_tag
def form_field(field: forms.BoundField) -> str:
    widget = field.field.widget
    if field.is_hidden:
        return str(field)
    if field.use_fieldset or isinstance(widget, forms.FileInput):  # radios and checkbox lists use a fieldset
        return as_crispy_field(field)
    checkbox = isinstance(widget, forms.CheckboxInput)
    bootstrap = (
        "form-check-input" if checkbox else "form-select" if isinstance(widget, forms.Select) else "form-control"
    )
    if field.errors:
        bootstrap += " is-invalid"
    control = field.as_widget(attrs={"class": _widget_classes(widget, bootstrap)})
    required, asterisk = (" requiredField", ASTERISK) if field.field.required else ("", "")
    notes = format_html(
        "{}{}",
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
        if field.errors
        else "",
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, mark_safe(field.help_text))
        if field.help_text
        else "",
    )
    wrapper = f"div_{field.auto_id}"
    extra = field.css_classes()
    extra = f" {extra}" if extra else ""
    if checkbox:
        return format_html(
            '<div class="mb-3"><div id="{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}</div></div>',
            wrapper,
            extra,
            control,
            field.id_for_label,
            required,
            field.label,
            asterisk,
            notes,
        )
    label = ""
    if field.label:
        target = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        label = format_html('<label{} class="form-label{}">{}{}</label>', target, required, field.label, asterisk)
    return format_html('<div id="{}" class="mb-3{}">{}{}{}</div>', wrapper, extra, label, control, notes)
