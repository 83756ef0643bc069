"""What the facility page shows: what the facility owes first, then its status, progress and history.

Built from a handful of queries whatever the number of months: the facility's reports and
assessments are read once each (a facility has at most a few dozen), the criteria and
answers of the assessments shown once each; compliance is the stored row, never recomputed.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, Criterion
from assessments.scoring import Evaluation, evaluate, facility_flags
from compliance.asof import REPORTING_MONTHS, approval_order, today
from compliance.models import FacilityCompliance
from core.models import SENT_STATUSES, Status
from facilities.models import Facility
from reports.models import MonthlyReport, due_date, month_start


@dataclass
class DueReport:
    """The report of one month, as the facility owes it: due date, days left (negative: late), its state."""

    period: datetime.date
    due: datetime.date
    report: MonthlyReport | None
    today: datetime.date

    @property
    def state(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def sent(self) -> bool:
        return self.state in SENT_STATUSES

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)

    @property
    def late(self) -> bool:
        if self.report and self.report.submitted_at and self.sent:
            return self.report.is_late
        return self.days_left < 0


@dataclass
class Step:
    """One thing to do next, most urgent first: `level` is a Bootstrap colour."""

    level: str
    title: str
    detail: str = ""
    url: str = ""
    action: str = ""


@dataclass
class AssessmentView:
    assessment: Assessment
    evaluation: Evaluation

    @property
    def mandatory_gaps(self) -> list[Criterion]:
        return [c for c in self.evaluation.gaps if c.is_mandatory]

    @property
    def other_gaps(self) -> list[Criterion]:
        return [c for c in self.evaluation.gaps if not c.is_mandatory]


@dataclass
class FacilityOverview:
    facility: Facility
    today: datetime.date
    can_write: bool  # a member: creates and edits the facility's submissions
    compliance: FacilityCompliance | None
    due: DueReport  # last month's report
    earlier_missing: list[DueReport]  # earlier months of the reporting window with nothing sent
    returned: list  # reports and assessments returned with a comment
    awaiting_review: list  # submitted, waiting for the DoH
    current_assessment: AssessmentView | None  # the newest assessment, whatever its state
    approved_assessment: AssessmentView | None  # the latest approved one (what compliance counts)
    reports: list[MonthlyReport]  # newest first
    assessments: list[Assessment]  # newest first
    difficulties: list[MonthlyReport]
    steps: list[Step] = field(default_factory=list)

    @property
    def days_to_deadline(self) -> int:
        return (self.facility.effective_deadline - self.today).days

    @property
    def days_past_deadline(self) -> int:
        return max(-self.days_to_deadline, 0)

    @property
    def history(self) -> list:
        """Reports and assessments together, the latest activity first."""
        items = [*self.reports, *self.assessments]
        return sorted(items, key=lambda item: item.updated_at, reverse=True)

    def progress_json(self) -> dict:
        return progress_chart(self.facility, self.reports)


def progress_chart(facility: Facility, reports: list[MonthlyReport]) -> dict:
    """The progress chart's data: per approved month, departments live and inpatient records electronic."""
    months = [
        {
            "period": report.period.isoformat(),
            "label": report.period.strftime("%m/%Y"),
            "departments": _ratio(report.departments_live, report.departments_total),
            "inpatient": _ratio(report.inpatient_electronic, report.inpatient_records),
            "departments_live": report.departments_live,
            "departments_total": report.departments_total,
            "inpatient_electronic": report.inpatient_electronic,
            "inpatient_records": report.inpatient_records,
        }
        for report in sorted(reports, key=lambda r: r.period)
        if report.status == Status.APPROVED
    ]
    return {
        "facility": facility.code,
        "months": months,
        "text": {"departments": _("Departments live"), "inpatient": _("Inpatient records electronic")},
    }


