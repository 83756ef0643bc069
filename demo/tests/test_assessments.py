"""The demo assessments follow each facility's scenario, show every state, and a rerun changes nothing."""

import time

import pytest

from assessments.models import Answer, Assessment, Status
from assessments.scoring import evaluate_assessment
from demo import assessments as assessments_demo
from demo import facilities as facilities_demo
from demo.facilities import scenarios

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The demo registry, then the assessments on it; returns how long the assessments took."""
    facilities_demo.build()
    started = time.monotonic()
    assessments_demo.build()
    return time.monotonic() - started


def test_demo_follows_the_scenarios_shows_every_state_and_writes_history(demo):
    """One build for several checks: the demo registry alone takes seconds to create."""
    plan = scenarios()
    latest = {}
    for a in Assessment.objects.approved().select_related("facility").order_by("reviewed_at"):
        latest[a.facility.code] = a
    for code, scenario in plan.items():
        if scenario in ("on_time", "late", "on_track"):
            assert latest[code].mandatory_met, code
        if scenario == "no_data":
            assert code not in latest, code
    overdue = [latest[c].mandatory_met for c, s in plan.items() if s == "overdue"]
    assert sum(not met for met in overdue) > len(overdue) / 2  # gaps for most
    assert any(overdue)  # met for a few
    at_risk = [latest[c].mandatory_met for c, s in plan.items() if s == "at_risk"]
    assert 0 < sum(not met for met in at_risk) < len(at_risk)
    assert all(a.reviewed_at.year == 2026 and a.reviewed_at.month <= 3 for a in latest.values())

    # Every state appears, including for the demo users' facilities.
    states = set(Assessment.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    in_progress = dict(Assessment.objects.in_progress().values_list("facility__code", "status"))
    assert in_progress["82001"] == Status.SUBMITTED
    assert in_progress["82101"] == Status.RETURNED
    assert in_progress["82221"] == Status.DRAFT
    assert in_progress["82401"] == Status.DRAFT
    assert Assessment.objects.get(facility__code="82101", status=Status.RETURNED).review_comment

    # Stored scores are the scoring's; the history has one dated row per state.
    for a in Assessment.objects.select_related("facility__type"):
        evaluation = evaluate_assessment(a)
        assert (a.score, a.mandatory_met) == (evaluation.score, evaluation.mandatory_met)
    approved = Assessment.objects.approved().first()
    reasons = list(approved.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["created", "submitted", "approved"]
    assert Answer.history.filter(assessment_id=approved.pk).count() == approved.answers.count() > 0


def test_seeding_twice_changes_nothing_and_is_fast(demo):
    """The assessments' part of a second `seed_demo` (the whole command's rerun costs the reports, milestones and
    compliance again, whose own tests rerun them)."""
    counts = (Assessment.objects.count(), Answer.objects.count(), Assessment.history.count(), Answer.history.count())
    facilities_demo.build()
    assessments_demo.build()
    assert counts == (
        Assessment.objects.count(),
        Answer.objects.count(),
        Assessment.history.count(),
        Answer.history.count(),
    )
    assert demo < 30
