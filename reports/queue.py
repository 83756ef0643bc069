"""The DoH officers' review queue: submitted monthly reports and readiness assessments, oldest first."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Assessment
from core.models import Status
from facilities.models import Facility

from .filters import Kind
from .models import MonthlyReport


@dataclass
class QueueItem:
    kind: str
    facility: Facility
    period: datetime.date | None
    submitted_at: datetime.datetime | None
    url: str
    late: bool
    days_waiting: int | None

    @property
    def kind_label(self) -> str:
        return str(dict(Kind.CHOICES)[self.kind])


def _waiting(submitted_at, today: datetime.date) -> int | None:
    return (today - timezone.localdate(submitted_at)).days if submitted_at else None


def review_items(*, facilities: QuerySet, kind: str = "", today: datetime.date | None = None) -> list[QueueItem]:
    """Items awaiting review for `facilities`; two queries whatever their number."""
    today = today or timezone.localdate()
    items = []
    if kind in ("", Kind.REPORT):
        reports = MonthlyReport.objects.awaiting_review().filter(facility__in=facilities)
        for report in reports.select_related("facility__type", "facility__area"):
            items.append(
                QueueItem(
                    kind=Kind.REPORT,
                    facility=report.facility,
                    period=report.period,
                    submitted_at=report.submitted_at,
                    url=report.get_absolute_url(),
                    late=report.is_late,
                    days_waiting=_waiting(report.submitted_at, today),
                )
            )
    if kind in ("", Kind.ASSESSMENT):
        assessments = Assessment.objects.filter(status=Status.SUBMITTED, facility__in=facilities)
        for assessment in assessments.select_related("facility__type", "facility__area"):
            items.append(
                QueueItem(
                    kind=Kind.ASSESSMENT,
                    facility=assessment.facility,
                    period=None,
                    submitted_at=assessment.submitted_at,
                    url=assessment.get_absolute_url(),
                    late=False,
                    days_waiting=_waiting(assessment.submitted_at, today),
                )
            )
    oldest = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    items.sort(key=lambda item: (item.submitted_at or oldest, item.facility.code))
    return items
