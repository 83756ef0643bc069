"""The demo milestones: every state, the deadline's edges, and each one passing the rules of SPEC section 4a."""

import datetime

import pytest
import time_machine

from core.models import Status
from demo import assessments as assessments_demo
from demo import facilities as facilities_demo
from demo import milestones as demo
from demo import reports as reports_demo
from milestones.forms import milestone_errors
from milestones.models import Milestone, MilestoneKind

D = datetime.date


@pytest.fixture
def province(db):
    with time_machine.travel(datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC), tick=False):
        facilities_demo.build()
        assessments_demo.build()
        reports_demo.build()
        built = demo.build()
        yield built


def test_the_demo_keeps_every_promise_of_its_docstring(province):
    """One build (it takes a while), then: every state, the deadline's edges, the demo users' cases, the
    rules of SPEC section 4a, the reports' dates, and a rerun that changes nothing."""
    milestones = Milestone.objects.select_related("facility", "assessment", "submitted_by")
    assert province["milestones"] == milestones.count() > 100
    assert {m.status for m in milestones} == set(Status.values)

    decisions = milestones.filter(kind=MilestoneKind.DECISION)
    signed_29 = decisions.get(date=D(2026, 9, 29))
    assert signed_29.facility.code == "82001" and signed_29.status == Status.APPROVED
    assert signed_29.effective_date == D(2026, 10, 1) and signed_29.reviewed_at.date() <= D(2026, 9, 30)
    (first_late,) = [
        c for c, (scenario, _v, index) in reports_demo.variants().items() if (scenario, index) == ("late", 0)
    ]
    late = {m.kind: m for m in milestones.filter(facility__code=first_late)}
    assert late[MilestoneKind.DECISION].date == late[MilestoneKind.PAPER_STOPPED].date == D(2026, 10, 1)
    assert all(m.status == Status.APPROVED for m in late.values()) and len(late) == 4
    assert decisions.filter(status=Status.SUBMITTED).exists()
    returned = decisions.get(status=Status.RETURNED)
    assert returned.review_comment

    typed = milestones.filter(head_confirmed=False).exclude(status=Status.DRAFT)
    assert {m.facility.code for m in typed} == {"82101", "82401"}
    assert all(m.attested_by_name == m.facility.head_name and m.submitted_by for m in typed)
    by_head = milestones.filter(facility__code="82001").exclude(status=Status.DRAFT)
    assert by_head and all(m.head_confirmed and m.submitted_by.username == "bvdk.giamdoc" for m in by_head)
    waiting = milestones.get(facility__code="82221")
    assert waiting.status == Status.DRAFT and waiting.created_by.username == "tyt.tanhong"
    assert waiting.created_at.date() == waiting.updated_at.date() == D(2026, 11, 22)

    for milestone in Milestone.objects.select_related("facility"):
        assert milestone_errors(milestone, today=D(2026, 11, 25)) == {}, (milestone.facility.code, milestone.kind)
    for milestone in Milestone.objects.filter(kind=MilestoneKind.SELF_ASSESSED):
        assert milestone.assessment.status == Status.APPROVED
        assert milestone.assessment.facility_id == milestone.facility_id

    facilities = {f.code: f for f in reports_demo.Facility.objects.select_related("type")}
    decided = {}
    for code, (scenario, variant, index) in reports_demo.variants().items():
        shape = reports_demo.draws(facilities[code], scenario, variant, index)[0]
        if shape.decision:
            decided[code] = shape.decision
    recorded = dict(
        Milestone.objects.filter(kind=MilestoneKind.DECISION, status=Status.APPROVED).values_list(
            "facility__code", "date"
        )
    )
    assert decided and decided == recorded

    before = Milestone.objects.count()
    with time_machine.travel(datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC), tick=False):
        assert demo.build()["milestones"] == 0
    assert Milestone.objects.count() == before
