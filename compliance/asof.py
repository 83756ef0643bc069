"""What "as of D" means, for every page, file and rule that shows a past day (SPEC sections 6 and 8).

Today (or later) reads the live rows; an earlier day D reads what was true at the end of D in
the province's time zone: that day's compliance snapshots, the reports sent and the assessments
approved by then.
"""

import datetime

from django.db.models import F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import Assessment
from core.models import Status
from reports.models import month_start

REPORTING_MONTHS = 6
SENT = [Status.SUBMITTED, Status.APPROVED]  # what counts as "reported" for completeness (SPEC section 6)


def today() -> datetime.date:
    return timezone.localdate()


def is_current(as_of: datetime.date) -> bool:
    """Today (or later) reads the live compliance rows; earlier dates read that day's snapshots."""
    return as_of >= today()


def day_end(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the province's time zone: "on or before day" is `< day_end(day)`."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def reporting_periods(as_of: datetime.date, months: int = REPORTING_MONTHS) -> list[datetime.date]:
    """The `months` reporting months that ended before `as_of`, oldest first (as_of 25/11 -> 05..10)."""
    return [month_start(as_of, back) for back in range(months, 0, -1)]


def sent_before(as_of: datetime.date) -> datetime.datetime | None:
    """On a past date, only what was sent by the end of that day counts; today, everything sent."""
    return None if is_current(as_of) else day_end(as_of)


def latest_approved_assessment(as_of: datetime.date | None = None) -> Subquery:
    """The id of the facility's (OuterRef "pk") latest approved assessment, approved by `as_of`."""
    assessments = Assessment.objects.filter(facility=OuterRef("pk"), status=Status.APPROVED)
    if as_of is not None and not is_current(as_of):
        assessments = assessments.filter(reviewed_at__lt=day_end(as_of))
    return Subquery(assessments.order_by("-reviewed_at", "-pk").values("pk")[:1])


def latest_approved_assessments(as_of: datetime.date, facilities: QuerySet) -> QuerySet:
    """Each facility's latest approved assessment (approved by `as_of`), as latest_approved_assessment() picks it.

    One window over the approved assessments of `facilities` instead of a subquery per facility: at national
    scale (60,000 facilities) the correlated form ran for seconds.
    """
    approved = Assessment.objects.filter(status=Status.APPROVED, facility__in=facilities)
    if not is_current(as_of):
        approved = approved.filter(reviewed_at__lt=day_end(as_of))
    newest_first = [F("reviewed_at").desc(), F("pk").desc()]
    recency = Window(RowNumber(), partition_by=[F("facility_id")], order_by=newest_first)
    return approved.annotate(recency=recency).filter(recency=1)
