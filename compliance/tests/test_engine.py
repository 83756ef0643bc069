"""The engine on real rows, around every boundary of SPEC section 6, with time travel."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from assessments.models import Assessment, Catalogue
from assessments.tests.factories import AssessmentFactory
from compliance import engine
from compliance.engine import compute_compliance
from compliance.models import ComplianceSnapshot, FacilityCompliance
from compliance.tests.factories import deployed, verified_milestone
from core.models import Status
from core.tests.dates import local_noon, month
from facilities.models import Facility, FacilityType
from facilities.tests.factories import AreaFactory, FacilityFactory
from milestones.models import Milestone, MilestoneKind
from milestones.tests.factories import MilestoneFactory
from reports.models import MonthlyReport, Stage
from reports.tests.factories import MonthlyReportFactory

D = datetime.date
DEADLINE = D(2026, 9, 30)  # the province's, from settings
PAPERLESS_FROM = D(2026, 10, 1)


def codes(reasons) -> list[str]:
    return [reason["code"] for reason in reasons]


def rising(facility, *periods: str, start: int = 6, stage=Stage.HOSPITAL_WIDE):
    """One approved report per month, one more department live each month (of 10)."""
    for offset, period in enumerate(periods):
        MonthlyReportFactory(
            counted=True, facility=facility, period=month(period), departments_live=start + offset, stage=stage
        )


def paper_stopped(facility, day: D):
    return verified_milestone(facility, MilestoneKind.PAPER_STOPPED, day)


# 1–2. Deployed on time or late: the decision's date against the deadline.


def test_a_decision_on_the_deadline_is_deployed_on_time(facility, compute):
    deployed(facility, DEADLINE)
    result = compute(D(2026, 10, 15), facility)
    assert (result.status, result.reasons) == ("deployed_on_time", [{"code": "deployed", "date": "2026-09-30"}])
    assert result.deployed and result.deployment_date == DEADLINE
    assert result.projection == "deployed" and result.projected_completion is None


def test_a_decision_the_day_after_the_deadline_is_deployed_late(facility, compute):
    deployed(facility, D(2026, 10, 1))
    result = compute(D(2026, 11, 10), facility)
    assert result.status == "deployed_late" and result.deployment_date == D(2026, 10, 1)
    assert codes(result.reasons) == ["deployed_after_deadline"]


def test_a_decision_signed_on_29_09_counts_on_30_09(facility, compute):
    """Milestones count when verified, not when the month's report is approved."""
    rising(facility, "2026-06", "2026-07", "2026-08", start=8)
    deployed(facility, D(2026, 9, 29))
    assert compute(DEADLINE, facility).status == "deployed_on_time"


def test_a_decision_verified_after_d_does_not_count_on_d(facility, compute):
    decision = deployed(facility, D(2026, 9, 29))
    Milestone.objects.filter(pk=decision.pk).update(reviewed_at=local_noon(D(2026, 10, 2)))
    result = compute(D(2026, 10, 1), facility)
    assert result.status == "overdue"
    assert result.reasons[0] == {"code": "decision_unverified", "date": "2026-09-29"}
    assert compute(D(2026, 10, 2), facility).status == "deployed_on_time"


def test_a_verification_late_on_d_counts_on_d(facility, compute):
    decision = deployed(facility, D(2026, 9, 29))
    late = datetime.datetime.combine(DEADLINE, datetime.time(23, 59), tzinfo=local_noon(DEADLINE).tzinfo)
    Milestone.objects.filter(pk=decision.pk).update(reviewed_at=late)
    assert compute(DEADLINE, facility).status == "deployed_on_time"


def test_a_submitted_decision_is_not_deployed_and_is_named(facility, compute):
    deployed(facility, D(2026, 9, 20))
    Milestone.objects.filter(kind=MilestoneKind.DECISION).update(status=Status.SUBMITTED, reviewed_at=None)
    result = compute(DEADLINE, facility)
    assert not result.deployed and result.status == "at_risk"
    assert result.reasons[0] == {"code": "decision_unverified", "date": "2026-09-20"}


