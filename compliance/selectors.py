"""Reads the pages need, computed in the database with a fixed number of queries (SPEC sections 6 and 8).

Callers pass a facility queryset already scoped (`Facility.objects.for_user(user)`) and filtered.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core.models import Status
from reports.models import MonthlyReport, due_date, first_sent_before

from .models import ComplianceSnapshot, ComplianceStatus, FacilityCompliance


@dataclass(frozen=True)
class MonthCompleteness:
    """Reporting for one month: completeness = reported / active, timeliness = on time / active."""

    month: datetime.date
    active: int  # active facilities: the reports expected
    reported: int  # of them with a submitted or approved report for the month
    on_time: int  # of those, submitted by the due day (in the province's time zone)

    @property
    def completeness(self) -> float | None:
        return self.reported / self.active if self.active else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.active if self.active else None

    @property
    def due_date(self) -> datetime.date:
        return due_date(self.month)


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_default_timezone()
    )


def reporting_completeness(
    facilities, months: list[datetime.date], sent_before: datetime.datetime | None = None
) -> list[MonthCompleteness]:
    """Reporting completeness and timeliness per month (first days of months), in the order given.

    SPEC section 6: for month M, facilities with a submitted or approved report for M / active
    facilities; timeliness: those first submitted by the due day (a resubmission after a return
    does not make a report late). Two queries whatever the number of
    facilities and months: one count of the active facilities, one conditional aggregate over
    the reports of those months. `sent_before` (a past day's end) leaves out the reports sent
    after it, so a past date shows what had been sent by then.
    """
    active = facilities.active()
    expected = active.count()
    if not months:
        return []
    handed_in = Q(status__in=[Status.SUBMITTED, Status.APPROVED])
    if sent_before is not None:
        handed_in &= Q(submitted_at__lt=sent_before)
    aggregates = {}
    for i, month in enumerate(months):
        aggregates[f"reported_{i}"] = Count("pk", filter=handed_in & Q(period=month))
        aggregates[f"on_time_{i}"] = Count(
            "pk", filter=handed_in & Q(period=month) & first_sent_before(_end_of_day(due_date(month)))
        )
    counts = MonthlyReport.objects.filter(facility__in=active.values("pk"), period__in=months).aggregate(**aggregates)
    return [
        MonthCompleteness(
            month=month, active=expected, reported=counts[f"reported_{i}"], on_time=counts[f"on_time_{i}"]
        )
        for i, month in enumerate(months)
    ]


def status_counts(facilities) -> dict[str, int]:
    """Current compliance: active facilities per status (every status present, zero when none). One query."""
    rows = (
        FacilityCompliance.objects.filter(facility__in=facilities.active().values("pk"))
        .values_list("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = dict(rows)
    return {status: counts.get(status, 0) for status in ComplianceStatus.values}


def status_over_time(
    facilities, start: datetime.date, end: datetime.date
) -> list[tuple[datetime.date, dict[str, int]]]:
    """Snapshot counts per day and status between `start` and `end` (inclusive), for a chart. One query.

    Days without a snapshot are left out. Facilities count on the days they have a snapshot, even if
    they are inactive now: the history stays as it was.
    """
    rows = (
        ComplianceSnapshot.objects.filter(facility__in=facilities.values("pk"), as_of__range=(start, end))
        .values_list("as_of", "status")
        .annotate(count=Count("pk"))
        .order_by("as_of")
    )
    days: dict[datetime.date, dict[str, int]] = {}
    for day, status, count in rows:
        days.setdefault(day, dict.fromkeys(ComplianceStatus.values, 0))[status] = count
    return list(days.items())
