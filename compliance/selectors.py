"""Reads the pages and files share, computed in the database with a fixed number of queries (SPEC 6 and 8).

The facility annotations and filters "as of D" (compliance.asof) that the dashboard, the facility list
and every export use, so they show the same numbers for the same date; and reporting completeness.
Callers pass a facility queryset already scoped (`Facility.objects.for_user(user)`) and filtered.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from assessments.models import Assessment
from core.models import Status
from escalations.models import EscalationItem
from reports.models import MonthlyReport, due_date, first_sent_before, was_sent

from . import asof
from .asof import REPORTING_MONTHS, approved_as_of, day_end, is_current, reporting_periods
from .models import ComplianceSnapshot, status_severity

# ---------------------------------------------------------------------------- facility annotations and filters

COMPLIANCE_FIELDS = {
    "status": "status",
    "reasons": "reasons",
    "progress": "progress",
    "deployed": "deployed",
    "deployment_date": "deployment_date",
    "after_legal_deadline": "after_legal_deadline",
    "paperless_status": "paperless_status",
    "paperless_reasons": "paperless_reasons",
    "paperless_from": "paperless_from",
    "paperless_date": "paperless_date",
    "latest_stage": "latest_stage",
    "days_left": "days_to_deadline",
    "projected_completion": "projected_completion",
    "projection": "projection",
    "last_counted_period": "latest_period",
    "computed_at": "computed_at",
}


def missing_snapshots(as_of: datetime.date) -> str:
    """Why a past date cannot be reported, or "" when it can (today, or a day whose snapshots were kept).

    A past day is read from that day's compliance snapshots; without them every facility would show
    as "not computed", 0 %: a report of nothing. The message names the nearest days that have
    snapshots, before and after, so the officer can pick one (or run compute_compliance --as-of).
    """
    if is_current(as_of):
        return ""
    days = ComplianceSnapshot.objects.values_list("as_of", flat=True)
    if days.filter(as_of=as_of).exists():
        return ""
    before = days.filter(as_of__lt=as_of).order_by("-as_of").first()
    after = days.filter(as_of__gt=as_of).order_by("as_of").first()
    nearest = " và ".join(f"{day:%d/%m/%Y}" for day in (before, after) if day)
    message = _("No compliance was computed for %(day)s, so nothing can be reported for that day.") % {
        "day": f"{as_of:%d/%m/%Y}"
    }
    if nearest:
        message += " " + _("The nearest days with figures: %(days)s.") % {"days": nearest}
    return message


def with_compliance(facilities: QuerySet, as_of: datetime.date) -> QuerySet:
    """Annotate each facility with its stored compliance as of `as_of` (None where none was computed).

    Today joins FacilityCompliance (one row per facility); a past date joins that day's
    snapshot through a filtered relation (at most one row per facility and day), so the
    join never multiplies facilities.
    """
    if is_current(as_of):
        relation = "compliance"
    else:
        relation = "snapshot"
        facilities = facilities.alias(
            snapshot=FilteredRelation("compliance_snapshots", condition=Q(compliance_snapshots__as_of=as_of))
        )
    return facilities.annotate(
        **{name: F(f"{relation}__{column}") for name, column in COMPLIANCE_FIELDS.items()},
        severity=status_severity(),
    )


# Hospitals deployed after the legal deadline of TT 13/2025 (SPEC section 6), on rows annotated by
# with_compliance(): the dashboard's number and the facility list's filter.
AFTER_LEGAL = Q(after_legal_deadline=True, type__is_hospital=True)


def with_last_report(facilities: QuerySet, as_of: datetime.date | None = None) -> QuerySet:
    """Annotate the facility's last report sent to the DoH (not a draft): its month, state and id.

    One index probe per facility shown (the unique (facility, period) index read backwards);
    on a past date, reports submitted after that day do not count.
    """
    reports = MonthlyReport.objects.filter(facility=OuterRef("pk")).exclude(status=Status.DRAFT).order_by("-period")
    if as_of is not None and not is_current(as_of):
        reports = reports.filter(submitted_at__lt=day_end(as_of))
    return facilities.annotate(
        last_report_period=Subquery(reports.values("period")[:1]),
        last_report_status=Subquery(reports.values("status")[:1]),
        last_report_id=Subquery(reports.values("pk")[:1]),
    )


def on_time(period: datetime.date) -> Q:
    """Reports for `period` first sent by the end of its due day (a resubmission after a return stays on time)."""
    return first_sent_before(day_end(due_date(period)))


def reported_filter(period: datetime.date, how: str, as_of: datetime.date | None = None) -> Q:
    """Facilities that sent (`yes`), did not send (`no`), sent on time or late their report for `period`.

    The rule of compliance.selectors.reporting_completeness(), so the list behind each number matches it:
    on a past `as_of`, reports sent after that day do not count.
    """
    sent = MonthlyReport.objects.filter(
        was_sent(asof.sent_before(as_of) if as_of is not None else None), facility=OuterRef("pk"), period=period
    )
    return {
        "yes": Q(Exists(sent)),
        "no": ~Q(Exists(sent)),
        "on_time": Q(Exists(sent.filter(on_time(period)))),
        "late": Q(Exists(sent.exclude(on_time(period)))),
    }[how]


def escalated_filter(as_of: datetime.date, months: int = REPORTING_MONTHS) -> Q:
    """Facilities with an item in the escalation register shown as of `as_of` (the rule of escalation_items())."""
    items = EscalationItem.objects.filter(facility=OuterRef("pk"))
    return Q(Exists(items.as_of(as_of, reporting_periods(as_of, months)[0])))


def assessed_filter(as_of: datetime.date) -> Q:
    """Facilities with an approved assessment by `as_of`: those budget_by_type() counts as assessed."""
    return Q(Exists(Assessment.objects.filter(approved_as_of(as_of), facility=OuterRef("pk"))))


def escalation_items(as_of: datetime.date, facilities: QuerySet, months: int = REPORTING_MONTHS) -> QuerySet:
    """The escalation register's items shown as of `as_of`: raised in the reporting window or still unresolved,
    of the facilities shown and those partner agencies raised. Only reviewed difficulties are in the register
    (approved reports and agencies' own), never a draft's or a returned report's words."""
    items = EscalationItem.objects.concerning(facilities)
    return items.as_of(as_of, reporting_periods(as_of, months)[0])


# ---------------------------------------------------------------------------- reporting


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
    sent = was_sent(sent_before)
    aggregates = {}
    for i, month in enumerate(months):
        aggregates[f"reported_{i}"] = Count("pk", filter=sent & Q(period=month))
        aggregates[f"on_time_{i}"] = Count("pk", filter=sent & Q(period=month) & on_time(month))
    counts = MonthlyReport.objects.filter(facility__in=active.values("pk"), period__in=months).aggregate(**aggregates)
    return [
        MonthCompleteness(
            month=month, active=expected, reported=counts[f"reported_{i}"], on_time=counts[f"on_time_{i}"]
        )
        for i, month in enumerate(months)
    ]