def test_a_self_assessment_on_an_assessment_without_the_mandatory_criteria_does_not_deploy(facility, compute):
    assessment = AssessmentFactory(approved=True, facility=facility, mandatory_met=False, mandatory_gaps=["B3", "E1"])
    deployed(facility, D(2026, 9, 20), assessment=assessment)
    result = compute(D(2026, 10, 5), facility)
    assert result.status == "overdue"
    assert {"code": "mandatory_unmet", "criteria": ["B3", "E1"]} in result.reasons


def test_an_overdue_facility_at_100_percent_names_its_missing_decision(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-07", "2026-08", "2026-09", start=8)
    result = compute(D(2026, 10, 15), facility)
    assert (result.status, result.progress) == ("overdue", Decimal("1.0000"))
    assert codes(result.reasons) == ["decision_missing", "self_assessment_missing"]


def test_a_hospital_deployed_after_its_legal_deadline_is_flagged(compute):
    hospital = FacilityFactory(type=FacilityType.objects.get(code="general_hospital"))
    deployed(hospital, D(2026, 9, 15))
    result = compute(D(2026, 10, 5), hospital)
    assert result.legal_deadline == D(2025, 9, 30)
    assert result.status == "deployed_on_time" and result.after_legal_deadline
    assert {"code": "after_legal_deadline", "deadline": "2025-09-30"} in result.reasons


# Paper replaced from the paperless date.


def test_deployed_in_time_and_paper_stopped_on_01_10_are_both_on_time(facility, compute):
    """The dispatch exactly as ordered."""
    deployed(facility, D(2026, 9, 25))
    # On 01/10 the latest counted report is August's (September's is approved in October).
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-08"), inpatient_records=80, inpatient_electronic=80
    )
    paper_stopped(facility, PAPERLESS_FROM)
    result = compute(D(2026, 10, 1), facility)
    assert result.paperless_reasons == [{"code": "paperless", "date": "2026-10-01"}]
    assert (result.status, result.paperless_status) == ("deployed_on_time", "paperless_on_time")
    assert (result.paperless_from, result.paperless_date) == (PAPERLESS_FROM, PAPERLESS_FROM)


def test_paper_stopped_after_the_paperless_date_is_late(facility, compute):
    deployed(facility, D(2026, 9, 25))
    MonthlyReportFactory(counted=True, facility=facility, period=month("2026-08"))
    paper_stopped(facility, D(2026, 10, 2))
    assert compute(D(2026, 10, 2), facility).paperless_status == "paperless_late"


def test_before_the_paperless_date_paper_is_not_due(facility, compute):
    deployed(facility, D(2026, 9, 25))
    result = compute(DEADLINE, facility)
    assert result.paperless_status == "not_due"
    assert result.paperless_reasons[0] == {"code": "not_due", "from": "2026-10-01"}


def test_paper_in_use_names_the_records_still_on_paper(facility, compute):
    deployed(facility, D(2026, 9, 25))
    paper_stopped(facility, PAPERLESS_FROM)
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-10"), inpatient_records=50, inpatient_electronic=40
    )
    result = compute(D(2026, 11, 10), facility)
    assert result.paperless_status == "paper_in_use"
    assert result.paperless_reasons == [
        {"code": "records_on_paper", "kind": "inpatient", "month": "2026-10", "electronic": 40, "total": 50}
    ]


def test_a_paperless_type_date_moves_the_paperless_date(compute):
    FacilityType.objects.filter(code="private_clinic").update(paperless_from=D(2027, 1, 1))
    clinic = FacilityFactory(type=FacilityType.objects.get(code="private_clinic"))
    result = compute(D(2026, 11, 10), clinic)
    assert (result.paperless_from, result.paperless_status) == (D(2027, 1, 1), "not_due")


