"""Readiness score, mandatory criteria and gaps (SPEC section 3), as plain functions.

A criterion applies to a facility by its flags: hospitals or other facilities (a hospitals-only
criterion may also name facility types it applies to, e.g. H1 for regional medical centres), and
only where the facility has a BHYT contract, rented software or health checks when the criterion
says so. Within those, the facility leaves out a criterion that allows it by answering "not
applicable" with a reason (C11 without a laboratory, C12 without imaging, …).

Of the applicable criteria:
- a criterion whose legal date is still ahead (`legal_from`, e.g. D4, G6) shows that date and is no
  gap: it counts neither in the score nor in the mandatory criteria before that day;
- a criterion that a shared platform of the facility meets (SharedPlatform) is met "qua nền tảng
  dùng chung", whatever the facility answered;
- the readiness score is the weighted share of the remaining criteria met (0–100);
- "mandatory met" means every remaining criterion that decides compliance (`decides_compliance`:
  the legal definition of "EMR deployed") is met; the other B / B? criteria are scored and listed
  as gaps but decide nothing;
- the gaps are the remaining criteria not met, those that decide compliance first.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Answer, AnswerStatus, AnswerType, Assessment, Criterion, SharedPlatform


def applies(
    criterion: Criterion,
    *,
    is_hospital: bool,
    bhyt: bool,
    rented: bool,
    health_checks: bool,
    type_code: str = "",
    **_ignored,
) -> bool:
    if is_hospital:
        if not criterion.applies_to_hospitals:
            return False
    elif not criterion.applies_to_others and type_code not in (criterion.also_applies_to_types or []):
        return False
    if criterion.requires_bhyt and not bhyt:
        return False
    if criterion.requires_rented_software and not rented:
        return False
    return not (criterion.requires_health_checks and not health_checks)


def why_not_applicable(
    criterion: Criterion,
    *,
    is_hospital: bool,
    bhyt: bool,
    rented: bool,
    health_checks: bool,
    type_code: str = "",
    **_ignored,
) -> str:
    """The reason shown next to a criterion the facility does not answer; empty when it applies."""
    if is_hospital and not criterion.applies_to_hospitals:
        return _("Does not apply to hospitals.")
    if not is_hospital and not criterion.applies_to_others and type_code not in (criterion.also_applies_to_types or []):
        if criterion.also_applies_to_types:
            return _("Applies to hospitals and regional medical centres only.")
        return _("Applies to hospitals only.")
    if criterion.requires_bhyt and not bhyt:
        return _("Applies only to facilities with a BHYT contract.")
    if criterion.requires_rented_software and not rented:
        return _("Applies only where the software is rented or cloud-hosted.")
    if criterion.requires_health_checks and not health_checks:
        return _("Applies only to facilities performing health checks.")
    return ""


def answered_not_applicable(criterion: Criterion, answer: Answer | None) -> bool:
    """Rule: "not applicable" counts only where the criterion allows it and the answer gives a reason."""
    return (
        answer is not None
        and answer.status == AnswerStatus.NOT_APPLICABLE
        and criterion.not_applicable_allowed
        and bool(answer.note.strip())
    )


def is_met(criterion: Criterion, answer: Answer | None, today: datetime.date | None = None) -> bool:
    """Yes/no when met (an earlier "yes"); numbers and percentages at or above the threshold; dates when given
    and not future. A "not applicable" answer is never met (it leaves the criterion out where allowed)."""
    if answer is None or answer.status == AnswerStatus.NOT_APPLICABLE:
        return False
    if criterion.answer_type == AnswerType.YES_NO:
        if answer.status:
            return answer.status == AnswerStatus.MET
        return answer.value_bool is True
    if criterion.answer_type in (AnswerType.NUMBER, AnswerType.PERCENT):
        if answer.value_number is None:
            return False
        return answer.value_number >= (criterion.threshold if criterion.threshold is not None else Decimal(1))
    if criterion.answer_type == AnswerType.DATE:
        return answer.value_date is not None and answer.value_date <= (today or timezone.localdate())
    return False


def answer_status(criterion: Criterion, answer: Answer | None, today: datetime.date | None = None) -> str:
    """The answer as met / partly met / not met / not applicable ("" when nothing is answered).

    Yes/no criteria carry the facility's own choice; a number or percentage above zero but under the
    threshold is partly met; a date is met once given.
    """
    if answer is None:
        return ""
    if answer.status == AnswerStatus.NOT_APPLICABLE:
        return AnswerStatus.NOT_APPLICABLE
    if is_met(criterion, answer, today):
        return AnswerStatus.MET
    if criterion.answer_type == AnswerType.YES_NO:
        if answer.status:
            return answer.status
        return AnswerStatus.NOT_MET if answer.value_bool is False else ""
    if criterion.is_measured:
        if answer.value_number is None:
            return ""
        return AnswerStatus.PARTLY if answer.value_number > 0 else AnswerStatus.NOT_MET
    return AnswerStatus.NOT_MET if answer.value_date else ""


@dataclass
class Evaluation:
    score: Decimal  # 0..100, weighted share of applicable criteria met
    mandatory_met: bool
    gaps: list[Criterion] = field(default_factory=list)  # not met, those deciding compliance first
    applicable: list[Criterion] = field(default_factory=list)  # counted: applicable, not N/A, not upcoming
    met_ids: set[int] = field(default_factory=set)  # applicable criteria met
    platform_ids: set[int] = field(default_factory=set)  # met through a shared platform
    not_applicable_ids: set[int] = field(default_factory=set)  # answered N/A with a reason, where allowed
    upcoming: list[Criterion] = field(default_factory=list)  # applicable, legal date still ahead
    today: datetime.date | None = None
    platform_names: dict[str, str] = field(default_factory=dict)  # criterion code -> the platform meeting it

    @property
    def mandatory_gaps(self) -> list[Criterion]:
        return [c for c in self.gaps if c.is_mandatory]

    @property
    def mandatory_gap_codes(self) -> list[str]:
        """What Assessment.mandatory_gaps stores, in catalogue order."""
        return [c.code for c in self.mandatory_gaps]

    @property
    def recommended_gaps(self) -> list[Criterion]:
        return [c for c in self.gaps if not c.is_mandatory]

    @property
    def mandatory_count(self) -> int:
        return sum(1 for c in self.applicable if c.is_mandatory)


def evaluate(
    criteria: list[Criterion],
    answers: dict[int, Answer],
    *,
    is_hospital: bool,
    bhyt: bool,
    rented: bool,
    health_checks: bool,
    type_code: str = "",
    platform_codes: dict[str, str] | frozenset[str] | set[str] = frozenset(),
    today: datetime.date | None = None,
) -> Evaluation:
    """Score a set of answers (keyed by criterion id) against the catalogue's criteria, as of `today`."""
    today = today or timezone.localdate()
    flags = {
        "is_hospital": is_hospital,
        "bhyt": bhyt,
        "rented": rented,
        "health_checks": health_checks,
        "type_code": type_code,
    }
    applicable, upcoming, not_applicable = [], [], set()
    for c in criteria:
        if not applies(c, **flags):
            continue
        if answered_not_applicable(c, answers.get(c.id)):
            not_applicable.add(c.id)
        elif c.is_upcoming(today):
            upcoming.append(c)
        else:
            applicable.append(c)
    platform = {c.id for c in applicable if c.code in platform_codes}
    met = platform | {c.id for c in applicable if is_met(c, answers.get(c.id), today)}
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
        platform_ids=platform,
        not_applicable_ids=not_applicable,
        upcoming=upcoming,
        today=today,
        platform_names=dict(platform_codes) if isinstance(platform_codes, dict) else {},
    )


