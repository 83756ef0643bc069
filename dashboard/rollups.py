"""The dashboard's blocks that count facilities (per type and status of both obligations, progress, the trend,
the budgets of the approved assessments, the reporting completeness) read from the rollup rows the compliance app
keeps (compliance.rollups), a few hundred rows whatever the number of facilities, instead of every facility's
status, assessment and report.

They read the rows that describe what the user sees with the dashboard's filters (`cells()`); where a scope has
no such rows (a facility member's facilities), or a day has none (a past day before the rollups, or one a
backfill recomputed), the caller reads the facilities as before (dashboard.selectors).
"""

import datetime

from django.db.models import Max, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from compliance.asof import is_current, reporting_periods, today
from compliance.models import (
    PAPERLESS_ORDER,
    STATUS_ORDER,
    ComplianceRollup,
    ComplianceStatus,
    PaperlessStatus,
    ReportingRollup,
)
from compliance.selectors import MonthCompleteness
from facilities.models import Facility, per_type

from .filters import ScopeFilter

PROVINCE = Q(area__isnull=True)  # the province's rows: every active facility of every area


def cells(user, filters: ScopeFilter) -> Q | None:
    """The rollup rows of the active facilities `user` sees with these filters, or None when no rows say it.

    The province's people (Facility.objects.for_user(): every facility) read the province's rows, or an area's;
    a scope of whole areas (Facility.objects.areas_for_user()) reads those areas' rows. A facility member's
    facilities are not a set of areas: None, and the dashboard reads the facilities.
    """
    areas = Facility.objects.areas_for_user(user)
    if areas is False:
        return None
    filters.is_valid()
    chosen = filters.form.cleaned_data  # the valid filters, those `filters.qs` applies (an invalid one is dropped)
    q = Q()
    if chosen.get("type"):
        q &= Q(type=chosen["type"])
    if chosen.get("ownership"):
        q &= Q(ownership=chosen["ownership"])
    if chosen.get("area"):
        q &= Q(area=chosen["area"])
    if areas is not None:
        q &= Q(area__in=areas)
    elif not chosen.get("area"):
        q &= PROVINCE  # every area
    return q


def _rows(as_of: datetime.date, scope: Q):
    """The rows of `as_of` in scope; today (or later) reads the latest day's rows, the current statuses."""
    rows = ComplianceRollup.objects.filter(scope)
    if not is_current(as_of):
        return rows.filter(day=as_of)
    latest = ComplianceRollup.objects.filter(day__lte=today()).order_by("-day").values("day")[:1]
    return rows.filter(day=Subquery(latest))


def type_rows(as_of: datetime.date, scope: Q) -> list[dict]:
    """The rows of dashboard.selectors.progress_by_type()'s query, from the rollup (one query); none when the day
    has no rows in scope."""
    rows = per_type(_rows(as_of, scope)).annotate(
        n=Sum("facilities"),
        computed_n=Coalesce(Sum("facilities", filter=~Q(status="")), 0),
        complete_n=Sum("deployed"),
        progress_sum=Sum("progress", filter=~Q(status="")),
        last_computed=Max("computed_at"),
        after_legal=Coalesce(Sum("after_legal", filter=Q(type__is_hospital=True)), 0),
        **{f"n_{s}": Coalesce(Sum("facilities", filter=Q(status=s)), 0) for s in ComplianceStatus.values},
        **{f"p_{s}": Coalesce(Sum("facilities", filter=Q(paperless_status=s)), 0) for s in PaperlessStatus.values},
    )
    return [
        {**row, "mean_progress": row["progress_sum"] / row["computed_n"] if row["computed_n"] else None} for row in rows
    ]


def budget_rows(as_of: datetime.date, scope: Q) -> list[dict] | None:
    """The rows of dashboard.selectors.budget_by_type()'s query, from the rollup (one query); None when the day has
    no rows in scope."""
    rows = list(
        per_type(_rows(as_of, scope)).annotate(
            n=Sum("assessed"),
            needed=Sum("budget_needed"),
            secured=Sum("budget_secured"),
        )
    )
    return [row for row in rows if row["n"]] if rows else None


def completeness(as_of: datetime.date, scope: Q, months: list[datetime.date]) -> list[MonthCompleteness] | None:
    """compliance.selectors.reporting_completeness() of `months` from the rollup (two queries); None when the day
    has no rows in scope, or its rows count other months (today is a month's first day and nothing was written yet:
    the latest rows are of the month before)."""
    day = _rows(as_of, scope).aggregate(day=Max("day"), active=Sum("facilities"))
    if day["day"] is None or reporting_periods(day["day"]) != months:
        return None
    counts = dict.fromkeys(months, (0, 0))
    rows = (
        ReportingRollup.objects.filter(scope, day=day["day"], period__in=months)
        .values("period")
        .annotate(reported=Sum("reported"), on_time=Sum("on_time"))
        .order_by()
    )
    counts.update((row["period"], (row["reported"], row["on_time"])) for row in rows)
    return [
        MonthCompleteness(month=month, active=day["active"], reported=reported, on_time=on_time)
        for month, (reported, on_time) in counts.items()
    ]


def day_counts(days: list[datetime.date], scope: Q) -> dict[datetime.date, dict[str, int] | None]:
    """dashboard.selectors.snapshot_counts() from the rollup (one query), for the days that have rows: their
    counts, or None where no facility was computed that day (a gap, as a day without snapshots)."""
    rows = (
        ComplianceRollup.objects.filter(scope, day__in=days)
        .values("day", "status", "paperless_status")
        .annotate(n=Sum("facilities"))
        .order_by()
    )
    by_date: dict[datetime.date, dict[str, int] | None] = {}
    for row in rows:
        if not row["status"]:
            by_date.setdefault(row["day"], None)
            continue
        counts = by_date.get(row["day"]) or dict.fromkeys([*STATUS_ORDER, *PAPERLESS_ORDER], 0)
        by_date[row["day"]] = counts
        counts[row["status"]] += row["n"]
        counts[row["paperless_status"]] += row["n"]
    return by_date