# 3. Overdue: D = deadline is not yet overdue, D = deadline + 1 is.


def test_on_the_deadline_day_an_incomplete_facility_is_not_yet_overdue(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-06", "2026-07", "2026-08", start=7)
    result = compute(DEADLINE, facility)
    assert result.days_to_deadline == 0
    assert result.status == "at_risk"


def test_the_day_after_the_deadline_an_incomplete_facility_is_overdue(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-06", "2026-07", "2026-08", start=7)
    result = compute(DEADLINE + datetime.timedelta(days=1), facility)
    assert (result.status, result.days_to_deadline) == ("overdue", -1)
    assert codes(result.reasons) == ["decision_missing", "self_assessment_missing", "departments", "months_missing"]


# 4. No data.


def test_no_counted_report_and_no_approved_assessment_is_no_data(facility, compute):
    AssessmentFactory(approved=True, facility=facility, status=Status.SUBMITTED, reviewed_at=None)
    MonthlyReportFactory(counted=True, facility=facility, period=month("2026-05"), status=Status.SUBMITTED)
    result = compute(D(2026, 6, 15), facility)
    assert result.status == "no_data"
    assert codes(result.reasons) == [
        "decision_missing",
        "self_assessment_missing",
        "assessment_missing",
        "report_missing",
    ]
    assert result.progress == 0 and result.projection == "unknown" and result.latest_period is None


def test_no_data_after_the_deadline_is_overdue(facility, compute):
    assert compute(D(2026, 10, 1), facility).status == "overdue"


def test_an_approved_assessment_alone_is_data(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    result = compute(D(2026, 6, 15), facility)
    assert result.status == "at_risk" and "report_missing" in codes(result.reasons)


# What counts as of D.


def test_a_report_for_a_month_not_yet_ended_does_not_count(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-04", "2026-05")
    MonthlyReportFactory(counted=True, facility=facility, period=month("2026-06"), departments_live=9, reviewed_at=None)
    result = compute(D(2026, 6, 30), facility)  # June ends today: not before D
    assert result.latest_period == month("2026-05")
    assert result.progress == Decimal("0.7")
    assert compute(D(2026, 7, 1), facility).latest_period == month("2026-06")


def test_a_submitted_report_does_not_count_until_approved(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-04")
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-05"), departments_live=9, status=Status.SUBMITTED
    )
    result = compute(D(2026, 6, 10), facility)
    assert result.latest_period == month("2026-04") and result.projection == "unknown"


def test_a_report_approved_after_d_did_not_count_on_d(facility, compute):
    """Backfilled snapshots see only what was approved by the end of that day."""
    AssessmentFactory(approved=True, facility=facility)
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-04"), reviewed_at=local_noon(D(2026, 5, 20))
    )
    compute(D(2026, 5, 19))
    compute(D(2026, 5, 20))
    snapshots = dict(ComplianceSnapshot.objects.values_list("as_of", "latest_period"))
    assert snapshots == {D(2026, 5, 19): None, D(2026, 5, 20): month("2026-04")}


# 5a. Projection against the deadline.


def test_a_projection_before_the_deadline_is_on_track(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-03", "2026-04", "2026-05")  # 60, 70, 80 %: 100 % around 30/07
    result = compute(D(2026, 6, 10), facility)
    assert result.status == "on_track"
    assert codes(result.reasons) == ["decision_missing", "self_assessment_missing", "departments"]
    assert result.projection == "date" and result.projected_completion < DEADLINE
    assert str(result.progress) == "0.8000"


def test_a_projection_after_the_deadline_is_at_risk(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-04"), departments_live=2, departments_total=20
    )
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-05"), departments_live=3, departments_total=20
    )
    result = compute(D(2026, 6, 10), facility)
    assert result.status == "at_risk"
    assert result.reasons[-1] == {"code": "projection", "kind": "date", "date": "2027-11-09"}
    # 30/04: 10 %, 31/05: 15 %: 5 points in 31 days, 85 points to go take 527 days: 31/05/2026 + 527 = 09/11/2027.
    assert result.projected_completion == D(2027, 11, 9)


def test_a_flat_line_is_at_risk(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-04", start=5)
    rising(facility, "2026-05", start=5)
    result = compute(D(2026, 6, 10), facility)
    assert (result.status, result.projection) == ("at_risk", "never")
    assert result.reasons[-1] == {"code": "projection", "kind": "never"}


def test_a_falling_line_is_at_risk(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-04", start=6)
    rising(facility, "2026-05", start=4)
    assert compute(D(2026, 6, 10), facility).reasons[-1] == {"code": "projection", "kind": "never"}


def test_the_projection_uses_the_last_six_counted_reports(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    MonthlyReportFactory(counted=True, facility=facility, period=month("2025-12"), departments_live=9)
    for period, live in [("2026-01", 1), ("2026-02", 2), ("2026-03", 4), ("2026-04", 5), ("2026-05", 6)]:
        MonthlyReportFactory(counted=True, facility=facility, period=month(period), departments_live=live)
    MonthlyReportFactory(counted=True, facility=facility, period=month("2026-06"), departments_live=8)
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-07"), departments_live=10, status=Status.SUBMITTED
    )
    result = compute(D(2026, 7, 20), facility)
    assert result.projected_completion == D(2026, 8, 18)  # hand-computed in test_rules.py
    assert result.status == "on_track"


# 5b. Stale.


def test_no_approved_report_for_the_last_two_complete_months_is_stale(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-01", "2026-02", "2026-03")
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-05"), status=Status.SUBMITTED, departments_live=9
    )
    result = compute(D(2026, 6, 10), facility)
    assert result.status == "at_risk"
    assert {"code": "months_missing", "months": ["2026-04", "2026-05"]} in result.reasons
    rising(facility, "2026-04", start=9)
    assert compute(D(2026, 6, 10), facility).status == "on_track"


# 5c. Mandatory criteria with fewer than 90 days left: 01/07/2026 is 91 days before 30/09, 03/07 is 89.


@pytest.mark.parametrize(("as_of", "days", "status"), [(D(2026, 7, 1), 91, "on_track"), (D(2026, 7, 3), 89, "at_risk")])
def test_mandatory_criteria_unmet_matter_with_fewer_than_90_days_left(facility, compute, as_of, days, status):
    AssessmentFactory(approved=True, facility=facility, mandatory_met=False)
    rising(facility, "2026-04", "2026-05", "2026-06")
    result = compute(as_of, facility)
    assert (result.days_to_deadline, result.status) == (days, status)
    if status == "at_risk":
        assert {"code": "mandatory_unmet", "criteria": []} in result.reasons


def test_no_approved_assessment_counts_as_mandatory_unmet(facility, compute):
    rising(facility, "2026-04", "2026-05", "2026-06")
    result = compute(D(2026, 7, 3), facility)
    assert result.status == "at_risk" and {"code": "assessment_missing"} in result.reasons


# 5d. Stage before facility-wide with fewer than 60 days left: 31/07/2026 is 61 days before 30/09, 02/08 is 59.


@pytest.mark.parametrize(
    ("as_of", "days", "status"), [(D(2026, 7, 31), 61, "on_track"), (D(2026, 8, 2), 59, "at_risk")]
)
def test_an_early_stage_matters_with_fewer_than_60_days_left(facility, compute, as_of, days, status):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-04", "2026-05", "2026-06", "2026-07", stage=Stage.PILOT)
    result = compute(as_of, facility)
    assert (result.days_to_deadline, result.status) == (days, status)
    if status == "at_risk":
        assert {"code": "stage", "stage": Stage.PILOT} in result.reasons and result.latest_stage == Stage.PILOT


def test_every_reason_that_holds_is_stored(facility, compute):
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-05"), departments_live=3, stage=Stage.PLANNED
    )
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-06"), departments_live=1, stage=Stage.PLANNED
    )
    result = compute(D(2026, 9, 1), facility)
    assert codes(result.reasons) == [
        "decision_missing",
        "self_assessment_missing",
        "assessment_missing",
        "departments",
        "stage",
        "months_missing",
        "projection",
    ]


# Deadlines: the facility's extension, else its type's, else the province's.


def test_a_facility_extension_moves_its_deadline(compute):
    facility = FacilityFactory(deadline=D(2027, 3, 31))
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-09", "2026-10")
    result = compute(D(2026, 11, 25), facility)
    assert (result.deadline, result.days_to_deadline, result.status) == (D(2027, 3, 31), 126, "on_track")


def test_a_type_deadline_applies_unless_the_facility_has_an_extension(compute):
    FacilityType.objects.filter(code="private_clinic").update(deadline=D(2026, 12, 31))
    clinic = FacilityFactory(type=FacilityType.objects.get(code="private_clinic"))
    extended = FacilityFactory(type=FacilityType.objects.get(code="private_clinic"), deadline=D(2027, 6, 30))
    station = FacilityFactory()
    compute(D(2026, 11, 25))
    deadlines = dict(FacilityCompliance.objects.values_list("facility", "deadline"))
    assert deadlines == {clinic.pk: D(2026, 12, 31), extended.pk: D(2027, 6, 30), station.pk: DEADLINE}
    statuses = dict(FacilityCompliance.objects.values_list("facility", "status"))
    assert statuses == {clinic.pk: "no_data", extended.pk: "no_data", station.pk: "overdue"}


# Storage.


def test_rerunning_the_same_day_replaces_the_snapshot(facility, other_facility, compute):
    compute(D(2026, 6, 10))
    AssessmentFactory(approved=True, facility=facility)
    compute(D(2026, 6, 10))
    assert ComplianceSnapshot.objects.count() == 2
    assert ComplianceSnapshot.objects.get(facility=facility).status == "at_risk"
    compute(D(2026, 6, 11))
    assert ComplianceSnapshot.objects.count() == 4
    assert FacilityCompliance.objects.count() == 2
    assert FacilityCompliance.objects.get(facility=facility).as_of == D(2026, 6, 11)


def test_a_backfill_writes_snapshots_but_keeps_todays_current_compliance(facility, compute):
    compute(D(2026, 6, 10))
    with time_machine.travel(local_noon(D(2026, 6, 10)), tick=False):
        compute_compliance(D(2026, 5, 1))
    assert FacilityCompliance.objects.get(facility=facility).as_of == D(2026, 6, 10)
    assert set(ComplianceSnapshot.objects.values_list("as_of", flat=True)) == {D(2026, 5, 1), D(2026, 6, 10)}


def test_one_facility_recompute_touches_only_that_facility(facility, other_facility, compute):
    compute(D(2026, 6, 10))
    AssessmentFactory(approved=True, facility=facility)
    AssessmentFactory(approved=True, facility=other_facility)
    assert compute(D(2026, 6, 10), facility_ids=[facility.pk]) == {
        "deployed_on_time": 0,
        "deployed_late": 0,
        "overdue": 0,
        "no_data": 0,
        "at_risk": 1,
        "on_track": 0,
        "paperless_on_time": 0,
        "paperless_late": 0,
        "paper_in_use": 0,
        "not_due": 1,
    }
    statuses = dict(FacilityCompliance.objects.values_list("facility", "status"))
    assert statuses == {facility.pk: "at_risk", other_facility.pk: "no_data"}


def test_inactive_facilities_are_skipped_and_lose_their_current_row(facility, other_facility, compute):
    compute(D(2026, 6, 10))
    other_facility.is_active = False
    other_facility.save()
    counts = compute(D(2026, 6, 10))
    assert counts["no_data"] == 1 and counts["not_due"] == 1
    assert list(FacilityCompliance.objects.values_list("facility", flat=True)) == [facility.pk]
    assert list(ComplianceSnapshot.objects.values_list("facility", flat=True)) == [facility.pk]
    compute(D(2026, 6, 11), facility_ids=[other_facility.pk])  # a late approval for it changes nothing
    assert not FacilityCompliance.objects.filter(facility=other_facility).exists()


def make_province(count: int):
    """`count` facilities deployed on time and paperless, each with an assessment, four reports and the
    four milestones (built in bulk)."""
    area, catalogue = AreaFactory(), Catalogue.objects.get(version=1)
    facilities = Facility.objects.bulk_create(FacilityFactory.build(area=area) for _ in range(count))
    assessments = Assessment.objects.bulk_create(
        AssessmentFactory.build(approved=True, facility=f, catalogue=catalogue) for f in facilities
    )
    reports, milestones = [], []
    for facility, assessment in zip(facilities, assessments, strict=True):
        for live, period in enumerate(["2026-06", "2026-07", "2026-08", "2026-09"], start=7):
            reports.append(
                MonthlyReportFactory.build(counted=True, facility=facility, period=month(period), departments_live=live)
            )
        for kind, day in [
            (MilestoneKind.SELF_ASSESSED, D(2026, 9, 1)),
            (MilestoneKind.DECISION, D(2026, 9, 10)),
            (MilestoneKind.ANNOUNCED, D(2026, 9, 15)),
            (MilestoneKind.PAPER_STOPPED, D(2026, 10, 1)),
        ]:
            assessed = assessment if kind == MilestoneKind.SELF_ASSESSED else None
            milestones.append(
                MilestoneFactory.build(
                    verified=True,
                    facility=facility,
                    kind=kind,
                    date=day,
                    assessment=assessed,
                    submitted_at=local_noon(day),
                    reviewed_at=local_noon(day),
                )
            )
    MonthlyReport.objects.bulk_create(reports)
    Milestone.objects.bulk_create(milestones)


def test_a_run_in_several_batches_stores_every_facility(compute, monkeypatch):
    make_province(7)
    monkeypatch.setattr(engine, "BATCH_SIZE", 3)  # written 3, 3, then 1, each while the next is evaluated
    counts = compute(D(2026, 10, 5))
    assert counts["deployed_on_time"] == 7
    assert ComplianceSnapshot.objects.filter(as_of=D(2026, 10, 5), status="deployed_on_time").count() == 7
    assert FacilityCompliance.objects.filter(status="deployed_on_time").count() == 7


def test_a_run_that_fails_midway_leaves_the_previous_results(compute, monkeypatch):
    make_province(7)
    compute(D(2026, 10, 5))
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    evaluate, evaluated = engine.rules.evaluate, []

    def failing(facts, as_of):
        evaluated.append(facts)
        if len(evaluated) == 6:  # after two batches were written
            raise RuntimeError("rule failed")
        return evaluate(facts, as_of)

    monkeypatch.setattr(engine.rules, "evaluate", failing)
    with pytest.raises(RuntimeError):
        compute(D(2026, 10, 6))
    assert not ComplianceSnapshot.objects.filter(as_of=D(2026, 10, 6)).exists()
    assert set(FacilityCompliance.objects.values_list("as_of", flat=True)) == {D(2026, 10, 5)}


@pytest.mark.parametrize("count", [10, 200])
def test_the_query_count_does_not_grow_with_the_facilities(count, compute, django_assert_num_queries):
    make_province(count)
    # savepoint, 3 reads, two deletes, the snapshots' and the current rows' upserts (one batch), the rollups' lock,
    # for each rollup a delete and 2 inserts, release
    with django_assert_num_queries(16):
        counts = compute(D(2026, 10, 5))
    assert counts["deployed_on_time"] == counts["paperless_on_time"] == count