def platform_codes(facility_id: int | None) -> dict[str, str]:
    """Criterion code -> name of the active shared platform of `facility_id` that meets it (one query)."""
    if facility_id is None:
        return {}
    rows = (
        SharedPlatform.objects.active()
        .filter(members=facility_id)
        .order_by("name")
        .values_list("name", "criteria_codes")
    )
    return {code: name for name, codes in rows for code in (codes or [])}


@dataclass
class CriterionState:
    """How one criterion stands for the facility, as the pages show it."""

    kind: str  # excluded, na, upcoming, platform, met, partly, not_met
    detail: str = ""  # the reason, the N/A reason, the legal date or the platform's name

    @property
    def counted(self) -> bool:
        return self.kind not in ("excluded", "na", "upcoming")


def criterion_state(criterion: Criterion, evaluation: Evaluation, answer: Answer | None, flags: dict) -> CriterionState:
    """One criterion's state in `evaluation` (the same rules as evaluate())."""
    reason = why_not_applicable(criterion, **flags)
    if reason:
        return CriterionState("excluded", reason)
    if criterion.id in evaluation.not_applicable_ids:
        return CriterionState("na", answer.note if answer else "")
    if criterion in evaluation.upcoming:
        return CriterionState("upcoming", date_format(criterion.legal_from, "d/m/Y"))
    if criterion.id in evaluation.platform_ids:
        return CriterionState("platform", evaluation.platform_names.get(criterion.code, ""))
    if criterion.id in evaluation.met_ids:
        return CriterionState("met")
    status = answer_status(criterion, answer, evaluation.today)
    return CriterionState("partly" if status == AnswerStatus.PARTLY else "not_met")


def facility_flags(facility, *, rented: bool, health_checks: bool) -> dict:
    """The keyword arguments of applies(), why_not_applicable() and evaluate() for `facility` (one query)."""
    return {
        "is_hospital": facility.type.is_hospital,
        "bhyt": facility.bhyt_contract,
        "rented": rented,
        "health_checks": health_checks,
        "type_code": facility.type.code,
        "platform_codes": platform_codes(facility.pk),
    }


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
    """Evaluate a stored assessment (4 queries: criteria, answers, facility type, platforms; fewer when given)."""
    if criteria is None:
        criteria = catalogue_criteria(assessment.catalogue_id)
    if answers is None:
        answers = {a.criterion_id: a for a in assessment.answers.all()}
    flags = facility_flags(
        assessment.facility, rented=assessment.uses_rented_software, health_checks=assessment.does_health_checks
    )
    return evaluate(criteria, answers, **flags, today=today)
