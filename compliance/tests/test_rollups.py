"""The rollup (compliance.rollups) equals the counts read straight from the statuses, after every kind of write:
a full run, one facility's run after an approval, a report sent or returned, registry changes, a past day."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Sum

from assessments.services import assessment_approve
from assessments.tests.factories import AssessmentFactory
from compliance import rollups
from compliance.asof import day_end, is_current, latest_approved_assessments, reporting_periods
from compliance.engine import compute_compliance
from compliance.models import ComplianceRollup, ComplianceStatus, ReportingRollup
from compliance.selectors import with_compliance
from compliance.tasks import recompute_facility
from core.models import SENT_STATUSES, Status
from core.tests.dates import local_noon
from facilities import services
from facilities.models import Facility, Ownership
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type
from reports.models import MonthlyReport, due_date
from reports.services import report_return, report_submit
from reports.tests.factories import MonthlyReportFactory

from .factories import deployed

TODAY = datetime.date(2026, 11, 25)
OCTOBER, NOV_3, NOV_20 = datetime.date(2026, 10, 1), datetime.date(2026, 11, 3), datetime.date(2026, 11, 20)
KEY = ("type_id", "area_id", "ownership", "status", "paperless_status")


def direct(day: datetime.date) -> dict:
    """Active facilities per cell, straight from the statuses of `day` (the dashboard's direct query), with the
    budgets of their latest approved assessments; and the reports sent per reporting month and cell."""
    return {"statuses": direct_statuses(day), "reporting": direct_reporting(day)}


def rolled_up(day: datetime.date) -> dict:
    rows = ComplianceRollup.objects.filter(day=day)
    reporting = ReportingRollup.objects.filter(day=day)
    return {
        "statuses": {
            tuple(getattr(row, f) for f in KEY): [
                row.facilities,
                row.deployed,
                row.after_legal,
                row.progress,
                row.assessed,
                row.budget_needed,
                row.budget_secured,
            ]
            for row in rows
        },  # fmt: skip
        "reporting": {
            (row.period, row.type_id, row.area_id, row.ownership): [row.reported, row.on_time] for row in reporting
        },
    }


def direct_reporting(day: datetime.date) -> dict:
    """The reports sent by `day` for its six reporting months, and those first sent by the due day, per cell."""
    months = reporting_periods(day)
    cells = defaultdict(lambda: [0, 0])
    reports = MonthlyReport.objects.filter(facility__is_active=True, period__in=months).select_related("facility")
    for report in reports:
        sent_by_then = report.submitted_at and (is_current(day) or report.submitted_at < day_end(day))
        if report.status not in SENT_STATUSES or not sent_by_then:
            continue
        on_time = report.first_submission < day_end(due_date(report.period))
        f = report.facility
        for area in (f.area_id, None):
            cell = cells[(report.period, f.type_id, area, f.ownership)]
            cell[0] += 1
            cell[1] += on_time
    return dict(cells)


def direct_statuses(day: datetime.date) -> dict:
    budgets = {  # the rule of compliance.asof, tested there
        a.facility_id: a for a in latest_approved_assessments(day, Facility.objects.active())
    }
    cells = defaultdict(lambda: [0, 0, 0, Decimal(0), 0, 0, 0])
    facilities = with_compliance(Facility.objects.active(), day).values(
        "pk", "type_id", "area_id", "ownership", "status", "paperless_status", "deployed", "after_legal_deadline",
        "progress",
    )  # fmt: skip
    for f in facilities:
        assessment = budgets.get(f["pk"])
        values = [
            1, bool(f["deployed"]), bool(f["after_legal_deadline"]), f["progress"] or Decimal(0), bool(assessment),
            assessment and assessment.budget_needed or 0, assessment and assessment.budget_secured or 0,
        ]  # fmt: skip
        for area in (f["area_id"], None):  # the area's cell and the province's
            cell = cells[(f["type_id"], area, f["ownership"], f["status"] or "", f["paperless_status"] or "")]
            for i, value in enumerate(values):
                cell[i] += value
    return dict(cells)


@pytest.fixture
def province(db):
    """Facilities of two types, two areas and two ownerships; one deployed, the others with no data."""
    north, south = AreaFactory(), AreaFactory()
    hospital = facility_type("general_hospital")
    facilities = [
        FacilityFactory(area=north),
        FacilityFactory(area=north, ownership=Ownership.PRIVATE),
        FacilityFactory(area=south),
        FacilityFactory(area=south, type=hospital),
    ]
    deployed(facilities[0], datetime.date(2026, 9, 15))
    # Budgets: each facility's latest approved assessment counts (not an older one, nor a submitted one).
    AssessmentFactory(approved=True, facility=facilities[0], budget_needed=900, budget_secured=100)
    AssessmentFactory(approved=True, facility=facilities[3], budget_needed=5_000, budget_secured=2_000)
    AssessmentFactory(
        approved=True, facility=facilities[3], budget_needed=8_000, budget_secured=None,
        reviewed_at=local_noon(datetime.date(2026, 3, 1)),
    )  # fmt: skip
    AssessmentFactory(facility=facilities[2], status=Status.SUBMITTED, budget_needed=7_000)
    # Reports of the reporting months of 25/11/2026 (05..10): on time, late, returned, a draft; one too old.
    MonthlyReportFactory(submitted=True, facility=facilities[1], period=OCTOBER, submitted_at=local_noon(NOV_3))
    MonthlyReportFactory(approved=True, facility=facilities[2], period=OCTOBER, submitted_at=local_noon(NOV_20))
    MonthlyReportFactory(returned=True, facility=facilities[3], period=OCTOBER)
    MonthlyReportFactory(facility=facilities[0], period=OCTOBER)
    MonthlyReportFactory(counted=True, facility=facilities[1], period=datetime.date(2026, 9, 1))
    MonthlyReportFactory(counted=True, facility=facilities[1], period=datetime.date(2026, 4, 1))
    return facilities


def run(day, *, on=None):
    """The engine's run for `day`, on that day (or `on`, a later day: a backfill)."""
    with time_machine.travel(local_noon(on or day), tick=False):
        compute_compliance(day)


def test_a_full_run_leaves_the_rollup_equal_to_the_statuses(province):
    run(TODAY)
    with time_machine.travel(local_noon(TODAY), tick=False):
        assert rolled_up(TODAY) == direct(TODAY)
    statuses = ComplianceRollup.objects.filter(day=TODAY, area=None).values_list("status", flat=True)
    assert ComplianceStatus.DEPLOYED_ON_TIME in statuses and ComplianceStatus.OVERDUE in statuses


def test_one_facility_recomputed_after_an_approval_moves_between_cells(province):
    run(TODAY)
    late = province[2]
    deployed(late, datetime.date(2026, 11, 20))  # verified: approved items, recomputed by the approval's task
    with time_machine.travel(local_noon(TODAY), tick=False):
        recompute_facility(late.pk)
        assert rolled_up(TODAY) == direct(TODAY)
    province_late = ComplianceRollup.objects.get(day=TODAY, area=None, type=late.type, status="deployed_late")
    assert province_late.facilities == 1 and province_late.deployed == 1


def test_a_submission_and_a_return_move_the_report_in_the_reporting_rollup(province, head, officer):
    run(TODAY)
    draft = MonthlyReport.objects.get(facility=province[0], period=OCTOBER)

    def october():  # the province's October row of the facility's type and ownership: (reported, on time)
        row = ReportingRollup.objects.filter(
            day=TODAY, area=None, period=OCTOBER, type=draft.facility.type_id, ownership=draft.facility.ownership
        ).first()
        return (row.reported, row.on_time) if row else (0, 0)

    assert october() == (1, 0)  # another facility's, sent late on 20/11
    with time_machine.travel(local_noon(TODAY), tick=False):
        report_submit(report=draft, by=head, attested_by_name="Đặng Hữu Phúc")
        assert rolled_up(TODAY) == direct(TODAY) and october() == (2, 0)
        report_return(report=MonthlyReport.objects.get(pk=draft.pk), by=officer, comment="Sửa số khoa.")
        assert rolled_up(TODAY) == direct(TODAY) and october() == (1, 0)


def test_a_report_sent_only_recomputes_its_month_and_one_no_longer_reported_on_changes_nothing(province, head):
    september = datetime.date(2026, 9, 1)
    MonthlyReportFactory(submitted=True, facility=province[0], period=september, submitted_at=local_noon(NOV_3))
    too_old = MonthlyReportFactory(facility=province[3], period=datetime.date(2026, 3, 1))
    run(TODAY)
    october = MonthlyReport.objects.get(facility=province[0], period=OCTOBER)  # its cell keeps September's row
    with time_machine.travel(local_noon(TODAY), tick=False):
        before = rolled_up(TODAY)
        report_submit(report=too_old, by=head, attested_by_name="Đặng Hữu Phúc")  # March: no longer reported on
        assert rolled_up(TODAY) == before == direct(TODAY)
        report_submit(report=october, by=head, attested_by_name="Đặng Hữu Phúc")
        assert rolled_up(TODAY) == direct(TODAY) != before


def test_an_approved_assessment_brings_its_budget_once_recomputed(
    province, officer, django_capture_on_commit_callbacks
):
    run(TODAY)
    assessment = province[2].assessments.get()  # submitted
    with time_machine.travel(local_noon(TODAY), tick=False):
        with django_capture_on_commit_callbacks(execute=False):  # the approval's task: run below, as the worker would
            assessment_approve(assessment=assessment, by=officer)
        recompute_facility(province[2].pk)
        assert rolled_up(TODAY) == direct(TODAY)
    totals = ComplianceRollup.objects.filter(day=TODAY, area=None).aggregate(
        n=Sum("assessed"), needed=Sum("budget_needed"), secured=Sum("budget_secured")
    )
    assert totals == {"n": 3, "needed": 900 + 8_000 + 7_000, "secured": 100}  # 01/03's assessment, not 15/01's


def test_a_first_write_of_the_day_builds_the_day_whole(province):
    run(TODAY)
    tomorrow = TODAY + datetime.timedelta(days=1)
    with time_machine.travel(local_noon(tomorrow), tick=False):
        recompute_facility(province[1].pk)
        assert rolled_up(tomorrow) == direct(tomorrow)
    assert rolled_up(TODAY)  # the previous day's rows stay as history


@pytest.mark.parametrize(
    "change",
    [
        lambda f, by: services.facility_set_active(facility=f, active=False, by=by),
        lambda f, by: services.facility_update(facility=_with(f, type=facility_type("general_hospital")), by=by),
        lambda f, by: services.facility_update(facility=_with(f, area=AreaFactory()), by=by),
        lambda f, by: services.facility_update(facility=_with(f, ownership=Ownership.ARMY), by=by),
        lambda f, by: services.facility_create(facility=FacilityFactory.build(area=f.area), by=by),
    ],
    ids=["deactivated", "type", "area", "ownership", "created"],
)
def test_registry_writes_move_the_facility_in_the_rollup(province, change, officer):
    run(TODAY)
    with time_machine.travel(local_noon(TODAY), tick=False):
        change(province[0], officer)
        assert rolled_up(TODAY) == direct(TODAY)


def _with(facility, **values):
    for name, value in values.items():
        setattr(facility, name, value)
    return facility


def test_a_registry_import_refreshes_every_slice_it_touched_once(province, officer):
    run(TODAY)
    moved = [_with(Facility.objects.get(pk=f.pk), area=AreaFactory()) for f in province[:3]]
    with time_machine.travel(local_noon(TODAY), tick=False):
        services.registry_import(facilities=[*moved, FacilityFactory.build(area=AreaFactory())], by=officer)
        assert rolled_up(TODAY) == direct(TODAY)


def test_a_past_day_reads_its_snapshots_after_a_backfill_and_its_rows_once_rolled_up(province):
    past = datetime.date(2026, 10, 31)
    with time_machine.travel(local_noon(past), tick=False):
        run(past)  # that day's run: its rows are the statuses of that day
        assert rolled_up(past) == direct(past)
    run(TODAY)
    run(past, on=TODAY)  # a backfill: the day's statuses recomputed, its rows dropped
    assert not ComplianceRollup.objects.filter(day=past).exists() and rolled_up(TODAY)
    with time_machine.travel(local_noon(TODAY), tick=False):
        rollups.refresh(past)  # rollup_compliance --as-of: from that day's snapshots
        assert rolled_up(past) == direct(past)


def test_an_area_deleted_takes_its_rollup_rows_with_it(province):
    """The rows name their area without a database constraint (compliance.models.RollupCell): Django deletes them."""
    run(TODAY)
    north, south = province[0].area, province[2].area
    assert ComplianceRollup.objects.filter(area=north).exists() and ReportingRollup.objects.filter(area=north).exists()
    Facility.objects.filter(area=north).update(area=south)  # the commune merged into another
    gone = north.pk
    north.delete()
    assert not ComplianceRollup.objects.filter(area_id=gone).exists()
    assert not ReportingRollup.objects.filter(area_id=gone).exists()
    assert ComplianceRollup.objects.filter(area=south).exists()
