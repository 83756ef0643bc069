"""Readiness score, mandatory criteria and gaps (SPEC section 3), as plain functions.

A criterion applies to a facility by its flags: hospitals or other facilities, and
only where the facility has a BHYT contract, rented software or health checks when the
criterion says so. Only applicable criteria count towards the score and the gaps.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Answer, AnswerType, Assessment, Criterion


def applies(criterion: Criterion, *, is_hospital: bool, bhyt: bool, rented: bool, health_checks: bool) -> bool:
    if not (criterion.applies_to_hospitals if is_hospital else criterion.applies_to_others):
        return False
    if criterion.requires_bhyt and not bhyt:
        return False
    if criterion.requires_rented_software and not rented:
        return False
    return not (criterion.requires_health_checks and not health_checks)


def why_not_applicable(
    criterion: Criterion, *, is_hospital: bool, bhyt: bool, rented: bool, health_checks: bool
) -> str:
    """The reason shown next to a criterion the facility does not answer; empty when it applies."""
    if is_hospital and not criterion.applies_to_hospitals:
        return _("Does not apply to hospitals.")
    if not is_hospital and not criterion.applies_to_others:
        return _("Applies to hospitals only.")
    if criterion.requires_bhyt and not bhyt:
        return _("Applies only to facilities with a BHYT contract.")
    if criterion.requires_rented_software and not rented:
        return _("Applies only where the software is rented or cloud-hosted.")
    if criterion.requires_health_checks and not health_checks:
        return _("Applies only to facilities performing health checks.")
    return ""


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
    met_ids: set[int] = field(default_factory=set)  # applicable criteria met

    @property
    def mandatory_gaps(self) -> list[Criterion]:
        return [c for c in self.gaps if c.is_mandatory]

    @property
    def recommended_gaps(self) -> list[Criterion]:
        return [c for c in self.gaps if not c.is_mandatory]


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
        met_ids=met,
    )


def catalogue_criteria(catalogue_id: int) -> list[Criterion]:
    """A catalogue version's criteria in form order, with their groups (one query)."""
    return list(
        Criterion.objects.filter(group__catalogue_id=catalogue_id)
        .select_related("group")
        .order_by("group__order", "order", "code")
    )


def evaluate_assessment(
    assessment: Assessment,
    today: datetime.date | None = None,
    *,
    criteria: list[Criterion] | None = None,
    answers: dict[int, Answer] | None = None,
) -> Evaluation:
    """Evaluate a stored assessment (3 queries: criteria, answers, facility type; fewer when given them)."""
    if criteria is None:
        criteria = catalogue_criteria(assessment.catalogue_id)
    if answers is None:
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
