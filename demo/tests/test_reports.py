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
from compliance.rules import DECISION_DAYS
from core.models import Status
from demo import facilities as facilities_demo
from demo import reports as demo
from facilities.models import Facility
from reports.forms import REPORT_FIELDS, validate_report
from reports.models import MonthlyReport, Stage
from reports.tests.utils import at

PLANNED_FOR = datetime.date(2026, 11, 25)  # October the last month due
SEEDED_LATER = datetime.date(2026, 12, 7)  # November due on 05/12/2026: the demo has it too
DEADLINE = datetime.date(2026, 9, 30)
EXPECTED = {
    "on_time": "deployed_on_time",
    "late": "deployed_late",
    "overdue": "overdue",
    "on_track": "on_track",
    "at_risk": "at_risk",
    "no_data": "no_data",
}


@pytest.fixture(params=[PLANNED_FOR, SEEDED_LATER], ids=str)
def province(db, request):
    today = request.param
    with time_machine.travel(at(today.year, today.month, today.day, 8), tick=False):
        facilities_demo.build()
        built = demo.build()
        yield built, facilities_demo.scenarios(), today


def by_scenario(scenarios, name):
    return [code for code, scenario in scenarios.items() if scenario == name]


def test_the_demo_builds_each_scenario_and_every_state(province):
    """One build (it takes seconds), then every promise of demo/reports.py's docstring."""
    built, scenarios, today = province
    assert built["reports"] > 1200
    *_, before, last = demo.months()
    assert last == datetime.date(2026, today.month - 1, 1)
    reports = MonthlyReport.objects.select_related("facility")
    assert MonthlyReport.objects.latest("period").period == last
    assert max(MonthlyReport.history.values_list("history_date", flat=True)) < at(today.year, today.month, today.day, 0)

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
        assert approved.filter(period__in=[before, last]).count() == 2
        assert approved.get(period=last).stage >= Stage.HOSPITAL_WIDE
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
    # Deployment needs the verified decision and self-assessment milestones (demo.milestones records them;
    # demo/tests/test_compliance.py checks the whole demo): here the facilities that get none. Without a
    # decision, a facility on track is at risk once fewer than 30 days are left (rule e).
    compute_compliance(today)
    found = dict(ComplianceSnapshot.objects.filter(as_of=today).values_list("facility__code", "status"))
    without_milestones = {code: s for code, s in scenarios.items() if s not in ("on_time", "late")}
    near = {
        f.code
        for f in Facility.objects.filter(code__in=by_scenario(scenarios, "on_track"))
        if (f.effective_deadline - today).days < DECISION_DAYS
    }
    expected = {code: "at_risk" if code in near else EXPECTED[s] for code, s in without_milestones.items()}
    assert expected == {c: found[c] for c in without_milestones}
    assert bool(near) == (today == SEEDED_LATER)
    reasons = Counter(
        reason["code"]
        for code, rs in ComplianceSnapshot.objects.filter(as_of=today, status="at_risk").values_list(
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
    station = reports.get(facility__code="82221", period=last)
    assert station.status == Status.RETURNED and station.review_comment
    assert station.reviewed_by.username == "canbo"
    assert station.created_by.username == "tyt.tanhong"
    active = Facility.objects.count()
    assert 3 <= active - reports.filter(period=last).count() <= 20
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
        form = validate_report(facility=report.facility, values=values, report=report, today=today)
        assert form.is_valid(), (report.facility.code, report.period, form.errors)

    # Running it again changes nothing.
    history = MonthlyReport.history.count()
    assert demo.build()["reports"] == 0
    assert MonthlyReport.history.count() == history
