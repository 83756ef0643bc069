"""The compliance rules of SPEC section 6, as plain functions over already-fetched facts.

Each docstring quotes the rule it implements. The engine (engine.py) fetches, for every
facility at once, only the facts these functions need; nothing here touches the database.
Arithmetic uses exact fractions, so a projected date never depends on float rounding.

What counts as of D: monthly reports that are approved and whose month ended before D
(period end < D); the facility's latest approved assessment. The facility's deadline is
its own (an extension) if set, else its type's, else the province's. "Days to the
deadline" = deadline - D in whole days.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from reports.models import Stage, add_months, month_start, period_end

from .models import ComplianceStatus, Projection
from .reasons import Reason

MAX_POINTS = 6  # the projection uses the last up to 6 counted reports
MANDATORY_DAYS = 90  # rule 5c: fewer than 90 days left
STAGE_DAYS = 60  # rule 5d: fewer than 60 days left


class CountedReport(NamedTuple):
    """The fields of a counted monthly report that the rules read (a tuple: the engine builds 360,000 at scale)."""

    period: datetime.date  # first day of the month
    stage: int
    departments_live: int
    departments_total: int


@dataclass(frozen=True)
class Facts:
    """Everything the rules need about one facility as of D, fetched set-based by the engine.

    `reports` are the last up to 6 counted reports, oldest first. `paperless_done_on` is
    the later of the decision date and the paper-stopped date of the earliest counted report
    that is paperless with every department live and both dates on or before D (None when
    there is none). `mandatory_met` is the latest approved assessment's (None when there is none).
    """

    facility_id: int
    deadline: datetime.date
    reports: list[CountedReport] = field(default_factory=list)
    paperless_done_on: datetime.date | None = None
    mandatory_met: bool | None = None


@dataclass(frozen=True)
class Result:
    """What the engine stores for one facility and one date (the fields of ComplianceResult)."""

    facility_id: int
    as_of: datetime.date
    status: str
    reasons: list[str]
    deadline: datetime.date
    days_to_deadline: int
    progress: Decimal
    complete: bool
    completion_date: datetime.date | None
    projection: str
    projected_completion: datetime.date | None
    latest_period: datetime.date | None
    latest_stage: int | None


def first_uncounted_month(as_of: datetime.date) -> datetime.date:
    """A report counts only if its month ended before D (period end < D), i.e. its period is before D's month."""
    return month_start(as_of)


def days_to_deadline(deadline: datetime.date, as_of: datetime.date) -> int:
    """ "Days to the deadline" = deadline - D in whole days."""
    return (deadline - as_of).days


def progress(latest: CountedReport | None) -> Fraction:
    """progress = departments live / departments total of the latest counted monthly report (0 when there is none).

    A report with no departments at all has progress 0 (nothing to divide).
    """
    if latest is None or latest.departments_total == 0:
        return Fraction(0)
    return Fraction(latest.departments_live, latest.departments_total)


def completion_date(paperless_done_on: datetime.date | None, mandatory_met: bool | None) -> datetime.date | None:
    """complete = some counted report is at stage paperless with departments live = total, a decision
    date and a paper-stopped date, both on or before D; and the latest approved assessment has all
    mandatory criteria met. completion date = the later of the decision date and the paper-stopped
    date, in the earliest such report.

    The engine finds the earliest such report in SQL and passes its later date as `paperless_done_on`;
    returns the completion date, or None when the facility is not complete.
    """
    if paperless_done_on is None or mandatory_met is not True:
        return None
    return paperless_done_on


