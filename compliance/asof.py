"""What "as of D" means, for every page, file and rule that shows a day (SPEC sections 6 and 8). One module,
so the compliance engine, the dashboard, the facility list and page and the exports agree on every date.

Today (or later) reads the live rows; an earlier day D reads what was true at the end of D in the
province's time zone: that day's compliance snapshots, the reports sent and the items approved by then.

An approval without a recorded time (`reviewed_at` empty: rows written in bulk, or before the time was
kept) counts as approved before any D, and as the oldest approval: every dated approval is newer. The
engine has always counted it so; the dashboard, the lists and the exports now do too, so a facility is
never "assessed" on one page and not on another.
"""

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import Assessment
from core.models import Status
from core.months import month_start

REPORTING_MONTHS = 6

# Newest approval first; an approval without a time is the oldest (see the module's docstring).
NEWEST_APPROVAL_FIRST = [F("reviewed_at").desc(nulls_last=True), F("pk").desc()]


def today() -> datetime.date:
    return timezone.localdate()


def is_current(as_of: datetime.date) -> bool:
    """Today (or later) reads the live compliance rows; earlier dates read that day's snapshots."""
    return as_of >= today()


def day_end(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the province's time zone: "on or before day" is `< day_end(day)`."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_default_timezone()
    )


def sent_before(as_of: datetime.date) -> datetime.datetime | None:
    """On a past date, only what was sent by the end of that day counts; today, everything sent."""
    return None if is_current(as_of) else day_end(as_of)


def approved_by(as_of: datetime.date) -> Q:
    """Approved by the end of day D (an approval without a recorded time counts: see the module's docstring)."""
    return Q(status=Status.APPROVED) & (Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=day_end(as_of)))


def approved_as_of(as_of: datetime.date | None) -> Q:
    """What a page shows as approved on `as_of`: every approved item today, approved_by(D) on a past D."""
    if as_of is None or is_current(as_of):
        return Q(status=Status.APPROVED)
    return approved_by(as_of)


def reporting_periods(as_of: datetime.date, months: int = REPORTING_MONTHS) -> list[datetime.date]:
    """The `months` reporting months that ended before `as_of`, oldest first (as_of 25/11 -> 05..10)."""
    return [month_start(as_of, back) for back in range(months, 0, -1)]


def latest_approved_assessment(as_of: datetime.date | None = None) -> Subquery:
    """The id of the facility's (OuterRef "pk") latest assessment approved as of `as_of`."""
    assessments = Assessment.objects.filter(approved_as_of(as_of), facility=OuterRef("pk"))
    return Subquery(assessments.order_by(*NEWEST_APPROVAL_FIRST).values("pk")[:1])


def latest_approved_assessments(as_of: datetime.date, facilities: QuerySet) -> QuerySet:
    """Each facility's latest approved assessment as of `as_of`, as latest_approved_assessment() picks it.

    One window over the approved assessments of `facilities` instead of a subquery per facility: at national
    scale (60,000 facilities) the correlated form ran for seconds.
    """
    approved = Assessment.objects.filter(approved_as_of(as_of), facility__in=facilities)
    recency = Window(RowNumber(), partition_by=[F("facility_id")], order_by=NEWEST_APPROVAL_FIRST)
    return approved.annotate(recency=recency).filter(recency=1)


def approval_order(item) -> tuple:
    """Sort key of loaded items, newest approval first, as NEWEST_APPROVAL_FIRST orders them in the database."""
    reviewed = item.reviewed_at.timestamp() if item.reviewed_at else float("-inf")
    return (-reviewed, -item.pk)
