"""Score, mandatory criteria and gaps, checked by hand on a small catalogue."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from assessments import services
from assessments.models import AnswerType, Mandatory
from assessments.scoring import applies, evaluate_assessment, why_not_applicable
from facilities.tests.factories import facility_type

from .factories import AssessmentFactory, CatalogueFactory, CriterionFactory, CriterionGroupFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def small():
    """Eight criteria: six apply to a commune station without rented software (weights 3+3+2+1+3+1 = 13)."""
    group = CriterionGroupFactory(catalogue=CatalogueFactory(), code="A")
    make = lambda code, **kw: CriterionFactory(group=group, code=code, **kw)  # noqa: E731
    return {
        "M1": make("M1"),
        "M2": make("M2"),
        "P1": make("P1", mandatory=Mandatory.WHERE_APPLIES, weight=2, answer_type=AnswerType.PERCENT, threshold=100),
        "R1": make("R1", mandatory=Mandatory.RECOMMENDED, weight=1, answer_type=AnswerType.NUMBER, threshold=2),
        "D1": make("D1", answer_type=AnswerType.DATE),
        "H1": make("H1", applies_to_others=False),
        "S1": make("S1", mandatory=Mandatory.RECOMMENDED, weight=1, requires_rented_software=True),
        "N2": make("N2", mandatory=Mandatory.RECOMMENDED, weight=1),
    }


def _answers(small):
    return {
        small["M1"].id: {"value_bool": True},
        small["M2"].id: {"value_bool": False},
        small["P1"].id: {"value_number": Decimal("95")},
        small["R1"].id: {"value_number": Decimal("3")},
        small["D1"].id: {"value_date": datetime.date(2026, 3, 1)},
        small["H1"].id: {"value_bool": False},
    }


@time_machine.travel(TODAY)
def test_score_mandatory_and_gaps_on_a_hand_checked_example(facility, staff, small):
    assessment = AssessmentFactory.build(facility=facility, catalogue=small["M1"].group.catalogue)
    services.assessment_save_draft(assessment=assessment, answers=_answers(small), by=staff, expected_version=None)

    assessment.refresh_from_db()
    # Met: M1 (3) + R1 (1) + D1 (3) = 7 of 13 applicable -> 53.85.
    assert assessment.score == Decimal("53.85")
    assert assessment.mandatory_met is False
    evaluation = evaluate_assessment(assessment)
    assert [c.code for c in evaluation.gaps] == ["M2", "P1", "N2"]  # mandatory first
    assert [c.code for c in evaluation.mandatory_gaps] == ["M2", "P1"]
    assert {c.code for c in evaluation.applicable} == {"M1", "M2", "P1", "R1", "D1", "N2"}
    met = dict(assessment.answers.values_list("criterion__code", "met"))
    assert met == {"M1": True, "M2": False, "P1": False, "R1": True, "D1": True, "H1": False}


@time_machine.travel(TODAY)
def test_rented_software_brings_its_criteria_into_the_score(facility, staff, small):
    assessment = AssessmentFactory.build(
        facility=facility, catalogue=small["M1"].group.catalogue, uses_rented_software=True
    )
    services.assessment_save_draft(assessment=assessment, answers=_answers(small), by=staff, expected_version=None)
    assessment.refresh_from_db()
    assert assessment.score == Decimal("50.00")  # 7 of 14: S1 now applies and is not answered


@time_machine.travel(TODAY)
def test_meeting_every_mandatory_criterion(facility, staff, small):
    answers = _answers(small) | {
        small["M2"].id: {"value_bool": True},
        small["P1"].id: {"value_number": Decimal("100")},
    }
    assessment = AssessmentFactory.build(facility=facility, catalogue=small["M1"].group.catalogue)
    services.assessment_save_draft(assessment=assessment, answers=answers, by=staff, expected_version=None)
    assessment.refresh_from_db()
    assert assessment.mandatory_met is True
    assert assessment.score == Decimal("92.31")  # 12 of 13: only N2 is missing
    assert [c.code for c in evaluate_assessment(assessment).gaps] == ["N2"]


@time_machine.travel(TODAY)
def test_a_future_date_does_not_meet_a_date_criterion(facility, staff, small):
    answers = _answers(small) | {small["D1"].id: {"value_date": datetime.date(2026, 12, 1)}}
    assessment = AssessmentFactory.build(facility=facility, catalogue=small["M1"].group.catalogue)
    services.assessment_save_draft(assessment=assessment, answers=answers, by=staff, expected_version=None)
    assessment.refresh_from_db()
    assert assessment.score == Decimal("30.77")  # 4 of 13


def test_an_empty_assessment_scores_zero(facility, staff, small):
    assessment = AssessmentFactory.build(facility=facility, catalogue=small["M1"].group.catalogue)
    services.assessment_save_draft(assessment=assessment, answers={}, by=staff, expected_version=None)
    assessment.refresh_from_db()
    assert assessment.score == Decimal("0.00")
    assert assessment.mandatory_met is False
    assert assessment.answers.count() == 0


FLAGS = {"is_hospital": False, "bhyt": True, "rented": False, "health_checks": False}


@pytest.mark.parametrize(
    ("criterion", "flags", "applicable", "reason"),
    [
        ({}, {}, True, ""),
        ({"applies_to_others": False}, {}, False, "Chỉ áp dụng cho bệnh viện."),
        ({"applies_to_others": False}, {"is_hospital": True}, True, ""),
        ({"applies_to_hospitals": False}, {"is_hospital": True}, False, "Không áp dụng cho bệnh viện."),
        ({"requires_bhyt": True}, {"bhyt": False}, False, "Chỉ áp dụng cho cơ sở có hợp đồng BHYT."),
        ({"requires_bhyt": True}, {}, True, ""),
        ({"requires_rented_software": True}, {}, False, "Chỉ áp dụng khi thuê phần mềm hoặc dùng dịch vụ đám mây."),
        ({"requires_rented_software": True}, {"rented": True}, True, ""),
        ({"requires_health_checks": True}, {}, False, "Chỉ áp dụng cho cơ sở có khám sức khỏe."),
        ({"requires_health_checks": True}, {"health_checks": True}, True, ""),
    ],
)
def test_applicability_flags(criterion, flags, applicable, reason):
    c = CriterionFactory.build(**criterion)
    assert applies(c, **(FLAGS | flags)) is applicable
    assert why_not_applicable(c, **(FLAGS | flags)) == reason


def test_catalogue_v1_applicability_for_a_station_and_a_hospital(v1):
    from assessments.scoring import catalogue_criteria

    criteria = catalogue_criteria(v1.pk)
    station = {c.code for c in criteria if applies(c, **FLAGS)}
    hospital = {c.code for c in criteria if applies(c, **(FLAGS | {"is_hospital": True}))}
    assert "H1" not in station and "H1" in hospital
    assert not {"A10", "F4", "G5"} & station
    assert {"D2", "G1", "G2", "G6"} <= station  # the station has a BHYT contract
    assert facility_type("general_hospital").is_hospital
