"""Readiness score, mandatory criteria and gaps (SPEC section 3), as plain functions.

A criterion applies to a facility by its flags: hospitals or other facilities, and
only where the facility has a BHYT contract, rented software or health checks when the
criterion says so. Only applicable criteria count towards the score and the gaps.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from .models import Answer, AnswerType, Assessment, Criterion


def applies(criterion: Criterion, *, is_hospital: bool, bhyt: bool, rented: bool, health_checks: bool) -> bool:
    if not (criterion.applies_to_hospitals if is_hospital else criterion.applies_to_others):
        return False
    if criterion.requires_bhyt and not bhyt:
        return False
    if criterion.requires_rented_software and not rented:
        return False
    return not (criterion.requires_health_checks and not health_checks)


def is_met(criterion: Criterion, answer: Answer | None, today: datetime.date | None = None) -> bool:
    """Yes/no when yes; numbers and percentages at or above the threshold; dates when given and not future."""
    if answer is None:
        return False
    if criterion.answer_type == AnswerType.YES_NO:
        return answer.value_bool is True
    if criterion.answer_type in (AnswerType.NUMBER, AnswerType.PERCENT):
        if answer.value_number is None:
            return False
        return answer.value_number >= (criterion.threshold if criterion.threshold is not None else Decimal(1))
    if criterion.answer_type == AnswerType.DATE:
        return answer.value_date is not None and answer.value_date <= (today or timezone.localdate())
    return False


@dataclass
class Evaluation:
    score: Decimal  # 0..100, weighted share of applicable criteria met
    mandatory_met: bool
    gaps: list[Criterion] = field(default_factory=list)  # not met, mandatory first
    applicable: list[Criterion] = field(default_factory=list)


def evaluate(
    criteria: list[Criterion],
    answers: dict[int, Answer],
    *,
    is_hospital: bool,
    bhyt: bool,
    rented: bool,
    health_checks: bool,
    today: datetime.date | None = None,
) -> Evaluation:
    """Score a set of answers (keyed by criterion id) against the catalogue's criteria."""
    applicable = [
        c
        for c in criteria
        if applies(c, is_hospital=is_hospital, bhyt=bhyt, rented=rented, health_checks=health_checks)
    ]
    met = {c.id for c in applicable if is_met(c, answers.get(c.id), today)}
    total = sum(c.weight for c in applicable)
    earned = sum(c.weight for c in applicable if c.id in met)
    score = (Decimal(earned) * 100 / total).quantize(Decimal("0.01")) if total else Decimal(0)
    gaps = sorted((c for c in applicable if c.id not in met), key=lambda c: (not c.is_mandatory,))
    return Evaluation(
        score=score,
        mandatory_met=all(c.id in met for c in applicable if c.is_mandatory),
        gaps=gaps,
        applicable=applicable,
    )


def evaluate_assessment(assessment: Assessment, today: datetime.date | None = None) -> Evaluation:
    """Evaluate a stored assessment (3 queries: criteria, answers, facility type)."""
    criteria = list(
        Criterion.objects.filter(group__catalogue_id=assessment.catalogue_id)
        .select_related("group")
        .order_by("group__order", "order", "code")
    )
    answers = {a.criterion_id: a for a in assessment.answers.all()}
    facility = assessment.facility
    return evaluate(
        criteria,
        answers,
        is_hospital=facility.type.is_hospital,
        bhyt=facility.bhyt_contract,
        rented=assessment.uses_rented_software,
        health_checks=assessment.does_health_checks,
        today=today,
    )
