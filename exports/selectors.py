"""The rows each export covers: the page's own scoped queryset and filterset, annotated for the workbook.

Every export starts from `for_user()`, so a facility user's file holds their own
facilities only, whatever parameters arrive.
"""

import datetime

from django import forms
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import QueryDict

from assessments.models import Assessment
from compliance import asof
from compliance.models import Projection
from compliance.selectors import with_compliance, with_last_report
from dashboard import rollups
from dashboard import selectors as dashboard
from dashboard.filters import FacilityFilter, ScopeFilter
from facilities.models import Facility
from milestones.models import Milestone, MilestoneKind
from reports.filters import MonthlyReportFilter, ReviewQueueFilter
from reports.models import MonthlyReport
from reports.queue import review_items

from .provincial import BEHIND_FIELDS, DETAIL_FIELDS, ProvincialData


def filter_summary(filterset) -> str:
    """ "Bộ lọc: Loại hình: …; Xã/phường: …" for the workbook's subtitle, from the valid filters only.

    Takes a django-filter FilterSet (or a plain form).
    """
    form = getattr(filterset, "form", filterset)
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        parts.append(f"{form.fields[name].label}: {_shown(form.fields[name], value)}")
    return "Bộ lọc: " + "; ".join(parts) if parts else ""


def _shown(field, value) -> str:
    """A filter's value in words: a choice's label (several, for a multiple choice), a model choice's
    name, Có / Không for yes/no, a month as mm/yyyy."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_shown(field, item) for item in value)
    if isinstance(value, datetime.date):
        return f"{value:%m/%Y}" if value.day == 1 else f"{value:%d/%m/%Y}"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def facility_list(user, query: QueryDict, as_of) -> tuple[QuerySet, str]:
    """The facility list page's rows: same base queryset and filterset (which adds the compliance as of
    `as_of` and the last report), in the page's sort order."""
    facilities = Facility.objects.for_user(user).select_related("type", "area").with_deadline()
    filterset = FacilityFilter(query, queryset=facilities, as_of=as_of)
    return filterset.qs, filter_summary(filterset)


def report_list(user, query: QueryDict) -> tuple[QuerySet, str]:
    """The monthly reports list page's rows: the same scoped queryset, filterset and order."""
    reports = MonthlyReport.objects.for_user(user).select_related("facility__type", "facility__area")
    filterset = MonthlyReportFilter(query, queryset=reports.with_late().order_by("-period", "facility__code"))
    return filterset.qs, filter_summary(filterset)


def review_queue(user, query: QueryDict) -> tuple[list, str]:
    """The review queue page's items (oldest first), never beyond the facilities the user sees."""
    filters = ReviewQueueFilter(query or None, queryset=Facility.objects.for_user(user))
    items = review_items(facilities=filters.qs, kind=filters.selected_kind())
    return items, filter_summary(filters)


def province_scope(user, query: QueryDict) -> tuple[QuerySet, str, Q | None]:
    """The dashboard's facilities: active ones the user sees, with its scope filters (type, area, ownership); the
    filters in words; and the rollup rows that count those facilities (dashboard.rollups.cells())."""
    filterset = ScopeFilter(query, queryset=Facility.objects.for_user(user).active())
    return filterset.qs, filter_summary(filterset), rollups.cells(user, filterset)


# The subqueries below find at most one row (unique indexes), so they drop the models' default ordering: a
# report's (period, facility code) joined the facility again for each of 60,000 facilities, 5 times each.


def _latest_counted_report(field: str) -> Subquery:
    """A field of the report the compliance run counted last (its `last_counted_period`)."""
    reports = MonthlyReport.objects.filter(facility=OuterRef("pk"), period=OuterRef("last_counted_period"))
    return Subquery(reports.order_by().values(field)[:1])


def _counted_milestone(kind: str, as_of) -> Subquery:
    """The date of the facility's milestone of `kind` that counts as of D: verified by the end of D, dated by D."""
    milestones = Milestone.objects.filter(asof.approved_by(as_of), facility=OuterRef("pk"), kind=kind, date__lte=as_of)
    return Subquery(milestones.order_by().values("date")[:1])


def with_report_figures(facilities: QuerySet, as_of) -> QuerySet:
    """The detail columns: the latest approved assessment's score, the last counted report's figures and the
    dates of the counted milestones."""
    facilities = facilities.annotate(assessment_id=asof.latest_approved_assessment(as_of))
    assessment = Assessment.objects.filter(pk=OuterRef("assessment_id")).order_by()
    return facilities.annotate(
        readiness_score=Subquery(assessment.values("score")[:1]),
        mandatory_met=Subquery(assessment.values("mandatory_met")[:1]),
        **{
            name: _latest_counted_report(name)
            for name in ("departments_live", "departments_total", "bhxh_on_time_share")
        },
        vneid_sent=_latest_counted_report("vneid_sent"),
        self_assessed_on=_counted_milestone(MilestoneKind.SELF_ASSESSED, as_of),
        decision_on=_counted_milestone(MilestoneKind.DECISION, as_of),
        announced_on=_counted_milestone(MilestoneKind.ANNOUNCED, as_of),
        paper_stopped_on=_counted_milestone(MilestoneKind.PAPER_STOPPED, as_of),
    )


def provincial_report(as_of, facilities: QuerySet, filters: str = "", cells: Q | None = None) -> ProvincialData:
    """Everything the provincial report shows, from the dashboard's selectors for the same date and facilities.

    The counts per type and the trend read the rollup rows `cells` where given, as the dashboard does (at 60,000
    facilities the trend from the snapshots took about a second); the sheets of facilities read the facilities.

    The Chậm tiến độ sheet lists the worst first, for the People's Committee to act on:
    overdue facilities before at-risk ones; within a status, those whose progress does not
    rise (no projection possible) first, then the latest projected completion first, then
    those with too few reports to project; ties by facility code. (The dashboard's short list
    sorts by days left instead.)
    """
    rows = with_last_report(with_compliance(facilities.with_deadline(), as_of), as_of)
    behind = rows.filter(status__in=dashboard.BEHIND).order_by(
        "severity",
        # Worst first within a status: no projection possible, then the latest projected completion.
        Case(When(projection=Projection.NEVER, then=Value(0)), default=Value(1)),
        F("projected_completion").desc(nulls_last=True),
        "code",
    )
    by_type = dashboard.progress_by_type(as_of, facilities, cells)
    return ProvincialData(
        as_of=as_of,
        filters=filters,
        statuses=list(dashboard.STATUS_ORDER),
        by_type=by_type,
        facilities=with_report_figures(rows, as_of)
        .order_by("type__sort_order", "code")
        .values(*DETAIL_FIELDS)
        .iterator(chunk_size=1000),
        behind=behind.values(*BEHIND_FIELDS).iterator(chunk_size=1000),
        trend=dashboard.status_trend(as_of, facilities, dashboard.status_counts_by_type(by_type), scope=cells),
        escalations=dashboard.escalation_items(as_of, facilities)
        .select_related("facility", "agency", "partner")
        .order_by("raised_on", "pk"),
    )
