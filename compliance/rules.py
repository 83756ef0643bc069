"""The compliance rules of SPEC section 6, as plain functions over already-fetched facts.

"The dispatch sets two obligations, judged separately: EMR deployed by the deadline
(30/09/2026) and paper replaced from the paperless date (01/10/2026)."

Each docstring quotes the rule it implements. The engine (engine.py) fetches, for every
facility at once, only the facts these functions need; nothing here touches the database.
Arithmetic uses exact fractions, so a projected date never depends on float rounding.

What counts as of D: monthly reports approved by the end of D whose month ended before D;
milestones verified by the end of D dated on or before D; the latest assessment approved by
the end of D. One policy for an approval without a recorded time (`reviewed_at` empty: rows
loaded or migrated from before review times were kept): it counts, as approved from the
start. The engine's SQL (asof.approved_by) applies the same policy.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from core.models import Status
from core.months import add_months, month_key, month_start, period_end
from milestones.models import MilestoneKind
from reports.models import Stage

from .asof import day_end
from .models import ComplianceStatus, PaperlessStatus, Projection
from .reasons import Reason, reason

MAX_POINTS = 6  # the projection uses the last up to 6 counted reports
MANDATORY_DAYS = 90  # rule 5c: fewer than 90 days left
STAGE_DAYS = 60  # rule 5d: fewer than 60 days left
DECISION_DAYS = 30  # rule 5e: fewer than 30 days left

# The stage a counted milestone stands for (SPEC 4a: "pages show the furthest of the two").
MILESTONE_STAGE = {
    MilestoneKind.SELF_ASSESSED: Stage.SELF_ASSESSED,
    MilestoneKind.DECISION: Stage.DECISION_ISSUED,
    MilestoneKind.ANNOUNCED: Stage.ANNOUNCED,
    MilestoneKind.PAPER_STOPPED: Stage.PAPERLESS,
}


class CountedReport(NamedTuple):
    """The fields of a counted monthly report that the rules read (a tuple: the engine builds 360,000 at scale)."""

    period: datetime.date  # first day of the month
    stage: int
    departments_live: int
    departments_total: int
    inpatient_records: int = 0
    inpatient_electronic: int = 0
    outpatient_visits: int = 0
    outpatient_electronic: int = 0


class MilestoneFact(NamedTuple):
    """A facility's milestone of one kind (any status but draft), as the rules read it."""

    kind: str
    date: datetime.date
    status: str
    reviewed_at: datetime.datetime | None = None
    # self_assessed: whether the assessment it rests on has every mandatory criterion met.
    assessment_mandatory_met: bool | None = None


# Slots: a frozen dataclass sets each field through object.__setattr__, and a national run builds 60,000 of each
# (19 fields of a Result: 0.22 -> 0.11 s of CPU in a loop of 60,000; too small to show through a whole run's noise).
@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the rules need about one facility as of D, fetched set-based by the engine.

    `reports` are the last up to 6 counted reports, oldest first. `milestones` are the facility's
    milestones by kind, counted or not (the reasons name the unverified ones). `mandatory_met` and
    `unmet` are the counted assessment's (None / empty when there is none).
    """

    facility_id: int
    deadline: datetime.date
    paperless_from: datetime.date
    legal_deadline: datetime.date | None = None
    treats_outpatients: bool = True
    reports: list[CountedReport] = field(default_factory=list)
    milestones: dict[str, MilestoneFact] = field(default_factory=dict)
    mandatory_met: bool | None = None
    unmet: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Result:
    """What the engine stores for one facility and one date (the fields of ComplianceResult)."""

    facility_id: int
    as_of: datetime.date
    status: str
    reasons: list[dict]
    deadline: datetime.date
    legal_deadline: datetime.date | None
    days_to_deadline: int
    progress: Decimal
    deployed: bool
    deployment_date: datetime.date | None
    after_legal_deadline: bool
    paperless_status: str
    paperless_reasons: list[dict]
    paperless_from: datetime.date
    paperless_date: datetime.date | None
    projection: str
    projected_completion: datetime.date | None
    latest_period: datetime.date | None
    latest_stage: int | None


# What counts as of D.


def approved_by_end_of(status: str, reviewed_at: datetime.datetime | None, as_of: datetime.date) -> bool:
    """Approved (verified) by the end of D (asof.day_end). An approval without a recorded time counts (the module's
    policy, as asof.approved_by in SQL)."""
    return status == Status.APPROVED and (reviewed_at is None or reviewed_at < day_end(as_of))


def report_counts(status: str, reviewed_at: datetime.datetime | None, period: datetime.date, as_of: datetime.date):
    """A monthly report counts as of D when it was approved by the end of D and its month ended before D."""
    return approved_by_end_of(status, reviewed_at, as_of) and period_end(period) < as_of


def first_uncounted_month(as_of: datetime.date) -> datetime.date:
    """A month ended before D exactly when its period is before D's month (the engine's SQL form of report_counts)."""
    return month_start(as_of)


def milestone_counts(milestone: MilestoneFact | None, as_of: datetime.date) -> bool:
    """A milestone counts as of D when it was verified by the end of D and is dated on or before D."""
    return (
        milestone is not None
        and approved_by_end_of(milestone.status, milestone.reviewed_at, as_of)
        and milestone.date <= as_of
    )


def counted_milestones(milestones: dict[str, MilestoneFact], as_of: datetime.date) -> dict[str, MilestoneFact]:
    return {kind: m for kind, m in milestones.items() if milestone_counts(m, as_of)}


def days_to_deadline(deadline: datetime.date, as_of: datetime.date) -> int:
    """ "Days to the deadline" = deadline - D in whole days."""
    return (deadline - as_of).days


def deadline(
    extension: datetime.date | None, type_deadline: datetime.date | None, province: datetime.date
) -> datetime.date:
    """The facility's deadline is its own (an extension) if set, else its type's, else the province's."""
    return extension or type_deadline or province


