"""Filters of the report list and the review queue."""

import django_filters
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Status
from facilities.models import Area, Facility, FacilityType, Ownership
from facilities.widgets import use_area_search

from .models import MonthlyReport, add_months


def month_choices():
    """Every month from the programme start to this one, newest first, as ("2026-10", "10/2026")."""
    first = settings.PROGRAMME_START.replace(day=1)
    month = timezone.localdate().replace(day=1)
    choices = []
    while month >= first:
        choices.append((f"{month:%Y-%m}", f"{month:%m/%Y}"))
        month = add_months(month, -1)
    return choices


def _select(filterset):
    for field in filterset.form.fields.values():
        field.widget.attrs.setdefault("class", "form-select form-select-sm")


class MonthlyReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    facility = django_filters.CharFilter(label=_("Facility code"), field_name="facility__code")
    type = django_filters.ModelChoiceFilter(
        label=_("Type"), queryset=FacilityType.objects.all(), field_name="facility__type", to_field_name="code"
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=Area.objects.all(), field_name="facility__area", to_field_name="code"
    )
    month = django_filters.ChoiceFilter(label=_("Month"), choices=month_choices, method="filter_month")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    late = django_filters.ChoiceFilter(
        label=_("Timeliness"),
        choices=[("yes", _("Submitted late")), ("no", _("Submitted on time"))],
        method="filter_late",
    )

    class Meta:
        model = MonthlyReport
        fields = ["q", "facility", "type", "area", "month", "status", "late"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _select(self)
        for name in ("q", "facility"):
            self.form.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        use_area_search(self.form.fields["area"])

    def filter_search(self, queryset, name, value):
        return queryset.filter(facility__in=Facility.objects.search(value))

    def filter_month(self, queryset, name, value):
        year, month = value.split("-")
        return queryset.filter(period__year=int(year), period__month=int(month))

    def filter_late(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(submitted_late=True)
        return queryset.filter(submitted_at__isnull=False, submitted_late=False)


class SubmissionKind:
    """What the review queue holds: monthly reports, readiness assessments and milestones."""

    REPORT = "report"
    ASSESSMENT = "assessment"
    MILESTONE = "milestone"
    CHOICES = [(REPORT, _("Monthly report")), (ASSESSMENT, _("Readiness assessment")), (MILESTONE, _("Milestone"))]


class ReviewQueueFilter(django_filters.FilterSet):
    """The review queue's filters over the facilities given (`Facility.objects.for_user(user)`).

    `qs` is the facilities whose submissions the queue shows, every one of them when the form is
    empty or invalid; `selected_kind()` the kind of submission asked for ("" for both). Ownership
    is here so the dashboard's counts, filtered by ownership too, open on the same items.
    """

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SubmissionKind.CHOICES, method="filter_kind")
    type = django_filters.ModelChoiceFilter(label=_("Type"), queryset=FacilityType.objects.all(), to_field_name="code")
    area = django_filters.ModelChoiceFilter(label=_("Area"), queryset=Area.objects.all(), to_field_name="code")
    ownership = django_filters.ChoiceFilter(label=_("Ownership"), choices=Ownership.choices)

    class Meta:
        model = Facility
        fields = ["q", "kind", "type", "area", "ownership"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            )
        use_area_search(self.form.fields["area"])

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.form.is_valid() else queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_kind(self, queryset, name, value):
        """The kind chooses submissions, not facilities: see selected_kind()."""
        return queryset

    def selected_kind(self) -> str:
        return self.form.cleaned_data.get("kind", "") if self.form.is_valid() else ""
