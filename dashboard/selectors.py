"""Every number the province dashboard shows, as plain functions over (as_of, facilities).

`facilities` is a Facility queryset already scoped with `for_user()`, restricted to active
facilities and filtered (type, area, ownership): the dashboard, the facility list and the
Excel exports pass the same queryset, so they show the same numbers for the same date and
filters. Today's numbers read `FacilityCompliance`; a past date reads the
`ComplianceSnapshot` rows of that day. Nothing here recomputes compliance, and nothing
loops over facilities in Python: each function is one or two aggregate queries whatever
the number of facilities and months.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from assessments.models import Assessment
from compliance import selectors as compliance_selectors
from compliance.asof import is_current, latest_approved_assessments, reporting_periods, sent_before, today
from compliance.models import (
    BEHIND,
    MISSED_DEADLINE,
    PAPERLESS_ORDER,
    STATUS_ORDER,
    ComplianceSnapshot,
    ComplianceStatus,
    FacilityCompliance,
    PaperlessStatus,
)
from compliance.selectors import AFTER_LEGAL, escalation_items, with_compliance, with_last_report
from escalations.models import EscalationItem
from facilities.models import Facility, per_type
from milestones.models import Milestone
from reports.models import MonthlyReport, month_start, period_end

from . import memo, rollups

TREND_MONTHS = 12
BEHIND_LIMIT = 10  # per status: the worst overdue, then the worst at risk
REVIEW_LIMIT = 10
ESCALATION_LIMIT = 10

COMPLETE = [ComplianceStatus.DEPLOYED_ON_TIME, ComplianceStatus.DEPLOYED_LATE]


# ---------------------------------------------------------------------------- dates


def trend_dates(as_of: datetime.date, months: int = TREND_MONTHS) -> list[datetime.date]:
    """One point per month: the last day of each of the `months` previous months, then `as_of` itself."""
    return [period_end(month_start(as_of, back)) for back in range(months, 0, -1)] + [as_of]


def days_between(start: datetime.date, end: datetime.date) -> int:
    return (end - start).days


# ---------------------------------------------------------------------------- dashboard blocks


@dataclass
class StatusCounts:
    total: int  # active facilities in scope
    counts: dict[str, int]  # per deployment status, every status present
    computed_at: datetime.datetime | None  # when the numbers were computed (the latest run among them)
    paperless: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PAPERLESS_ORDER, 0))
    hospitals_after_legal: int = 0  # hospitals deployed after the legal deadline (TT 13/2025)

    @property
    def missed_deadline(self) -> int:
        """Missed the province deadline: overdue + deployed late."""
        return sum(self.counts[s] for s in MISSED_DEADLINE)

    def paperless_share(self, status: str) -> float | None:
        return self.paperless[status] / self.total if self.total else None

    @property
    def computed(self) -> int:
        return sum(self.counts.values())

    @property
    def not_computed(self) -> int:
        return self.total - self.computed

    def share(self, status: str) -> float | None:
        return self.counts[status] / self.total if self.total else None

    @property
    def behind(self) -> int:
        return sum(self.counts[s] for s in BEHIND)

    @property
    def complete(self) -> int:
        return sum(self.counts[s] for s in COMPLETE)

    @property
    def behind_share(self) -> float | None:
        return self.behind / self.total if self.total else None


def status_counts(as_of: datetime.date, facilities: QuerySet) -> StatusCounts:
    """Facilities per status and when they were computed (one query)."""
    row = with_compliance(facilities, as_of).aggregate(
        total=Count("pk"),
        computed_at=Max("computed_at"),
        after_legal=Count("pk", filter=AFTER_LEGAL),
        **{status: Count("pk", filter=Q(status=status)) for status in ComplianceStatus.values},
        **{status: Count("pk", filter=Q(paperless_status=status)) for status in PaperlessStatus.values},
    )
    return StatusCounts(
        total=row.pop("total"),
        computed_at=row.pop("computed_at"),
        counts={status: row[status] for status in STATUS_ORDER},
        paperless={status: row[status] for status in PAPERLESS_ORDER},
        hospitals_after_legal=row["after_legal"],
    )


@dataclass
class TypeProgress:
    code: str
    name: str
    name_en: str
    facilities: int
    computed: int
    complete: int
    progress: float | None  # mean of departments live / total over the facilities computed
    counts: dict[str, int]
    computed_at: datetime.datetime | None = None  # the latest run among them
    paperless: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PAPERLESS_ORDER, 0))
    hospitals_after_legal: int = 0

    @property
    def complete_share(self) -> float | None:
        return self.complete / self.facilities if self.facilities else None

    @property
    def missed_deadline(self) -> int:
        return sum(self.counts[s] for s in MISSED_DEADLINE)


def progress_by_type(as_of: datetime.date, facilities: QuerySet, scope: Q | None = None) -> list[TypeProgress]:
    """Per facility type: facilities, mean progress, complete, and the count per status: from the rollup rows of
    `scope` (dashboard.rollups) where there are some, else from the facilities (one query)."""
    rolled_up = rollups.type_rows(as_of, scope) if scope is not None else []
    if rolled_up:
        return [type_progress(row) for row in rolled_up]
    rows = per_type(with_compliance(facilities, as_of)).annotate(
        n=Count("pk"),
        computed_n=Count("pk", filter=Q(status__isnull=False)),
        complete_n=Count("pk", filter=Q(deployed=True)),
        mean_progress=Avg("progress"),
        last_computed=Max("computed_at"),
        after_legal=Count("pk", filter=AFTER_LEGAL),
        **{f"n_{status}": Count("pk", filter=Q(status=status)) for status in ComplianceStatus.values},
        **{f"p_{status}": Count("pk", filter=Q(paperless_status=status)) for status in PaperlessStatus.values},
    )
    return [type_progress(row) for row in rows]


def type_progress(row: dict) -> TypeProgress:
    """One type's numbers from a row of progress_by_type()'s query (or of the rollup's: dashboard.rollups)."""
    return TypeProgress(
        code=row["type__code"],
        name=row["type__name"],
        name_en=row["type__name_en"],
        facilities=row["n"],
        computed=row["computed_n"],
        complete=row["complete_n"],
        progress=float(row["mean_progress"]) if row["mean_progress"] is not None else None,
        counts={status: row[f"n_{status}"] for status in STATUS_ORDER},
        computed_at=row["last_computed"],
        paperless={status: row[f"p_{status}"] for status in PAPERLESS_ORDER},
        hospitals_after_legal=row["after_legal"],
    )


def status_counts_by_type(by_type: list[TypeProgress]) -> StatusCounts:
    """status_counts() added up from progress_by_type()'s rows: the dashboard reads the facilities once."""
    return StatusCounts(
        total=sum(row.facilities for row in by_type),
        computed_at=max((row.computed_at for row in by_type if row.computed_at), default=None),
        counts={status: sum(row.counts[status] for row in by_type) for status in STATUS_ORDER},
        paperless={status: sum(row.paperless[status] for row in by_type) for status in PAPERLESS_ORDER},
        hospitals_after_legal=sum(row.hospitals_after_legal for row in by_type),
    )


@dataclass
class TrendPoint:
    date: datetime.date
    counts: dict[str, int] | None  # per deployment status; None: no snapshot that day
    paperless: dict[str, int] | None = None  # per paperless status, likewise


def _trend_point(day: datetime.date, counts: dict[str, int] | None) -> TrendPoint:
    """A point from snapshot_counts()'s counts of both obligations (their status names differ)."""
    if counts is None:
        return TrendPoint(day, None, None)
    return TrendPoint(day, {s: counts.get(s, 0) for s in STATUS_ORDER}, {s: counts.get(s, 0) for s in PAPERLESS_ORDER})


def status_trend(
    as_of: datetime.date,
    facilities: QuerySet,
    current: StatusCounts | None = None,
    months: int = TREND_MONTHS,
    scope: Q | None = None,
) -> list[TrendPoint]:
    """Status counts at the end of each of the last `months` months (from the rollup rows of `scope`, else the
    daily snapshots), then as_of.

    Month ends keep the query on the (as_of, status) index however many days are stored;
    a month whose last day has no snapshot shows as a gap. The last point is `current`
    (the cards' numbers) so the chart ends where the cards are.
    """
    dates = trend_dates(as_of, months)
    by_date = past_counts(dates[:-1], facilities, scope)
    if current is None:
        current = status_counts(as_of, facilities)
    by_date[as_of] = {**current.counts, **current.paperless} if current.computed else None
    return [_trend_point(d, by_date.get(d)) for d in dates]


def snapshot_counts(facilities: QuerySet, days: list[datetime.date]) -> dict[datetime.date, dict[str, int]]:
    """Facilities per status of both obligations on each of `days` that has snapshots (one query)."""
    rows = (
        ComplianceSnapshot.objects.filter(facility__in=facilities, as_of__in=days)
        .values("as_of", "status", "paperless_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_date: dict[datetime.date, dict[str, int]] = {}
    for row in rows:
        counts = by_date.setdefault(row["as_of"], dict.fromkeys([*STATUS_ORDER, *PAPERLESS_ORDER], 0))
        counts[row["status"]] += row["n"]
        counts[row["paperless_status"]] += row["n"]
    return by_date


def behind_schedule(as_of: datetime.date, facilities: QuerySet, limit: int = BEHIND_LIMIT) -> list:
    """The worst `limit` overdue facilities, then the worst `limit` at risk, with reasons and last report.

    One query per status (two in all): a single "worst first" cut showed only overdue facilities as soon
    as there were more of them than the cut, hiding every facility that can still make it.
    """
    rows = with_compliance(facilities, as_of).select_related("type")  # the list names the type, not the area
    # Within a status, worst first is the nearest deadline, then the least progress; ties by facility. That is the
    # order of the index each list reads its first rows off, instead of sorting every facility sharing a deadline and a
    # progress: a past day's snapshot_day_status_idx after the day and the status (its at-risk list at 60,000
    # facilities: 200 -> 0.4 ms), today's compliance_behind_order_idx after the status's severity, which each list
    # also filters on so that the at-risk one starts at its own first entry (1.1-2.7 -> 0.2 ms). A past day does not:
    # the planner would take the extra condition on the snapshots for a narrower one than it is.
    rows = with_last_report(rows.order_by("days_left", "progress", "pk"), as_of)
    current = is_current(as_of)
    behind = []
    for status in BEHIND:
        of_status = rows.filter(status=status)
        if current:
            of_status = of_status.filter(severity=STATUS_ORDER.index(status))
        behind += of_status[:limit]
    return behind


@dataclass
class BehindGroup:
    status: str
    count: int  # every facility with the status, for the "see all" link
    facilities: list  # the worst of them, as behind_schedule() cut them


@dataclass
class ReviewQueue:
    reports: int
    assessments: int
    milestones: int
    oldest: datetime.datetime | None
    items: list = field(default_factory=list)  # oldest first, only when asked for

    @property
    def total(self) -> int:
        return self.reports + self.assessments + self.milestones


def awaiting_review(facilities: QuerySet, *, items: bool, limit: int = REVIEW_LIMIT) -> ReviewQueue:
    """Submitted reports, assessments and milestones waiting for a DoH decision, now (3 queries, 6 with the items)."""
    kinds = [facilities.restrict(model.objects.awaiting_review()) for model in (MonthlyReport, Assessment, Milestone)]
    # COUNT(*), not COUNT(id): the partial indexes on submitted items then answer without the table.
    r, a, m = (qs.aggregate(n=Count("*"), oldest=Min("submitted_at")) for qs in kinds)
    oldest = min((x["oldest"] for x in (r, a, m) if x["oldest"]), default=None)
    queue = ReviewQueue(reports=r["n"], assessments=a["n"], milestones=m["n"], oldest=oldest)
    if items:
        found = [item for qs in kinds for item in qs.select_related("facility").order_by("submitted_at")[:limit]]
        queue.items = sorted(found, key=lambda item: item.submitted_at)[:limit]
    return queue


@dataclass
class Escalations:
    count: int
    facilities: int
    latest: list


def escalations(as_of: datetime.date, facilities: QuerySet, limit: int = ESCALATION_LIMIT) -> Escalations:
    """Escalated difficulties and their handling, latest raised first (2 queries)."""
    items = escalation_items(as_of, facilities)
    row = items.aggregate(n=Count("pk"), facilities=Count("facility", distinct=True))
    latest = list(items.select_related("facility", "agency").order_by("-raised_on", "-pk")[:limit])
    return Escalations(count=row["n"], facilities=row["facilities"], latest=latest)


def open_register_items(facilities: QuerySet) -> list:
    """The escalation register's open items by age (days since raised), today: those of the facilities
    shown and those partner agencies raised (one query)."""
    return EscalationItem.objects.concerning(facilities).open_by_age(today())


@dataclass
class TypeBudget:
    code: str
    name: str
    name_en: str
    assessed: int  # facilities with an approved assessment
    needed: int
    secured: int

    @property
    def secured_share(self) -> float | None:
        return self.secured / self.needed if self.needed else None

    @property
    def gap(self) -> int:
        return max(self.needed - self.secured, 0)


def budget_by_type(as_of: datetime.date, facilities: QuerySet, scope: Q | None = None) -> list[TypeBudget]:
    """Budget needed vs secured per facility type, from each facility's latest approved assessment: from the rollup
    rows of `scope` (dashboard.rollups) where there are some, else from the assessments (one query)."""
    rows = rollups.budget_rows(as_of, scope) if scope is not None else None
    if rows is None:
        latest = latest_approved_assessments(as_of, facilities).values("pk")
        rows = per_type(Assessment.objects.filter(pk__in=latest), through="facility__").annotate(
            n=Count("pk"), needed=Sum("budget_needed"), secured=Sum("budget_secured")
        )
        rows = [{key.removeprefix("facility__"): value for key, value in row.items()} for row in rows]
    return [
        TypeBudget(
            code=row["type__code"],
            name=row["type__name"],
            name_en=row["type__name_en"],
            assessed=row["n"],
            needed=row["needed"] or 0,
            secured=row["secured"] or 0,
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------- the whole page


@dataclass
class ProvinceDashboard:
    as_of: datetime.date
    current: bool
    deadline: datetime.date
    paperless_from: datetime.date
    days_to_deadline: int
    statuses: StatusCounts
    by_type: list[TypeProgress]
    trend: list[TrendPoint]
    reporting: list[compliance_selectors.MonthCompleteness]
    behind: list
    review: ReviewQueue
    escalations: Escalations
    budget: list[TypeBudget]
    register: list = field(default_factory=list)  # open escalation items per age bucket

    @property
    def days_past_deadline(self) -> int:
        return max(-self.days_to_deadline, 0)

    @property
    def behind_groups(self) -> list[BehindGroup]:
        """The behind-schedule list per status (overdue, then at risk), the statuses that have facilities."""
        return [
            BehindGroup(status, self.statuses.counts[status], [f for f in self.behind if f.status == status])
            for status in BEHIND
            if self.statuses.counts[status]
        ]

    @property
    def stale(self) -> bool:
        """Today's numbers computed before today (the nightly run has not run yet, or failed)."""
        computed_at = self.statuses.computed_at
        return self.current and computed_at is not None and timezone.localdate(computed_at) < self.as_of


def past_counts(days: list[datetime.date], facilities: QuerySet, scope: Q | None) -> dict:
    """snapshot_counts() of the trend's days: from the rollup rows of `scope`, days without them from the snapshots."""
    counts = rollups.day_counts(days, scope) if scope is not None else {}
    missing = [day for day in days if day not in counts]
    return {**counts, **snapshot_counts(facilities, missing)} if missing else counts


def _reporting(as_of: datetime.date, facilities: QuerySet, scope: Q | None, months: list, versions: dict) -> list:
    """The reporting completeness of `months`: from the rollup rows of `scope` where they say it, else from the
    reports, one block per month (an approval in October recomputes October's count only)."""
    report_versions = [versions[f"reports {month}"] for month in months]
    when = "now" if is_current(as_of) else as_of
    if scope is not None:
        rolled_up = memo.memoized(
            f"reporting rollup {when}",
            facilities,
            [versions["registry"], versions["compliance"], *report_versions],
            lambda: rollups.completeness(as_of, scope, months),
        )
        if rolled_up is not None:
            return rolled_up
    return [
        memo.memoized(
            f"reporting {month} {when}",
            facilities,
            [versions["registry"], version],
            lambda month=month: compliance_selectors.reporting_completeness(
                facilities, [month], sent_before=sent_before(as_of)
            )[0],
        )
        for month, version in zip(months, report_versions, strict=True)
    ]


def province_dashboard(
    as_of: datetime.date,
    facilities: QuerySet,
    *,
    review_items: bool,
    scope: Q | None = None,
    reviewed: QuerySet | None = None,
) -> ProvinceDashboard:
    """Everything the province dashboard shows, in a fixed number of queries (the page's `for_dashboard()`).

    `reviewed`: the facilities whose submissions the review block counts, as the review queue does (by default
    `facilities`).

    The blocks that count facilities (status and progress per type, the trend, the reporting completeness, the
    budgets of approved assessments) read the rollup rows of `scope` (dashboard.rollups.cells(): the facilities
    shown, as rollup rows) where there are some, else the facilities' statuses, reports and assessments. They are
    memoised (see `memo`) until what they read changes, an optimisation only for the rollup's blocks. The lists
    (behind schedule, review, escalations) are read live.
    """
    trend_days = trend_dates(as_of)[:-1]
    months = reporting_periods(as_of)
    current = is_current(as_of)
    compliance = FacilityCompliance.objects.all() if current else ComplianceSnapshot.objects.filter(as_of=as_of)
    versions = memo.versions(
        registry=Facility.objects.all().values("updated_at"),
        compliance=compliance.values("computed_at"),
        **{
            f"snapshots {day}": ComplianceSnapshot.objects.filter(as_of=day).values("computed_at") for day in trend_days
        },
        **{f"reports {month}": MonthlyReport.objects.filter(period=month).values("updated_at") for month in months},
        assessments=Assessment.objects.values("updated_at"),
    )
    registry = versions["registry"]
    by_type = memo.memoized(
        f"by type {'today' if current else as_of}",
        facilities,
        [registry, versions["compliance"]],
        lambda: progress_by_type(as_of, facilities, scope),
    )
    statuses = status_counts_by_type(by_type)
    past = memo.memoized(
        f"trend {as_of}",
        facilities,
        [registry, *(versions[f"snapshots {day}"] for day in trend_days)],
        lambda: past_counts(trend_days, facilities, scope),
    )
    past[as_of] = {**statuses.counts, **statuses.paperless} if statuses.computed else None
    return ProvinceDashboard(
        as_of=as_of,
        current=current,
        deadline=settings.EMR_DEADLINE,
        paperless_from=settings.PAPERLESS_FROM,
        days_to_deadline=days_between(as_of, settings.EMR_DEADLINE),
        statuses=statuses,
        by_type=by_type,
        trend=[_trend_point(d, past.get(d)) for d in [*trend_days, as_of]],
        reporting=_reporting(as_of, facilities, scope, months, versions),
        behind=behind_schedule(as_of, facilities),
        review=awaiting_review(facilities if reviewed is None else reviewed, items=review_items),
        escalations=escalations(as_of, facilities),
        register=open_register_items(facilities),
        budget=memo.memoized(
            f"budget {'today' if current else as_of}",
            facilities,
            # The rollup's budgets change when the engine writes the statuses after an approval.
            [registry, versions["assessments"], versions["compliance"]],
            lambda: budget_by_type(as_of, facilities, scope),
        ),
    )