def paperless_from(type_date: datetime.date | None, province: datetime.date) -> datetime.date:
    """Its paperless date is its type's if set, else the province's."""
    return type_date or province


def extension_beyond_legal(extension: datetime.date | None, legal_deadline: datetime.date | None) -> bool:
    """An extension beyond the type's legal deadline is allowed and marked as such wherever it shows."""
    return bool(extension and legal_deadline and extension > legal_deadline)


# The two obligations.


def mandatory_met(counted_mandatory_met: bool | None) -> bool:
    """mandatory met: every mandatory criterion that applies to the facility is met in the counted assessment.

    No counted assessment is not met.
    """
    return counted_mandatory_met is True


def deployment_date(counted: dict[str, MilestoneFact]) -> datetime.date | None:
    """deployed: a counted decision milestone, and a counted self-assessment milestone dated on or before it
    whose assessment has mandatory met. deployment date = the decision's date (None: not deployed)."""
    decision = counted.get(MilestoneKind.DECISION)
    assessed = counted.get(MilestoneKind.SELF_ASSESSED)
    if decision and assessed and assessed.date <= decision.date and assessed.assessment_mandatory_met is True:
        return decision.date
    return None


def all_electronic(report: CountedReport | None, treats_outpatients: bool) -> bool:
    """In the report every newly opened inpatient record (and outpatient record, where the facility treats
    outpatients) is electronic; a month with no new records counts as all electronic. No report: False."""
    if report is None:
        return False
    inpatient = report.inpatient_electronic >= report.inpatient_records
    outpatient = not treats_outpatients or report.outpatient_electronic >= report.outpatient_visits
    return inpatient and outpatient


def paperless_date(
    deployed_on: datetime.date | None,
    counted: dict[str, MilestoneFact],
    latest: CountedReport | None,
    treats_outpatients: bool,
) -> datetime.date | None:
    """paperless: deployed, a counted paper-stopped milestone, and in the latest counted report every newly
    opened inpatient record (and outpatient record, where the facility treats outpatients) is electronic
    (a month with no new records counts as all electronic). paperless date = the paper-stopped date.

    Without a counted report nothing shows that new records are electronic: not paperless.
    """
    stopped = counted.get(MilestoneKind.PAPER_STOPPED)
    if deployed_on and stopped and all_electronic(latest, treats_outpatients):
        return stopped.date
    return None


def progress(latest: CountedReport | None) -> Fraction:
    """progress = departments live / departments total of the latest counted report (0 when there is none).

    A report with no departments at all has progress 0 (nothing to divide).
    """
    if latest is None or latest.departments_total == 0:
        return Fraction(0)
    return Fraction(latest.departments_live, latest.departments_total)