def facility_progress(facility: Facility) -> dict:
    """The progress chart's data alone (one query), for the JSON endpoint."""
    return progress_chart(facility, list(MonthlyReport.objects.filter(facility=facility).approved()))


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _evaluate(assessments: list[Assessment], facility: Facility, day: datetime.date) -> dict[int, Evaluation]:
    """Score the given assessments with assessments.scoring (3 queries: criteria, answers, shared platforms)."""
    if not assessments:
        return {}
    flags = facility_flags(facility, rented=False, health_checks=False)
    catalogue_ids = {a.catalogue_id for a in assessments}
    criteria = list(
        Criterion.objects.filter(group__catalogue_id__in=catalogue_ids)
        .select_related("group")
        .order_by("group__order", "order", "code")
    )
    answers: dict[int, dict[int, Answer]] = {a.pk: {} for a in assessments}
    for answer in Answer.objects.filter(assessment__in=assessments):
        answers[answer.assessment_id][answer.criterion_id] = answer
    return {
        a.pk: evaluate(
            [c for c in criteria if c.group.catalogue_id == a.catalogue_id],
            answers[a.pk],
            **flags | {"rented": a.uses_rented_software, "health_checks": a.does_health_checks},
            today=day,
        )
        for a in assessments
    }


def facility_overview(facility: Facility, *, can_write: bool, day: datetime.date | None = None) -> FacilityOverview:
    """Everything the facility page shows (facility fetched with type, area and compliance).

    `can_write`: the user writes the facility's submissions (facilities.access.may_write), so the
    next steps link to the forms rather than to the pages.
    """
    day = day or today()
    reports = list(MonthlyReport.objects.filter(facility=facility).order_by("-period"))
    assessments = list(Assessment.objects.filter(facility=facility).order_by("-created_at", "-pk"))
    for item in [*reports, *assessments]:
        item.facility = facility  # no query per item for get_absolute_url, labels or scoring

    by_period = {r.period: r for r in reports}
    last_month = month_start(day, 1)
    due = DueReport(period=last_month, due=due_date(last_month), report=by_period.get(last_month), today=day)
    earlier = []
    for back in range(REPORTING_MONTHS, 1, -1):
        period = month_start(day, back)
        if period < settings.PROGRAMME_START.replace(day=1):
            continue
        item = DueReport(period=period, due=due_date(period), report=by_period.get(period), today=day)
        if not item.sent:
            earlier.append(item)

    current = assessments[0] if assessments else None
    approved = next((a for a in sorted(assessments, key=approval_order) if a.status == Status.APPROVED), None)
    evaluations = _evaluate([a for a in {current, approved} if a], facility, day)
    overview = FacilityOverview(
        facility=facility,
        today=day,
        can_write=can_write,
        compliance=getattr(facility, "compliance", None),
        due=due,
        earlier_missing=earlier,
        returned=[i for i in [*reports, *assessments] if i.status == Status.RETURNED],
        awaiting_review=[i for i in [*reports, *assessments] if i.status == Status.SUBMITTED],
        current_assessment=AssessmentView(current, evaluations[current.pk]) if current else None,
        approved_assessment=AssessmentView(approved, evaluations[approved.pk]) if approved else None,
        reports=reports,
        assessments=assessments,
        difficulties=[r for r in reports if r.status != Status.DRAFT and (r.difficulties or r.support_requested)],
    )
    overview.steps = next_steps(overview)
    return overview


def _month(period: datetime.date) -> str:
    return period.strftime("%m/%Y")


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _when(item: DueReport) -> str:
    if item.days_left > 0:
        return _("due on %(date)s, %(days)s days left") % {"date": _date(item.due), "days": item.days_left}
    if item.days_left == 0:
        return _("due today, %(date)s") % {"date": _date(item.due)}
    return _("was due on %(date)s, %(days)s days late") % {"date": _date(item.due), "days": item.days_late}


def _label(item) -> str:
    if isinstance(item, MonthlyReport):
        return _("Monthly report %(month)s") % {"month": _month(item.period)}
    return _("Readiness assessment of %(date)s") % {"date": _date(timezone.localdate(item.created_at))}


def _create_url(code: str, period: datetime.date) -> str:
    """The new report form with the month preselected."""
    return f"{reverse('reports:create', args=[code])}?month={period:%Y-%m}"


def _edit_url(item) -> str:
    name = "reports:edit" if isinstance(item, MonthlyReport) else "assessments:edit"
    return reverse(name, args=[item.pk])