def projected_completion(reports: list[CountedReport]) -> tuple[str, datetime.date | None]:
    """projected completion: least-squares line through (period end as a day number, progress) of the
    last up to 6 counted reports; needs at least 2 points; the first whole day on which the line
    reaches 100 % (rounded up). A flat or falling line projects "never"; fewer than 2 points project
    nothing (unknown).

    `reports` are in period order; only the last 6 are used. Returns (Projection, date or None).
    The sums are scaled to integers (x in days after the first point, y times the common
    denominator L of the progress fractions), so the result is exact and fast:
    slope = A / (L·B) with A = n·Σxy − Σx·Σy and B = n·Σx² − (Σx)², and the line reaches 1 at
    x = (n·L·B − Σy·B + A·Σx) / (n·A).
    """
    points = reports[-MAX_POINTS:]
    n = len(points)
    if n < 2:
        return Projection.UNKNOWN, None
    origin = period_end(points[0].period).toordinal()
    scale = math.lcm(*(r.departments_total or 1 for r in points))
    xs = [period_end(r.period).toordinal() - origin for r in points]
    ys = [r.departments_live * (scale // r.departments_total) if r.departments_total else 0 for r in points]
    sx, sy = sum(xs), sum(ys)
    a = n * sum(x * y for x, y in zip(xs, ys, strict=True)) - sx * sy
    b = n * sum(x * x for x in xs) - sx * sx  # > 0: the periods are distinct months
    if a <= 0:
        return Projection.NEVER, None
    numerator = n * scale * b - sy * b + a * sx
    day = origin - (-numerator // (n * a))  # ceiling division: the first whole day on the line at 100 %
    if day > datetime.date.max.toordinal():  # a nearly flat line: beyond the calendar
        return Projection.DATE, datetime.date.max
    return Projection.DATE, datetime.date.fromordinal(max(day, 1))


def is_stale(latest_period: datetime.date | None, as_of: datetime.date) -> bool:
    """b. stale: the two last complete months before D both lack an approved report.

    The two last complete months before D are the two months before D's month, and an approved report
    for either would be counted, so the facility is stale exactly when its latest counted report is
    older than both (or there is none).
    """
    two_months_back = add_months(month_start(as_of), -2)
    return latest_period is None or latest_period < two_months_back


def at_risk_reasons(
    *,
    projection: str,
    projected: datetime.date | None,
    deadline: datetime.date,
    stale: bool,
    mandatory_met: bool | None,
    latest_stage: int | None,
    days_left: int,
) -> list[str]:
    """at_risk — any of these reasons:
    a. projected completion after the deadline, or "never";
    b. stale: the two last complete months before D both lack an approved report;
    c. the latest approved assessment lacks a mandatory criterion (or there is none) and fewer than
       90 days are left to the deadline;
    d. the latest counted report's stage is before hospital-wide (no report counts as not started)
       and fewer than 60 days are left to the deadline.

    Returns every one of a–d that holds, in that order (empty when none does).
    """
    reasons = []
    if projection == Projection.NEVER:
        reasons.append(Reason.PROJECTED_NEVER)
    elif projection == Projection.DATE and projected > deadline:
        reasons.append(Reason.PROJECTED_LATE)
    if stale:
        reasons.append(Reason.STALE)
    if mandatory_met is not True and days_left < MANDATORY_DAYS:
        reasons.append(Reason.MANDATORY_UNMET)
    stage = Stage.NOT_STARTED if latest_stage is None else latest_stage
    if stage < Stage.HOSPITAL_WIDE and days_left < STAGE_DAYS:
        reasons.append(Reason.EARLY_STAGE)
    return [str(reason) for reason in reasons]


def status(
    *,
    completed_on: datetime.date | None,
    deadline: datetime.date,
    as_of: datetime.date,
    has_counted_report: bool,
    has_assessment: bool,
    risks: list[str],
) -> tuple[str, list[str]]:
    """status (the first rule that matches):
    1. completed_on_time — complete, completion date <= deadline;
    2. completed_late — complete, completion date > deadline;
    3. overdue — not complete and D > deadline;
    4. no_data — no counted monthly report and no approved assessment;
    5. at_risk — any of the reasons a–d;
    6. on_track — otherwise.
    The reasons stored with a status are every one of a–d that holds (for at_risk), or the rule
    that decided it.

    `risks` are the reasons a–d that hold (at_risk_reasons). Returns (status, reasons).
    """
    if completed_on is not None:
        decided = ComplianceStatus.COMPLETED_ON_TIME if completed_on <= deadline else ComplianceStatus.COMPLETED_LATE
    elif as_of > deadline:
        decided = ComplianceStatus.OVERDUE
    elif not has_counted_report and not has_assessment:
        decided = ComplianceStatus.NO_DATA
    elif risks:
        return str(ComplianceStatus.AT_RISK), list(risks)
    else:
        decided = ComplianceStatus.ON_TRACK
    # The status codes double as the reason codes of the rule that decided them.
    return str(decided), [str(Reason(decided.value))]


def as_percentage(value: Fraction) -> Decimal:
    """Stored progress: a share 0..1 with 4 decimals."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def evaluate(facts: Facts, as_of: datetime.date) -> Result:
    """Apply every rule of SPEC section 6 to one facility's facts as of D."""
    latest = facts.reports[-1] if facts.reports else None
    days_left = days_to_deadline(facts.deadline, as_of)
    completed_on = completion_date(facts.paperless_done_on, facts.mandatory_met)
    projection, projected = projected_completion(facts.reports)
    risks = at_risk_reasons(
        projection=projection,
        projected=projected,
        deadline=facts.deadline,
        stale=is_stale(latest.period if latest else None, as_of),
        mandatory_met=facts.mandatory_met,
        latest_stage=latest.stage if latest else None,
        days_left=days_left,
    )
    decided, reasons = status(
        completed_on=completed_on,
        deadline=facts.deadline,
        as_of=as_of,
        has_counted_report=latest is not None,
        has_assessment=facts.mandatory_met is not None,
        risks=risks,
    )
    return Result(
        facility_id=facts.facility_id,
        as_of=as_of,
        status=decided,
        reasons=reasons,
        deadline=facts.deadline,
        days_to_deadline=days_left,
        progress=as_percentage(progress(latest)),
        complete=completed_on is not None,
        completion_date=completed_on,
        projection=str(projection),
        projected_completion=projected,
        latest_period=latest.period if latest else None,
        latest_stage=latest.stage if latest else None,
    )
