"""Filters of the facility list and of the province dashboard, kept in the URL.

`ScopeFilter` (type, area, ownership) is what the dashboard and its exports filter by;
`FacilityFilter` adds what the list needs on top. `FacilityFilter` annotates the
queryset it is given with `compliance.selectors.with_compliance()` and `with_last_report()`.
"""

import datetime

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.asof import is_current
from compliance.models import MISSED_DEADLINE, ComplianceStatus, PaperlessStatus
from compliance.selectors import (
    AFTER_LEGAL,
    assessed_filter,
    escalated_filter,
    reported_filter,
    with_compliance,
    with_last_report,
)
from core.validators import validate_programme_month
from facilities.models import Area, Facility, FacilityType, Ownership
from facilities.widgets import use_area_search
from reports.fields import MonthField

from .forms import AsOfForm


class ScopeFilter(django_filters.FilterSet):
    type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=FacilityType.objects.all(), field_name="type", to_field_name="code"
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.all(), field_name="area", to_field_name="code"
    )
    ownership = django_filters.ChoiceFilter(label=_("Ownership"), choices=Ownership.choices)

    class Meta:
        model = Facility
        fields = ["type", "area", "ownership"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_area_search(self.form.fields["area"])
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.TextInput):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
            else:
                field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def params(self) -> dict[str, str]:
        """The valid filters as URL parameters, to carry them into links."""
        if not self.form.is_valid():
            return {}
        params = {}
        for name in ScopeFilter.base_filters:
            value = self.form.cleaned_data.get(name)
            if value:
                params[name] = getattr(value, "code", value)
        return params

    def applied(self) -> list[tuple[str, str]]:
        """The valid filters as (label, value) in words, for a printed page to say what it shows."""
        if not self.form.is_valid():
            return []
        applied = []
        for name in ScopeFilter.base_filters:
            value = self.form.cleaned_data.get(name)
            if value:
                field = self.form.fields[name]
                if not hasattr(value, "pk"):  # a choice's code: its label (a model instance reads as itself)
                    value = dict(field.choices).get(value, value)
                applied.append((str(field.label), str(value)))
        return applied


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class AllYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "All": Django's "Unknown" reads as if the value were unknown."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [(self.choices[0][0], _("All")), *self.choices[1:]]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AllYesNoSelect)
        super().__init__(*args, **kwargs)


# The status filter's choice for facilities without a compliance row (as of the date shown).
NOT_COMPUTED = "not_computed"


# Sort keys of the list's columns: (annotation or field, tie-breaker).
SORTS = {
    "code": "code",
    "name": "name",
    "type": "type__sort_order",
    "area": "area__name",
    "status": "severity",
    "progress": "progress",
    "deadline": "effective_deadline",
    "last_report": "last_report_period",
}


class FacilityFilter(ScopeFilter):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.MultipleChoiceFilter(
        label=pgettext_lazy("compliance", "Status"),
        choices=[*ComplianceStatus.choices, (NOT_COMPUTED, _("Not computed yet"))],
        widget=forms.CheckboxSelectMultiple,
        method="filter_status",
    )
    deployed = YesNoFilter(label=_("EMR deployed"), field_name="deployed")
    paperless = django_filters.MultipleChoiceFilter(
        label=_("Paper records"),
        choices=PaperlessStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        field_name="paperless_status",
    )
    missed = YesNoFilter(label=_("Missed the province deadline"), method="filter_missed")
    after_legal = YesNoFilter(label=_("Hospital deployed after the legal deadline"), method="filter_after_legal")
    active = YesNoFilter(label=_("Active"), field_name="is_active")
    month = MonthFilter(
        label=_("Report month"),
        method="filter_noop",
        widget=forms.TextInput(attrs={"placeholder": "mm/yyyy"}),
        validators=[validate_programme_month],
        error_messages={"invalid": _("Enter a month as mm/yyyy.")},
    )
    reported = django_filters.ChoiceFilter(
        label=_("Report for that month"),
        choices=[("yes", _("sent")), ("no", _("not sent")), ("on_time", _("sent on time")), ("late", _("sent late"))],
        method="filter_noop",
    )
    escalated = YesNoFilter(label=_("Asks for escalation"), method="filter_noop")
    assessed = YesNoFilter(label=_("Approved assessment"), method="filter_noop")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=[(k, k) for k in SORTS] + [(f"-{k}", f"-{k}") for k in SORTS], method="filter_noop"
    )

    class Meta:
        model = Facility
        fields = ["q", "type", "area", "ownership", "active", "status"]

    def __init__(self, data=None, queryset=None, *, as_of: datetime.date | None = None, **kwargs):
        """`queryset` is the scoped facilities; the filter adds their compliance as of `as_of` (default: the
        `date` parameter, else today) and their last report, so the list and its export filter and sort alike."""
        self.as_of = as_of or AsOfForm(data).as_of
        if queryset is not None:
            queryset = with_last_report(with_compliance(queryset, self.as_of), self.as_of)
        super().__init__(data, queryset, **kwargs)

    @property
    def current(self) -> bool:
        return is_current(self.as_of)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_status(self, queryset, name, value):
        """The chosen statuses; "not computed" adds the facilities without a status. One status per facility
        (a one-to-one row): no duplicates to remove, and DISTINCT would sort every matching facility with
        its annotations (60,000 of them at national scale) to show 25."""
        chosen = Q(status__in=[v for v in value if v != NOT_COMPUTED])
        if NOT_COMPUTED in value:
            chosen |= Q(status__isnull=True)
        return queryset.filter(chosen)

    def filter_missed(self, queryset, name, value):
        """Missed the province deadline: overdue or deployed late (the dashboard's number)."""
        missed = Q(status__in=MISSED_DEADLINE)
        return queryset.filter(missed if value else ~missed | Q(status__isnull=True))

    def filter_after_legal(self, queryset, name, value):
        """Hospitals deployed after the legal deadline of TT 13/2025 (the dashboard's number)."""
        return queryset.filter(AFTER_LEGAL if value else ~AFTER_LEGAL)

    def filter_noop(self, queryset, name, value):
        """Filters that depend on each other are applied together in filter_queryset()."""
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("month") and data.get("reported"):
            queryset = queryset.filter(reported_filter(data["month"], data["reported"], self.as_of))
        for name, condition in (("escalated", escalated_filter), ("assessed", assessed_filter)):
            if data.get(name) is not None:
                wanted = condition(self.as_of)
                queryset = queryset.filter(wanted if data[name] else ~wanted)
        key = data.get("sort") or "code"
        column = F(SORTS[key.lstrip("-")])
        expression = column.desc(nulls_last=True) if key.startswith("-") else column.asc(nulls_last=True)
        return queryset.order_by(expression, "code")

    @property
    def sort_key(self) -> str:
        return (self.form.cleaned_data.get("sort") if self.form.is_valid() else None) or "code"
