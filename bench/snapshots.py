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

from compliance import rules
from compliance.engine import RESULT_FIELDS
from reports.models import Stage, month_start

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
    stage: int
    live: int
    total: int
    done_on: datetime.date | None  # when paperless with every department live: the later of the two dates
    decision_date: datetime.date | None
    paper_stopped_date: datetime.date | None


def counted(plan: MonthPlan, departments: int) -> Counted:
    """What an approved report contributes to the compliance facts."""
    done = None
    paperless = plan.stage == Stage.PAPERLESS and plan.live == departments
    if paperless and plan.decision_date and plan.paper_stopped_date:
        done = max(plan.decision_date, plan.paper_stopped_date)
    return Counted(
        plan.period,
        plan.reviewed_at.astimezone(TZ).date(),
        plan.stage,
        plan.live,
        departments,
        done,
        plan.decision_date,
        plan.paper_stopped_date,
    )


def facility_snapshots(
    spec: FacilitySpec,
    timeline: list[Counted],
    assessment: tuple[datetime.date, bool] | None,
    days: list[datetime.date],
) -> Iterator[tuple]:
    """Snapshot rows (SNAPSHOT_COLUMNS order) of one active facility for each of `days` (ascending)."""
    periods = [c.period for c in timeline]
    paperless = [c for c in timeline if c.done_on is not None]
    deadline = spec.effective_deadline
    previous_key = previous = None
    for day in days:
        first_uncounted = month_start(day)
        counted = []
        i = bisect.bisect_left(periods, first_uncounted) - 1
        while i >= 0 and len(counted) < rules.MAX_POINTS:
            if timeline[i].approved_on <= day:
                counted.append(i)
            i -= 1
        done_on = None
        for c in paperless:
            if c.period >= first_uncounted:
                break
            if c.approved_on <= day and c.decision_date <= day and c.paper_stopped_date <= day:
                done_on = c.done_on
                break
        mandatory = assessment[1] if assessment and assessment[0] <= day else None
        days_left = (deadline - day).days
        latest_period = timeline[counted[0]].period if counted else None
        stale = rules.is_stale(latest_period, day)
        key = (tuple(counted), mandatory, done_on, stale, days_left < 90, days_left < 60, day > deadline)
        if key != previous_key:
            reports = [
                rules.CountedReport(timeline[j].period, timeline[j].stage, timeline[j].live, timeline[j].total)
                for j in reversed(counted)
            ]
            facts = rules.Facts(spec.id, deadline, reports, done_on, mandatory)
            r = rules.evaluate(facts, day)
            previous_key = key
            previous = [
                r.status,
                r.reasons,
                r.deadline,
                r.progress,
                r.complete,
                r.completion_date,
                r.projection,
                r.projected_completion,
                r.latest_period,
                r.latest_stage,
            ]
        p = previous
        computed_at = datetime.datetime(day.year, day.month, day.day, 23, 30, tzinfo=TZ)
        yield (spec.id, day, p[0], p[1], p[2], days_left, p[3], p[4], p[5], p[6], p[7], p[8], p[9], computed_at)
