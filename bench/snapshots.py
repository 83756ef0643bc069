"""Past compliance snapshots of synthetic facilities, from the data the generator just planned.

Running the engine once per past day would read 2 million reports each time; the generator
already holds every facility's approved reports, so it gathers the same facts in memory (what
was approved by the end of day D, for months that ended before D) and applies the real rules
(compliance.rules.evaluate). Today's rows come from the engine itself, and a test checks that
both agree.

Between two snapshot days a facility's facts rarely change (a new month's approval, a threshold
of days crossed); when they have not, the previous result is reused with the new date.
"""

import bisect
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from compliance import rules
from compliance.engine import RESULT_FIELDS
from reports.models import month_start

from .plans import TZ, FacilitySpec, MonthPlan

SNAPSHOT_COLUMNS = ["facility_id", *RESULT_FIELDS]  # the engine's own row
TREND_MONTHS = 12  # the province dashboard's trend


def snapshot_days(today: datetime.date, first_period: datetime.date, cadence: str) -> list[datetime.date]:
    """Past days with a snapshot: every month end of the trend window, plus every week (same weekday as today)."""
    start = month_start(today, TREND_MONTHS)
    days = {month_start(today, back - 1) - datetime.timedelta(days=1) for back in range(1, TREND_MONTHS + 1)}
    if cadence == "weekly":
        day = today - datetime.timedelta(days=7)
        while day >= start:
            days.add(day)
            day -= datetime.timedelta(days=7)
    elif cadence == "daily":
        days |= {start + datetime.timedelta(days=i) for i in range((today - start).days)}
    first_end = month_start(first_period, -1) - datetime.timedelta(days=1)
    return sorted(d for d in days if start <= d < today and d >= first_end)


@dataclass(slots=True)
class Counted:
    period: datetime.date
    approved_on: datetime.date  # local day of the approval
    report: rules.CountedReport


def counted(plan: MonthPlan, departments: int, records: tuple[int, int, int, int]) -> Counted:
    """What an approved report contributes to the compliance facts (`records`: inpatient opened, of which
    electronic, outpatient visits, of which electronic)."""
    return Counted(
        plan.period,
        plan.reviewed_at.astimezone(TZ).date(),
        rules.CountedReport(plan.period, plan.stage, plan.live, departments, *records),
    )


def facility_snapshots(
    spec: FacilitySpec,
    timeline: list[Counted],
    assessment: tuple[datetime.date, bool, int, tuple[str, ...]] | None,
    days: list[datetime.date],
    *,
    milestones: dict[str, rules.MilestoneFact],
    facility_type,
) -> Iterator[tuple]:
    """Snapshot rows (SNAPSHOT_COLUMNS order) of one active facility for each of `days` (ascending)."""
    periods = [c.period for c in timeline]
    deadline = spec.effective_deadline
    paperless_from = rules.paperless_from(facility_type.paperless_from, settings.PAPERLESS_FROM)
    previous_key = previous = None
    for day in days:
        first_uncounted = month_start(day)
        counted = []
        i = bisect.bisect_left(periods, first_uncounted) - 1
        while i >= 0 and len(counted) < rules.MAX_POINTS:
            if timeline[i].approved_on <= day:
                counted.append(i)
            i -= 1
        counted_assessment = assessment is not None and assessment[0] <= day
        mandatory = assessment[1] if counted_assessment else None
        days_left = (deadline - day).days
        milestones_counted = tuple(kind for kind, m in milestones.items() if rules.milestone_counts(m, day))
        key = (
            tuple(counted),
            mandatory,
            milestones_counted,
            first_uncounted,
            days_left < 90,
            days_left < 60,
            days_left < 30,
            day > deadline,
            day >= paperless_from,
        )
        if key != previous_key:
            facts = rules.Facts(
                facility_id=spec.id,
                deadline=deadline,
                paperless_from=paperless_from,
                legal_deadline=facility_type.legal_deadline,
                treats_outpatients=True,
                reports=[timeline[j].report for j in reversed(counted)],
                milestones=milestones,
                mandatory_met=mandatory,
                unmet=assessment[3] if counted_assessment else (),
            )
            r = rules.evaluate(facts, day)
            previous_key = key
            previous = r
        computed_at = datetime.datetime(day.year, day.month, day.day, 23, 30, tzinfo=TZ)
        values = {name: getattr(previous, name) for name in RESULT_FIELDS[:-1]}
        values |= {"as_of": day, "days_to_deadline": days_left, "computed_at": computed_at}
        yield (spec.id, *(values[name] for name in RESULT_FIELDS))