def next_steps(o: FacilityOverview) -> list[Step]:
    """What the facility should do next, most urgent first; the actions only for its members."""
    code = o.facility.code
    steps = []
    for item in o.returned:
        steps.append(
            Step(
                "danger",
                _("%(item)s was returned for changes") % {"item": _label(item)},
                _returned_detail(item, o.today),
                _edit_url(item) if o.can_write else item.get_absolute_url(),
                _("Fix and resubmit") if o.can_write else _("Open"),
            )
        )
    due = o.due
    month = _month(due.period)
    if due.state == "missing":
        steps.append(
            Step(
                "danger" if due.days_left < 0 else "warning",
                _("The monthly report for %(month)s has not been started") % {"month": month},
                _when(due),
                _create_url(code, due.period) if o.can_write else "",
                _("Create the report") if o.can_write else "",
            )
        )
    elif due.state == Status.DRAFT:
        steps.append(
            Step(
                "danger" if due.days_left < 0 else "warning",
                _("The monthly report for %(month)s is a draft, not yet submitted") % {"month": month},
                _when(due),
                _edit_url(due.report) if o.can_write else due.report.get_absolute_url(),
                _("Continue and submit") if o.can_write else _("Open"),
            )
        )
    elif due.state == Status.SUBMITTED:
        steps.append(
            Step(
                "info",
                _("The monthly report for %(month)s is waiting for the Department of Health's review")
                % {"month": month},
                _("submitted late") if due.late else _("submitted on time"),
                due.report.get_absolute_url(),
                _("Open"),
            )
        )
    elif due.state == Status.APPROVED:
        steps.append(
            Step(
                "success",
                _("The monthly report for %(month)s is approved") % {"month": month},
                _("submitted late") if due.late else _("submitted on time"),
                due.report.get_absolute_url(),
                _("Open"),
            )
        )
    pending = [item for item in o.earlier_missing if not (item.report and item.report.status == Status.RETURNED)]
    if pending:  # one step for every earlier month with nothing sent (returned ones are listed above)
        oldest = pending[0]
        steps.append(
            Step(
                "warning",
                _("No report sent for %(months)s") % {"months": ", ".join(_month(i.period) for i in pending)},
                _("the oldest %(when)s") % {"when": _when(oldest)},
                (_edit_url(oldest.report) if oldest.report else _create_url(code, oldest.period))
                if o.can_write
                else "",
                _("Catch up") if o.can_write else "",
            )
        )
    steps.extend(_assessment_steps(o))
    return steps


def _returned_detail(item, day: datetime.date) -> str:
    """The officer's comment, and for a monthly report when it was due: it is still owed until resubmitted."""
    if not isinstance(item, MonthlyReport):
        return item.review_comment
    when = _when(DueReport(period=item.period, due=due_date(item.period), report=item, today=day))
    return "\n".join(text for text in (item.review_comment, when) if text)


def _gaps_text(gaps: list[Criterion]) -> str:
    """Each unmet mandatory criterion with its code and its text, one a line: a code alone means nothing
    to a station's nurse."""
    if not gaps:
        return _("All mandatory criteria are met.")
    lines = [f"{criterion.code} – {criterion.label}" for criterion in gaps]
    return "\n".join([_("Mandatory criteria not met:"), *lines])


def _assessment_steps(o: FacilityOverview) -> list[Step]:
    current = o.current_assessment
    code = o.facility.code
    if current is None:
        return [
            Step(
                "warning",
                _("No readiness assessment yet"),
                _("The assessment shows what is missing before the EMR can replace paper records."),
                reverse("assessments:create", args=[code]) if o.can_write else "",
                _("Start the assessment") if o.can_write else "",
            )
        ]
    a = current.assessment
    gaps = current.mandatory_gaps
    gap_text = _gaps_text(gaps)
    if a.status == Status.DRAFT:
        return [
            Step(
                "warning",
                _("The readiness assessment is a draft, not yet submitted"),
                gap_text,
                _edit_url(a) if o.can_write else a.get_absolute_url(),
                _("Continue and submit") if o.can_write else _("Open"),
            )
        ]
    if a.status == Status.SUBMITTED:
        return [
            Step("info", _("The readiness assessment is waiting for review"), gap_text, a.get_absolute_url(), _("Open"))
        ]
    if a.status == Status.APPROVED and gaps:
        return [
            Step(
                "warning",
                _("The approved assessment still lacks mandatory criteria"),
                gap_text,
                reverse("assessments:create", args=[code]) if o.can_write else a.get_absolute_url(),
                _("Start a new assessment") if o.can_write else _("Open"),
            )
        ]
    return []  # returned assessments are listed with the returned items
