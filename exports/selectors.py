"""The rows each export covers: the page's own scoped queryset and filterset, annotated for the workbook.

Every export starts from `for_user()`, so a facility user's file holds their own
facilities only, whatever parameters arrive.
"""

from django import forms
from django.db.models import F, QuerySet
from django.http import QueryDict

from facilities.filters import FacilityFilter
from facilities.models import Facility
from reports.filters import MonthlyReportFilter, ReviewQueueFilterForm
from reports.models import MonthlyReport
from reports.queue import review_items


def filter_summary(filterset) -> str:
    """ "Bộ lọc: Loại hình: …; Xã/phường: …" for the workbook's subtitle, from the valid filters only."""
    if not filterset.is_bound or not filterset.is_valid():
        return ""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        shown = value  # model choices show their name; plain choices their label
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            shown = dict(field.choices).get(value, value)
        if isinstance(value, bool):
            shown = "Có" if value else "Không"
        parts.append(f"{field.label}: {shown}")
    return "Bộ lọc: " + "; ".join(parts) if parts else ""


def facility_list(user, query: QueryDict) -> tuple[QuerySet, str]:
    """The facility list page's rows (same base queryset and filterset), with compliance for the file."""
    facilities = Facility.objects.for_user(user).select_related("type", "area").with_deadline()
    filterset = FacilityFilter(query, queryset=facilities)
    rows = filterset.qs.annotate(
        compliance_status=F("compliance__status"), compliance_progress=F("compliance__progress")
    ).order_by("code")
    return rows, filter_summary(filterset)


def report_list(user, query: QueryDict) -> tuple[QuerySet, str]:
    """The monthly reports list page's rows: the same scoped queryset, filterset and order."""
    reports = MonthlyReport.objects.for_user(user).select_related("facility__type", "facility__area")
    filterset = MonthlyReportFilter(query, queryset=reports.with_late().order_by("-period", "facility__code"))
    return filterset.qs, filter_summary(filterset)


def review_queue(user, query: QueryDict) -> tuple[list, str]:
    """The review queue page's items (oldest first), never beyond the facilities the user sees."""
    form = ReviewQueueFilterForm(query or None)
    facilities = form.facilities().filter(pk__in=Facility.objects.for_user(user).values("pk"))
    items = review_items(facilities=facilities, kind=form.selected_kind())
    return items, filter_summary(form)
