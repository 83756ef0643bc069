"""The DoH officers' review queue: submitted monthly reports, readiness assessments and milestones, oldest first."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import CharField, DateField, DateTimeField, F, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Assessment
from facilities.models import Facility
from milestones.models import Milestone, MilestoneKind

from .filters import SubmissionKind
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
    milestone: str = ""
    milestone_date: datetime.date | None = None

    @property
    def kind_label(self) -> str:
        label = str(dict(SubmissionKind.CHOICES)[self.kind])
        if self.kind == SubmissionKind.MILESTONE:
            day = date_format(self.milestone_date, "SHORT_DATE_FORMAT") if self.milestone_date else ""
            return f"{label}: {MilestoneKind(self.milestone).label} ({day})"
        return label


def _waiting(submitted_at, today: datetime.date) -> int | None:
    return (today - timezone.localdate(submitted_at)).days if submitted_at else None


ORDER = ("submitted_at", "item", "pk")  # oldest first; ties by kind and id


class ReviewItems(Sequence):
    """The queue as a lazy sequence: its length is one count, a slice (a page) one query plus one for the
    page's facilities. At national scale the queue holds tens of thousands of items; a page never loads
    more than it shows, and an export iterates it in batches.

    `parts`: one queryset of rows per kind. A slice cuts each part to the rows it could need before their
    UNION (where the database allows an ordered, cut part in a UNION: PostgreSQL), so each part is read off its
    awaiting-review index instead of the whole queue being sorted (at 40,000 items awaiting: 2 rows for a
    report page's "next item" in about 1 ms, not 32 ms).
    """

    BATCH = 2000

    def __init__(self, parts: list[QuerySet], today: datetime.date):
        self.parts = parts
        self.today = today
        self._count = None

    def _rows(self, stop: int | None = None) -> QuerySet:
        parts = [part.order_by() for part in self.parts]
        if len(parts) == 1:
            return parts[0].order_by(*ORDER)
        if stop and connections[parts[0].db].features.supports_slicing_ordering_in_compound:
            parts = [part.order_by(*ORDER)[:stop] for part in parts]
        return parts[0].union(*parts[1:], all=True).order_by(*ORDER)

    def __len__(self) -> int:
        """One count over the parts' facility column alone, which their awaiting-review indexes hold: the database
        counts off the indexes instead of reading each item's row (tens of thousands at national scale)."""
        if self._count is None:
            first, *others = [part.order_by().values("facility_id") for part in self.parts]
            self._count = (first.union(*others, all=True) if others else first).count()
        return self._count

    def count(self) -> int:
        return len(self)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._items(list(self._rows(index.stop)[index]))
        return self[index : index + 1][0]

    def __iter__(self):
        for start in range(0, len(self), self.BATCH):
            yield from self[start : start + self.BATCH]

    def _items(self, rows: list[dict]) -> list[QueueItem]:
        facilities = Facility.objects.select_related("type", "area").in_bulk({row["facility_id"] for row in rows})
        return [self._item(row, facilities[row["facility_id"]]) for row in rows]

    def _item(self, row: dict, facility: Facility) -> QueueItem:
        if row["item"] == SubmissionKind.REPORT:
            report = MonthlyReport(
                pk=row["pk"],
                period=row["period"],
                submitted_at=row["submitted_at"],
                first_submitted_at=row["first_submitted_at"],
            )
            url, late = report.get_absolute_url(), report.is_late
        elif row["item"] == SubmissionKind.MILESTONE:
            url, late = Milestone(pk=row["pk"]).get_absolute_url(), False
        else:
            url, late = Assessment(pk=row["pk"]).get_absolute_url(), False
        return QueueItem(
            kind=row["item"],
            milestone=row["milestone"],
            milestone_date=row["milestone_date"],
            facility=facility,
            period=row["period"],
            submitted_at=row["submitted_at"],
            url=url,
            late=late,
            days_waiting=_waiting(row["submitted_at"], self.today),
        )


def review_items(*, facilities: QuerySet, kind: str = "", today: datetime.date | None = None) -> ReviewItems:
    """Items awaiting review for `facilities`, oldest first, loaded a page at a time.

    One UNION of the submitted reports, assessments and milestones, ordered and cut in the database
    (ReviewItems). (The column is `item`, not `kind`: a milestone has a field of that name.)
    """
    columns = ["item", "pk", "facility_id", "period", "submitted_at", "first_submitted_at"]
    columns += ["milestone", "milestone_date"]
    # Typed: the first part of the UNION decides the column's type, and a bare NULL would be text.
    no_milestone = {"milestone": Value("", CharField()), "milestone_date": Cast(Value(None), DateField())}
    parts = []
    if kind in ("", SubmissionKind.REPORT):
        reports = facilities.restrict(MonthlyReport.objects.awaiting_review())
        parts.append(reports.annotate(item=Value(SubmissionKind.REPORT), **no_milestone).values(*columns))
    if kind in ("", SubmissionKind.ASSESSMENT):
        assessments = facilities.restrict(Assessment.objects.awaiting_review())
        parts.append(
            assessments.annotate(
                item=Value(SubmissionKind.ASSESSMENT),
                period=Value(None, DateField()),
                first_submitted_at=Value(None, DateTimeField()),
                **no_milestone,
            ).values(*columns)
        )
    if kind in ("", SubmissionKind.MILESTONE):
        milestones = facilities.restrict(Milestone.objects.awaiting_review())
        parts.append(
            milestones.annotate(
                item=Value(SubmissionKind.MILESTONE),
                period=Value(None, DateField()),
                first_submitted_at=Value(None, DateTimeField()),
                milestone=F("kind"),
                milestone_date=F("date"),
            ).values(*columns)
        )
    return ReviewItems(parts, today or timezone.localdate())


def next_item(*, facilities: QuerySet, current_url: str) -> QueueItem | None:
    """Where a review page's "next item" goes: the oldest other submission awaiting review (two rows read)."""
    return next((item for item in review_items(facilities=facilities)[:2] if item.url != current_url), None)