def as_percentage(value: Fraction) -> Decimal:
    """Stored progress: a fraction 0..1 rounded half up to 4 decimals."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def projected_completion(reports: list[CountedReport]) -> tuple[str, datetime.date | None]:
    """projected completion: least-squares line through (period end as a day number, progress) of the
    last up to 6 counted reports; needs at least 2 points; the first whole day on which the line
    reaches 100 % (rounded up). A flat or falling line projects "never", except that a latest
    counted progress of 100 % projects the end of that report's month; fewer than 2 points project
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
        if progress(points[-1]) == 1:
            return Projection.DATE, period_end(points[-1].period)
        return Projection.NEVER, None
    numerator = n * scale * b - sy * b + a * sx
    day = origin - (-numerator // (n * a))  # ceiling division: the first whole day on the line at 100 %
    if day > datetime.date.max.toordinal():  # a nearly flat line: beyond the calendar
        return Projection.DATE, datetime.date.max
    return Projection.DATE, datetime.date.fromordinal(max(day, 1))


def last_complete_months(as_of: datetime.date) -> list[datetime.date]:
    """The two last complete months before D (oldest first): the two months before D's month."""
    return [month_start(as_of, 2), month_start(as_of, 1)]


def months_missing(reports: list[CountedReport], as_of: datetime.date) -> list[datetime.date]:
    """Of the two last complete months before D, those without a counted report."""
    periods = {r.period for r in reports}
    return [m for m in last_complete_months(as_of) if m not in periods]


def is_stale(latest_period: datetime.date | None, as_of: datetime.date) -> bool:
    """b. stale: the two last complete months before D both lack an approved report.

    An approved report for either month would be counted, so the facility is stale exactly when its
    latest counted report is older than both (or there is none).
    """
    return latest_period is None or latest_period < add_months(month_start(as_of), -2)


def furthest_stage(latest: CountedReport | None, counted: dict[str, MilestoneFact]) -> int:
    """The stage: the furthest of the latest counted report's stage and the counted milestones;
    nothing counted is not started."""
    stages = [latest.stage if latest else Stage.NOT_STARTED, *(MILESTONE_STAGE[kind] for kind in counted)]
    return max(stages)


def at_risk_rules(
    *,
    projection: str,
    projected: datetime.date | None,
    deadline: datetime.date,
    stale: bool,
    mandatory: bool,
    stage: int,
    decision_counted: bool,
    days_left: int,
) -> list[str]:
    """at_risk — any of:
    a. projected completion after the deadline, or "never";
    b. stale: the two last complete months before D both lack an approved report;
    c. mandatory not met (or no counted assessment) and fewer than 90 days left;
    d. the stage (the furthest of the latest counted report's stage and the counted milestones;
       nothing counted is not started) is before hospital-wide and fewer than 60 days left;
    e. no counted decision milestone and fewer than 30 days left.

    Returns the letters that hold, in order (empty when none does).
    """
    held = []
    if projection == Projection.NEVER or (projection == Projection.DATE and projected > deadline):
        held.append("a")
    if stale:
        held.append("b")
    if not mandatory and days_left < MANDATORY_DAYS:
        held.append("c")
    if stage < Stage.HOSPITAL_WIDE and days_left < STAGE_DAYS:
        held.append("d")
    if not decision_counted and days_left < DECISION_DAYS:
        held.append("e")
    return held


def deployment_status(
    *,
    deployed_on: datetime.date | None,
    deadline: datetime.date,
    as_of: datetime.date,
    has_data: bool,
    risks: list[str],
) -> str:
    """deployment status (the first rule that matches):
    1. deployed_on_time — deployment date ≤ deadline;
    2. deployed_late — deployment date > deadline;
    3. overdue — not deployed and D > deadline;
    4. no_data — no counted report, assessment or milestone;
    5. at_risk — any of a–e (`risks`, see at_risk_rules);
    6. on_track — otherwise.
    """
    if deployed_on is not None:
        return ComplianceStatus.DEPLOYED_ON_TIME if deployed_on <= deadline else ComplianceStatus.DEPLOYED_LATE
    if as_of > deadline:
        return ComplianceStatus.OVERDUE
    if not has_data:
        return ComplianceStatus.NO_DATA
    if risks:
        return ComplianceStatus.AT_RISK
    return ComplianceStatus.ON_TRACK


def paperless_status(*, paperless_on: datetime.date | None, paperless_from: datetime.date, as_of: datetime.date):
    """paperless status, from the paperless date on (before it: not_due):
    paperless_on_time — paper stopped on or before the paperless date;
    paperless_late — paperless, stopped after it; paper_in_use — not paperless.
    """
    if as_of < paperless_from:
        return PaperlessStatus.NOT_DUE
    if paperless_on is None:
        return PaperlessStatus.PAPER_IN_USE
    return PaperlessStatus.PAPERLESS_ON_TIME if paperless_on <= paperless_from else PaperlessStatus.PAPERLESS_LATE


def after_legal_deadline(deployed_on: datetime.date | None, legal_deadline: datetime.date | None) -> bool:
    """Deployed after the type's legal deadline (TT 13/2025 Đ4: hospitals 30/09/2025, others 31/12/2026).

    Only a deployment date can be after it: a facility not deployed is judged by its deployment
    status (overdue, at risk …), with the legal deadline shown beside the province's.
    """
    return bool(deployed_on and legal_deadline and deployed_on > legal_deadline)


# Reasons: what the facility lacks, in its own terms.


def _milestone_gap(kind: str, milestones: dict, counted: dict, missing: str, unverified: str) -> list[dict]:
    """A milestone that does not count: unverified when one was submitted (or verified after D), else missing."""
    if kind in counted:
        return []
    milestone = milestones.get(kind)
    if milestone is not None and milestone.status in (Status.SUBMITTED, Status.RETURNED, Status.APPROVED):
        return [reason(unverified, date=milestone.date)]
    return [reason(missing)]


def deployment_gaps(facts: Facts, counted: dict[str, MilestoneFact]) -> list[dict]:
    """What stands between the facility and "deployed": the decision, the self-assessment (dated on or
    before the decision, resting on an assessment with mandatory met) and the mandatory criteria."""
    gaps = _milestone_gap(
        MilestoneKind.DECISION, facts.milestones, counted, Reason.DECISION_MISSING, Reason.DECISION_UNVERIFIED
    )
    gaps += _milestone_gap(
        MilestoneKind.SELF_ASSESSED,
        facts.milestones,
        counted,
        Reason.SELF_ASSESSMENT_MISSING,
        Reason.SELF_ASSESSMENT_UNVERIFIED,
    )
    decision, assessed = counted.get(MilestoneKind.DECISION), counted.get(MilestoneKind.SELF_ASSESSED)
    if decision and assessed and assessed.date > decision.date:
        gaps.append(reason(Reason.SELF_ASSESSMENT_AFTER_DECISION, date=assessed.date, decision=decision.date))
    if facts.mandatory_met is None:
        gaps.append(reason(Reason.ASSESSMENT_MISSING))
    elif not facts.mandatory_met or (assessed and assessed.assessment_mandatory_met is not True):
        gaps.append(reason(Reason.MANDATORY_UNMET, criteria=list(facts.unmet)))
    return gaps


def progress_gaps(
    facts: Facts, as_of: datetime.date, latest: CountedReport | None, stage: int, projection, projected
) -> list[dict]:
    """How far the rollout is: departments live of total, the stage before hospital-wide, the months
    without an approved report, and a projection after the deadline or "never"."""
    if latest is None:
        return [reason(Reason.REPORT_MISSING)]
    gaps = []
    if latest.departments_total == 0 or latest.departments_live < latest.departments_total:
        gaps.append(reason(Reason.DEPARTMENTS, live=latest.departments_live, total=latest.departments_total))
    if stage < Stage.HOSPITAL_WIDE:
        gaps.append(reason(Reason.STAGE, stage=int(stage)))
    if missing := months_missing(facts.reports, as_of):
        gaps.append(reason(Reason.MONTHS_MISSING, months=[month_key(m) for m in missing]))
    if as_of > facts.deadline:  # overdue: a projection against a passed deadline says nothing more
        return gaps
    if projection == Projection.NEVER:
        gaps.append(reason(Reason.PROJECTION, kind="never"))
    elif projection == Projection.DATE and projected > facts.deadline:
        gaps.append(reason(Reason.PROJECTION, kind="date", date=projected))
    return gaps


def paperless_gaps(facts: Facts, deployed_on, counted: dict, latest: CountedReport | None) -> list[dict]:
    """What stands between the facility and "paperless": deployment, the paper-stopped milestone, and new
    records of the latest counted report still on paper."""
    gaps = [] if deployed_on else [reason(Reason.NOT_DEPLOYED)]
    gaps += _milestone_gap(
        MilestoneKind.PAPER_STOPPED,
        facts.milestones,
        counted,
        Reason.PAPER_STOP_MISSING,
        Reason.PAPER_STOP_UNVERIFIED,
    )
    if latest is None:
        gaps.append(reason(Reason.REPORT_MISSING))
        return gaps
    month = month_key(latest.period)
    if latest.inpatient_electronic < latest.inpatient_records:
        gaps.append(
            reason(
                Reason.RECORDS_ON_PAPER,
                kind="inpatient",
                month=month,
                electronic=latest.inpatient_electronic,
                total=latest.inpatient_records,
            )
        )
    if facts.treats_outpatients and latest.outpatient_electronic < latest.outpatient_visits:
        gaps.append(
            reason(
                Reason.RECORDS_ON_PAPER,
                kind="outpatient",
                month=month,
                electronic=latest.outpatient_electronic,
                total=latest.outpatient_visits,
            )
        )
    return gaps


def evaluate(facts: Facts, as_of: datetime.date) -> Result:
    """Apply every rule of SPEC section 6 to one facility's facts as of D."""
    latest = facts.reports[-1] if facts.reports else None
    counted = counted_milestones(facts.milestones, as_of)
    days_left = days_to_deadline(facts.deadline, as_of)
    deployed_on = deployment_date(counted)
    paperless_on = paperless_date(deployed_on, counted, latest, facts.treats_outpatients)
    stage = furthest_stage(latest, counted)
    if deployed_on:
        projection, projected = Projection.DEPLOYED, None
    else:
        projection, projected = projected_completion(facts.reports)
    risks = at_risk_rules(
        projection=projection,
        projected=projected,
        deadline=facts.deadline,
        stale=is_stale(latest.period if latest else None, as_of),
        mandatory=mandatory_met(facts.mandatory_met),
        stage=stage,
        decision_counted=MilestoneKind.DECISION in counted,
        days_left=days_left,
    )
    status = deployment_status(
        deployed_on=deployed_on,
        deadline=facts.deadline,
        as_of=as_of,
        has_data=latest is not None or facts.mandatory_met is not None or bool(counted),
        risks=risks,
    )
    late_legally = after_legal_deadline(deployed_on, facts.legal_deadline)
    if status == ComplianceStatus.DEPLOYED_ON_TIME:
        reasons = [reason(Reason.DEPLOYED, date=deployed_on)]
    elif status == ComplianceStatus.DEPLOYED_LATE:
        reasons = [reason(Reason.DEPLOYED_AFTER_DEADLINE, date=deployed_on, deadline=facts.deadline)]
    else:
        reasons = deployment_gaps(facts, counted) + progress_gaps(facts, as_of, latest, stage, projection, projected)
    if late_legally:
        reasons.append(reason(Reason.AFTER_LEGAL_DEADLINE, deadline=facts.legal_deadline))

    paper = paperless_status(paperless_on=paperless_on, paperless_from=facts.paperless_from, as_of=as_of)
    if paper == PaperlessStatus.PAPERLESS_LATE:
        paper_reasons = [reason(Reason.PAPERLESS_LATE, date=paperless_on, **{"from": facts.paperless_from})]
    elif paperless_on:
        paper_reasons = [reason(Reason.PAPERLESS, date=paperless_on)]
    else:
        paper_reasons = paperless_gaps(facts, deployed_on, counted, latest)
    if paper == PaperlessStatus.NOT_DUE:
        paper_reasons.insert(0, reason(Reason.NOT_DUE, **{"from": facts.paperless_from}))

    return Result(
        facility_id=facts.facility_id,
        as_of=as_of,
        status=str(status),
        reasons=reasons,
        deadline=facts.deadline,
        legal_deadline=facts.legal_deadline,
        days_to_deadline=days_left,
        progress=as_percentage(progress(latest)),
        deployed=deployed_on is not None,
        deployment_date=deployed_on,
        after_legal_deadline=late_legally,
        paperless_status=str(paper),
        paperless_reasons=paper_reasons,
        paperless_from=facts.paperless_from,
        paperless_date=paperless_on,
        projection=str(projection),
        projected_completion=projected,
        latest_period=latest.period if latest else None,
        latest_stage=int(stage) if (latest is not None or counted) else None,
    )
