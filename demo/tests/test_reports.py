"""The demo reports give every facility the data of its scenario (demo.facilities.scenarios()) and every state."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from assessments.models import Assessment, Catalogue
from compliance.engine import compute_compliance
from compliance.models import ComplianceSnapshot
from core.models import Status
from demo import facilities as facilities_demo
from demo import reports as demo
from facilities.models import Facility
from reports.forms import REPORT_FIELDS, validate_report
from reports.models import MonthlyReport, Stage
from reports.tests.utils import at

TODAY = datetime.date(2026, 11, 25)
DEADLINE = datetime.date(2026, 9, 30)
EXPECTED = {
    "on_time": "deployed_on_time",
    "late": "deployed_late",
    "overdue": "overdue",
    "on_track": "on_track",
    "at_risk": "at_risk",
    "no_data": "no_data",
}


@pytest.fixture
def province(db):
    with time_machine.travel(at(2026, 11, 25, 8), tick=False):
        facilities_demo.build()
        built = demo.build()
        yield built, facilities_demo.scenarios()


def by_scenario(scenarios, name):
    return [code for code, scenario in scenarios.items() if scenario == name]


def test_the_demo_builds_each_scenario_and_every_state(province):
    """One build (it takes seconds), then every promise of demo/reports.py's docstring."""
    built, scenarios = province
    assert built["reports"] > 1200
    reports = MonthlyReport.objects.select_related("facility")

    # A report's stage stops at hospital-wide; the decision and the paper stop are milestones (demo.milestones).
    assert max(reports.values_list("stage", flat=True)) == Stage.HOSPITAL_WIDE
    for code in by_scenario(scenarios, "on_time"):
        assert reports.filter(
            facility__code=code, status=Status.APPROVED, departments_live=F("departments_total"), period__lte=DEADLINE
        ).exists(), code
    for code in by_scenario(scenarios, "late"):
        october = reports.get(facility__code=code, period=datetime.date(2026, 10, 1))
        assert october.status == Status.APPROVED and october.departments_live == october.departments_total
    stalled = Counter(
        reports.filter(period__month=10, stage__in=[Stage.PILOT, Stage.HOSPITAL_WIDE]).values_list("stage", flat=True)
    )
    assert stalled[Stage.PILOT] and stalled[Stage.HOSPITAL_WIDE]
    for code in by_scenario(scenarios, "on_track"):
        approved = reports.filter(facility__code=code, status=Status.APPROVED)
        assert approved.filter(period__month__in=[9, 10]).count() == 2
        assert approved.get(period__month=10).stage >= Stage.HOSPITAL_WIDE
    for code in by_scenario(scenarios, "no_data"):
        assert not reports.filter(facility__code=code, status=Status.APPROVED).exists()

    # With an approved assessment meeting every mandatory criterion (the assessments demo's part),
    # the compliance engine finds exactly the planned status for every facility.
    catalogue, _ = Catalogue.objects.get_or_create(version=1, defaults={"title": "v1", "published_at": timezone.now()})
    for facility in Facility.objects.exclude(code__in=by_scenario(scenarios, "no_data")):
        Assessment.objects.create(
            facility=facility,
            catalogue=catalogue,
            status=Status.APPROVED,
            mandatory_met=True,
            reviewed_at=at(2026, 6, 1),
        )
    # Deployment needs the verified decision and self-assessment milestones (milestones.demo records them;
    # compliance/tests/test_demo.py checks the whole demo): here the facilities that get none.
    compute_compliance(TODAY)
    found = dict(ComplianceSnapshot.objects.filter(as_of=TODAY).values_list("facility__code", "status"))
    without_milestones = {code: s for code, s in scenarios.items() if s not in ("on_time", "late")}
    assert {code: EXPECTED[s] for code, s in without_milestones.items()} == {c: found[c] for c in without_milestones}
    reasons = Counter(
        reason["code"]
        for code, rs in ComplianceSnapshot.objects.filter(as_of=TODAY, status="at_risk").values_list(
            "facility__code", "reasons"
        )
        for reason in rs
    )
    assert reasons["projection"] and reasons["months_missing"]

    reports = MonthlyReport.objects.select_related("facility")
    states = Counter(reports.values_list("status", flat=True))
    assert states[Status.APPROVED] > states[Status.SUBMITTED] > 0
    assert states[Status.RETURNED] > 0 and states[Status.DRAFT] > 0
    awaiting = list(reports.filter(status=Status.SUBMITTED))
    assert any(r.is_late for r in awaiting) and any(not r.is_late for r in awaiting)
    station = reports.get(facility__code="82221", period=datetime.date(2026, 10, 1))
    assert station.status == Status.RETURNED and station.review_comment
    assert station.reviewed_by.username == "canbo"
    assert station.created_by.username == "tyt.tanhong"
    active = Facility.objects.count()
    assert 3 <= active - reports.filter(period=datetime.date(2026, 10, 1)).count() <= 20
    assert reports.filter(needs_escalation=True).exists()
    assert reports.exclude(difficulties="").count() > 50

    # History: who did what, when; the fixed ones carry the officer's return and the correction.
    rows = MonthlyReport.history.filter(id=station.pk).order_by("history_date")
    assert [r.history_change_reason for r in rows] == ["created", "submitted", "returned"]
    assert rows[0].history_date < rows[1].history_date < rows[2].history_date <= timezone.now()
    fixed = MonthlyReport.history.filter(history_change_reason="edited").values_list("id", flat=True)
    assert fixed
    assert MonthlyReport.objects.get(pk=fixed[0]).history.count() == 6

    # Realistic numbers by facility type.
    ranges = {"health_station": (2, 5), "regional_centre": (10, 20), "private_clinic": (1, 6)}
    for kind, (low, high) in ranges.items():
        totals = set(reports.filter(facility__type__code=kind).values_list("departments_total", flat=True))
        assert totals and min(totals) >= low and max(totals) <= high, kind
    hospitals = reports.filter(facility__type__code__in=["general_hospital", "specialty_hospital"])
    assert min(hospitals.values_list("departments_total", flat=True)) >= 20

    # Every demo report passes the form's rules, as if a nurse had typed it.
    for report in reports.order_by("facility__code", "period")[::7]:
        values = {name: getattr(report, name) for name in ["period", *REPORT_FIELDS]}
        form = validate_report(facility=report.facility, values=values, report=report, today=TODAY)
        assert form.is_valid(), (report.facility.code, report.period, form.errors)

    # Running it again changes nothing.
    history = MonthlyReport.history.count()
    assert demo.build()["reports"] == 0
    assert MonthlyReport.history.count() == history
