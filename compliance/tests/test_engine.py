"""The engine on real rows, around every boundary of SPEC section 6, with time travel."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from assessments.models import Assessment, Catalogue
from assessments.tests.factories import AssessmentFactory
from compliance.engine import compute_compliance
from compliance.models import ComplianceSnapshot, FacilityCompliance
from core.models import Status
from core.tests.dates import local_noon, month
from facilities.models import Facility, FacilityType
from facilities.tests.factories import AreaFactory, FacilityFactory
from reports.models import MonthlyReport, Stage
from reports.tests.factories import MonthlyReportFactory

D = datetime.date
DEADLINE = D(2026, 9, 30)  # the province's, from settings


def paperless(facility, period: str, *, decided: D, stopped: D, **kwargs):
    values = {"stage": Stage.PAPERLESS, "departments_live": 10, "departments_total": 10} | kwargs
    return MonthlyReportFactory(
        counted=True,
        facility=facility,
        period=month(period),
        decision_date=decided,
        paper_stopped_date=stopped,
        **values,
    )


def rising(facility, *periods: str, start: int = 6, stage=Stage.HOSPITAL_WIDE):
    """One approved report per month, one more department live each month (of 10)."""
    for offset, period in enumerate(periods):
        MonthlyReportFactory(
            counted=True, facility=facility, period=month(period), departments_live=start + offset, stage=stage
        )


# 1–2. Completed on time or late.


def test_completion_on_the_deadline_is_on_time(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    paperless(facility, "2026-09", decided=D(2026, 9, 15), stopped=DEADLINE)
    result = compute(D(2026, 10, 15), facility)
    assert (result.status, result.reasons) == ("completed_on_time", ["completed_on_time"])
    assert result.complete and result.completion_date == DEADLINE


def test_completion_one_day_after_the_deadline_is_late(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    paperless(facility, "2026-10", decided=D(2026, 10, 1), stopped=D(2026, 9, 20))
    result = compute(D(2026, 11, 10), facility)
    assert (result.status, result.reasons) == ("completed_late", ["completed_late"])
    assert result.completion_date == D(2026, 10, 1)  # the later of the decision and the paper stop


def test_completion_date_comes_from_the_earliest_completing_report(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    paperless(facility, "2026-08", decided=D(2026, 8, 10), stopped=D(2026, 8, 20))
    paperless(facility, "2026-09", decided=D(2026, 8, 10), stopped=D(2026, 8, 1))  # reported later, earlier dates
    assert compute(D(2026, 11, 10), facility).completion_date == D(2026, 8, 20)


def test_paperless_is_not_complete_without_the_mandatory_criteria(facility, compute):
    AssessmentFactory(approved=True, facility=facility, mandatory_met=False)
    paperless(facility, "2026-08", decided=D(2026, 8, 10), stopped=D(2026, 8, 20))
    result = compute(D(2026, 9, 10), facility)
    assert not result.complete
    assert result.status == "at_risk" and "mandatory_unmet" in result.reasons


def test_the_latest_approved_assessment_decides_the_mandatory_criteria(facility, compute):
    AssessmentFactory(approved=True, facility=facility, mandatory_met=True, reviewed_at=local_noon(D(2026, 3, 1)))
    AssessmentFactory(approved=True, facility=facility, mandatory_met=False, reviewed_at=local_noon(D(2026, 8, 1)))
    AssessmentFactory(approved=True, facility=facility, mandatory_met=True, status=Status.SUBMITTED, reviewed_at=None)
    paperless(facility, "2026-08", decided=D(2026, 8, 10), stopped=D(2026, 8, 20))
    assert not compute(D(2026, 9, 10), facility).complete


def test_paperless_with_a_department_not_live_is_not_complete(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    paperless(facility, "2026-08", decided=D(2026, 8, 10), stopped=D(2026, 8, 20), departments_live=9)
    assert not compute(D(2026, 9, 10), facility).complete


def test_paperless_dates_after_d_do_not_complete_yet(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    paperless(facility, "2026-08", decided=D(2026, 8, 10), stopped=D(2026, 9, 5))
    assert not compute(D(2026, 9, 4), facility).complete
    assert compute(D(2026, 9, 5), facility).completion_date == D(2026, 9, 5)


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
    assert (result.status, result.reasons, result.days_to_deadline) == ("overdue", ["overdue"], -1)


# 4. No data.


def test_no_counted_report_and_no_approved_assessment_is_no_data(facility, compute):
    AssessmentFactory(approved=True, facility=facility, status=Status.SUBMITTED, reviewed_at=None)
    MonthlyReportFactory(counted=True, facility=facility, period=month("2026-05"), status=Status.SUBMITTED)
    result = compute(D(2026, 6, 15), facility)
    assert (result.status, result.reasons) == ("no_data", ["no_data"])
    assert result.progress == 0 and result.projection == "unknown" and result.latest_period is None


def test_no_data_after_the_deadline_is_overdue(facility, compute):
    assert compute(D(2026, 10, 1), facility).status == "overdue"


def test_an_approved_assessment_alone_is_data(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    result = compute(D(2026, 6, 15), facility)
    assert (result.status, result.reasons) == ("at_risk", ["stale"])


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
    assert (result.status, result.reasons) == ("on_track", ["on_track"])
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
    assert (result.status, result.reasons) == ("at_risk", ["projected_late"])
    # 30/04: 10 %, 31/05: 15 %: 5 points in 31 days, 85 points to go take 527 days: 31/05/2026 + 527 = 09/11/2027.
    assert result.projected_completion == D(2027, 11, 9)


def test_a_flat_line_is_at_risk(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-04", start=5)
    rising(facility, "2026-05", start=5)
    result = compute(D(2026, 6, 10), facility)
    assert (result.status, result.reasons, result.projection) == ("at_risk", ["projected_never"], "never")


def test_a_falling_line_is_at_risk(facility, compute):
    AssessmentFactory(approved=True, facility=facility)
    rising(facility, "2026-04", start=6)
    rising(facility, "2026-05", start=4)
    assert compute(D(2026, 6, 10), facility).reasons == ["projected_never"]


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
    assert (result.status, result.reasons) == ("at_risk", ["stale"])
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
        assert result.reasons == ["mandatory_unmet"]


def test_no_approved_assessment_counts_as_mandatory_unmet(facility, compute):
    rising(facility, "2026-04", "2026-05", "2026-06")
    assert compute(D(2026, 7, 3), facility).reasons == ["mandatory_unmet"]


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
        assert result.reasons == ["early_stage"] and result.latest_stage == Stage.PILOT


def test_every_reason_that_holds_is_stored(facility, compute):
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-05"), departments_live=3, stage=Stage.PLANNED
    )
    MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-06"), departments_live=1, stage=Stage.PLANNED
    )
    result = compute(D(2026, 9, 1), facility)
    assert result.reasons == ["projected_never", "stale", "mandatory_unmet", "early_stage"]


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
        "completed_on_time": 0,
        "completed_late": 0,
        "overdue": 0,
        "no_data": 0,
        "at_risk": 1,
        "on_track": 0,
    }
    statuses = dict(FacilityCompliance.objects.values_list("facility", "status"))
    assert statuses == {facility.pk: "at_risk", other_facility.pk: "no_data"}


def test_inactive_facilities_are_skipped_and_lose_their_current_row(facility, other_facility, compute):
    compute(D(2026, 6, 10))
    other_facility.is_active = False
    other_facility.save()
    counts = compute(D(2026, 6, 10))
    assert sum(counts.values()) == 1
    assert list(FacilityCompliance.objects.values_list("facility", flat=True)) == [facility.pk]
    assert list(ComplianceSnapshot.objects.values_list("facility", flat=True)) == [facility.pk]
    compute(D(2026, 6, 11), facility_ids=[other_facility.pk])  # a late approval for it changes nothing
    assert not FacilityCompliance.objects.filter(facility=other_facility).exists()


def make_province(count: int):
    """`count` facilities that completed on time, each with an assessment and five reports (built in bulk)."""
    area, catalogue = AreaFactory(), Catalogue.objects.get(version=1)
    facilities = Facility.objects.bulk_create(FacilityFactory.build(area=area) for _ in range(count))
    Assessment.objects.bulk_create(
        AssessmentFactory.build(approved=True, facility=f, catalogue=catalogue) for f in facilities
    )
    reports = []
    for facility in facilities:
        for live, period in enumerate(["2026-03", "2026-04", "2026-05"], start=6):
            reports.append(
                MonthlyReportFactory.build(counted=True, facility=facility, period=month(period), departments_live=live)
            )
        reports.append(
            MonthlyReportFactory.build(
                counted=True,
                facility=facility,
                period=month("2026-06"),
                stage=Stage.PAPERLESS,
                departments_live=10,
                decision_date=D(2026, 6, 1),
                paper_stopped_date=D(2026, 6, 20),
            )
        )
    MonthlyReport.objects.bulk_create(reports)


@pytest.mark.parametrize("count", [10, 200])
def test_the_query_count_does_not_grow_with_the_facilities(count, compute, django_assert_num_queries):
    make_province(count)
    with django_assert_num_queries(8):  # 2 reads, savepoint, 2 deletes, 2 upserts, release
        counts = compute(D(2026, 8, 1))
    assert counts["completed_on_time"] == count
