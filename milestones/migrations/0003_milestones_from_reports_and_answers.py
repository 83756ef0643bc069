"""Each fact once (SPEC section 4a): the milestones that monthly reports and assessment answers held so far.

For each facility and each kind that has no milestone yet:

- decision (number, date), announcement (date) and paper stop (date) come from the monthly
  reports: the latest approved report that gives them, else the latest report of any state that
  does. The milestone takes that report's state: verified when the report was approved (with its
  reviewer and review time, which the compliance engine reads as the verification time),
  submitted when it was submitted, else a draft (a returned report's data is unconfirmed).
- where no report gave them, the decision and the announcement come from the answers to A7 and
  A8 (dates) of the facility's latest assessment that answered them, with that assessment's state
  in the same way; A7's note, if any, is kept as the decision number.
- self-assessed: from the first report whose stage was "self-assessed" or later (approved ones
  first), dated at the end of that report's month, or on the decision's date when that is earlier
  (self-assessed <= decision), and never after today; it rests on the facility's latest approved
  assessment (none: the milestone stays a draft without one, for the facility to complete).

A decision's effective date, unknown so far, is its signing date; its signer is the head's name in
the registry; decisions and paper stops cover the treatment the facility offers, all departments.
`head_confirmed` is true where the submitting account was a head of the facility.
"""

import datetime

from django.db import migrations
from django.utils import timezone

SELF_ASSESSED = 4
APPROVED, SUBMITTED, DRAFT = "approved", "submitted", "draft"
REASON = "migrated"


def _preferred(items, key):
    """Approved items first, then the others; within each group by `key`."""
    return sorted(items, key=lambda item: (item.status != APPROVED, key(item)))


def _month_end(period: datetime.date) -> datetime.date:
    following = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def forwards(apps, schema_editor):
    Facility = apps.get_model("facilities", "Facility")
    Membership = apps.get_model("facilities", "Membership")
    MonthlyReport = apps.get_model("reports", "MonthlyReport")
    Assessment = apps.get_model("assessments", "Assessment")
    Answer = apps.get_model("assessments", "Answer")
    Milestone = apps.get_model("milestones", "Milestone")
    HistoricalMilestone = apps.get_model("milestones", "HistoricalMilestone")

    today = timezone.localdate()
    heads = set(Membership.objects.filter(role="head").values_list("facility_id", "user_id"))
    existing = set(Milestone.objects.values_list("facility_id", "kind"))
    reports_by_facility = {}
    for report in MonthlyReport.objects.order_by("facility_id", "-period"):
        reports_by_facility.setdefault(report.facility_id, []).append(report)
    answers_by_facility = {}
    answers = Answer.objects.filter(criterion__code__in=["A7", "A8"], value_date__isnull=False).select_related(
        "criterion", "assessment"
    )
    for answer in answers.order_by("-assessment__created_at", "-assessment_id"):
        answers_by_facility.setdefault(answer.assessment.facility_id, []).append(answer)
    approved_assessments = {}
    for assessment in Assessment.objects.filter(status=APPROVED).order_by("facility_id", "reviewed_at", "pk"):
        approved_assessments[assessment.facility_id] = assessment  # the last one wins: the latest approved

    created = []

    def workflow_of(source) -> dict:
        """The milestone's state and its people, taken from the report or assessment it comes from."""
        values = {"created_by_id": source.created_by_id}
        if source.status in (APPROVED, SUBMITTED):
            values |= {
                "status": source.status,
                "submitted_at": source.submitted_at,
                "submitted_by_id": source.submitted_by_id,
                "attested_by_name": source.attested_by_name,
                "head_confirmed": (source.facility_id, source.submitted_by_id) in heads,
            }
        if source.status == APPROVED:
            values |= {"reviewed_at": source.reviewed_at, "reviewed_by_id": source.reviewed_by_id}
        return values

    def from_reports(reports, field):
        found = [r for r in reports if getattr(r, field)]
        return _preferred(found, key=lambda r: -r.period.toordinal())[0] if found else None

    def from_answers(facility_id, code):
        found = [a for a in answers_by_facility.get(facility_id, []) if a.criterion.code == code]
        return found[0] if found else None

    def add(facility_id, kind, date, source, **values):
        if (facility_id, kind) in existing or date is None:
            return None
        milestone = Milestone(facility_id=facility_id, kind=kind, date=date, version=1, **values)
        for name, value in workflow_of(source).items():
            setattr(milestone, name, value)
        created.append(milestone)
        existing.add((facility_id, kind))
        return milestone

    for facility in Facility.objects.all():
        reports = reports_by_facility.get(facility.pk, [])
        scope = {
            "scope_inpatient": facility.has_inpatient,
            "scope_day_care": facility.has_daycare,
            "scope_outpatient": facility.has_outpatient,
        }
        if not any(scope.values()):
            scope = {}  # the model's default: every kind of treatment

        decision = None
        report = from_reports(reports, "decision_date")
        if report:
            decision = add(
                facility.pk,
                "decision",
                report.decision_date,
                report,
                number=report.decision_number,
                effective_date=report.decision_date,
                signer=facility.head_name,
                **scope,
            )
        else:
            answer = from_answers(facility.pk, "A7")
            if answer:
                decision = add(
                    facility.pk,
                    "decision",
                    answer.value_date,
                    answer.assessment,
                    number=answer.note[:100],
                    effective_date=answer.value_date,
                    signer=facility.head_name,
                    **scope,
                )
        decision_date = decision.date if decision else None
        if decision is None:
            decision_date = (
                Milestone.objects.filter(facility_id=facility.pk, kind="decision")
                .values_list("date", flat=True)
                .first()
            )

        report = from_reports(reports, "announced_date")
        if report:
            add(facility.pk, "announced", report.announced_date, report)
        else:
            answer = from_answers(facility.pk, "A8")
            if answer:
                add(facility.pk, "announced", answer.value_date, answer.assessment)

        report = from_reports(reports, "paper_stopped_date")
        if report:
            add(facility.pk, "paper_stopped", report.paper_stopped_date, report, **scope)

        staged = [r for r in reports if r.stage >= SELF_ASSESSED]
        if staged:
            report = _preferred(staged, key=lambda r: r.period.toordinal())[0]
            date = min(d for d in (_month_end(report.period), decision_date, today) if d)
            assessment = approved_assessments.get(facility.pk)
            milestone = add(
                facility.pk, "self_assessed", date, report, assessment_id=assessment.pk if assessment else None
            )
            if milestone and assessment is None:
                # Nothing approved to rest on: a draft the facility completes once an assessment is approved.
                for name in ("submitted_at", "submitted_by_id", "reviewed_at", "reviewed_by_id"):
                    setattr(milestone, name, None)
                milestone.status, milestone.attested_by_name, milestone.head_confirmed = DRAFT, "", False

    Milestone.objects.bulk_create(created, batch_size=1000)
    now = timezone.now()
    history_fields = [f.attname for f in Milestone._meta.concrete_fields]
    HistoricalMilestone.objects.bulk_create(
        [
            HistoricalMilestone(
                **{name: getattr(milestone, name) for name in history_fields},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for milestone in Milestone.objects.filter(pk__in=[m.pk for m in created])
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0002_evidence_name_and_type"),
        ("reports", "0004_first_submitted_at"),
        ("assessments", "0004_assessment_updated_index"),
        ("facilities", "0004_facility_active_id_idx"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
