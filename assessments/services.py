"""Writes to assessments and to the catalogue: one function per transition, used by every caller.

Assessment transitions wrap core.workflow (state checks, row lock, version bump, history with
who and why) and add what is specific to assessments: the answers, the derived score, the
attestation and the compliance recompute after an approval. Answers are written with
simple-history's bulk helpers, so a first save of ~60 answers costs two queries and still
leaves one history row per answer.
"""

import datetime
from decimal import Decimal
from typing import TypedDict

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import workflow
from core.models import Status
from core.workflow import ATTESTATION_REQUIRED, NOT_EDITABLE, WorkflowError

from .models import Answer, AnswerStatus, AnswerType, Assessment, Catalogue, Criterion, Evidence, SharedPlatform
from .scoring import answer_status, catalogue_criteria, evaluate, evaluate_assessment, facility_flags, is_met

ALREADY_IN_PROGRESS = _("This facility already has an assessment in progress; continue that one.")
NO_CATALOGUE = _("No criteria catalogue is published yet.")
ALREADY_PUBLISHED = _("This version is already published.")
EMPTY_CATALOGUE = _("A catalogue without criteria cannot be published.")

ANSWER_FIELDS = ["value_bool", "value_number", "value_date", "note", "status", "met"]


# Sent (item=the assessment) when a platform change rewrote an approved assessment's stored results: what the
# compliance engine counts changed (compliance connects its recompute, as for core.workflow.approved).
approved_results_changed = Signal()


class CatalogueError(Exception):
    pass


class AnswerValues(TypedDict, total=False):
    value_bool: bool | None
    value_number: Decimal | None
    value_date: datetime.date | None
    note: str
    status: str


# -- catalogue -------------------------------------------------------------------------------


@transaction.atomic
def catalogue_copy_as_draft(*, catalogue: Catalogue) -> Catalogue:
    """A new unpublished version holding copies of `catalogue`'s groups and criteria, to edit in the admin."""
    version = (Catalogue.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
    draft = Catalogue.objects.create(version=version, title=catalogue.title, notes=catalogue.notes)
    for group in catalogue.groups.prefetch_related("criteria"):
        criteria = list(group.criteria.all())
        group.pk = None
        group.catalogue = draft
        group.save()
        for criterion in criteria:
            criterion.pk = None
            criterion.group = group
        Criterion.objects.bulk_create(criteria)
    return draft


@transaction.atomic
def catalogue_publish(*, catalogue: Catalogue) -> Catalogue:
    """From now on new assessments use this version; assessments already started keep theirs."""
    catalogue = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
    if catalogue.is_published:
        raise CatalogueError(ALREADY_PUBLISHED)
    if not Criterion.objects.filter(group__catalogue=catalogue).exists():
        raise CatalogueError(EMPTY_CATALOGUE)
    catalogue.published_at = timezone.now()
    catalogue.save(update_fields=["published_at"])
    return catalogue


# -- assessments -----------------------------------------------------------------------------


def assessment_new(*, facility) -> Assessment:
    """An unsaved assessment of `facility` on the current catalogue (the form's starting point)."""
    catalogue = Catalogue.objects.current()
    if catalogue is None:
        raise WorkflowError(NO_CATALOGUE)
    return Assessment(facility=facility, catalogue=catalogue)


def carried_over_answers(assessment: Assessment, criteria: list[Criterion]) -> dict[int, Answer]:
    """The facility's answers from its latest approved assessment, as unsaved answers of `assessment`'s criteria.

    Rule: an answer is carried over when the earlier criterion has the same code, the same answer type and the
    same threshold (the same meaning); for catalogue v1 to v2 that is every v2 criterion (A7 and A8 left the
    catalogue for the milestones). The general fields (vendors, staff, budget) are carried over too. Nothing
    is saved until the facility saves the form; the answers are then its own.
    """
    previous = (
        Assessment.objects.approved()
        .filter(facility=assessment.facility_id)
        .order_by("-reviewed_at", "-created_at")
        .first()
    )
    if previous is None:
        return {}
    for name in CARRIED_FIELDS:
        if not getattr(assessment, name):
            setattr(assessment, name, getattr(previous, name))
    by_code = {c.code: c for c in criteria}
    carried = {}
    for old in previous.answers.select_related("criterion"):
        criterion = by_code.get(old.criterion.code)
        if criterion is None or (criterion.answer_type, criterion.threshold) != (
            old.criterion.answer_type,
            old.criterion.threshold,
        ):
            continue
        status = old.status
        if not status and criterion.answer_type == AnswerType.YES_NO and old.value_bool is not None:
            status = AnswerStatus.MET if old.value_bool else AnswerStatus.NOT_MET
        carried[criterion.id] = Answer(
            criterion=criterion,
            value_bool=old.value_bool,
            value_number=old.value_number,
            value_date=old.value_date,
            note=old.note,
            status=status,
        )
    return carried


CARRIED_FIELDS = [
    "his_vendor",
    "his_version",
    "emr_vendor",
    "it_staff_count",
    "clinical_departments",
    "budget_needed",
    "budget_secured",
    "uses_rented_software",
    "does_health_checks",
]


def _is_empty(values: AnswerValues) -> bool:
    return all(
        values.get(name) in (None, "") for name in ("value_bool", "value_number", "value_date", "note", "status")
    )


@transaction.atomic
def assessment_save_draft(
    *,
    assessment: Assessment,
    answers: dict[int, AnswerValues],
    by,
    expected_version: int | None,
    criteria: list[Criterion] | None = None,
    today: datetime.date | None = None,
) -> Assessment:
    """Create or update an editable assessment with its answers (keyed by criterion id) and derived score.

    Refused with StaleEdit when someone saved since `expected_version` was read; nothing is written then.
    """
    criteria = criteria if criteria is not None else catalogue_criteria(assessment.catalogue_id)
    by_id = {c.id: c for c in criteria}
    stored = {a.criterion_id: a for a in assessment.answers.all()} if assessment.pk else {}
    current: dict[int, Answer] = dict(stored)
    changed: dict[int, Answer] = {}
    for criterion_id, values in answers.items():
        criterion = by_id[criterion_id]
        answer = stored.get(criterion_id)
        if answer is None:
            if _is_empty(values):
                continue
            answer = Answer(criterion=criterion)
        before = [getattr(answer, name) for name in ANSWER_FIELDS]
        answer.value_bool = values.get("value_bool")
        answer.value_number = values.get("value_number")
        answer.value_date = values.get("value_date")
        answer.note = values.get("note") or ""
        answer.status = values.get("status") or ""
        if answer.status != AnswerStatus.NOT_APPLICABLE and criterion.answer_type != AnswerType.YES_NO:
            answer.status = answer_status(criterion, answer, today)
        answer.met = is_met(criterion, answer, today)
        current[criterion_id] = answer
        if answer.pk is None or before != [getattr(answer, name) for name in ANSWER_FIELDS]:
            changed[criterion_id] = answer

    flags = facility_flags(
        assessment.facility, rented=assessment.uses_rented_software, health_checks=assessment.does_health_checks
    )
    evaluation = evaluate(criteria, current, **flags, today=today)
    assessment.score = evaluation.score
    assessment.mandatory_met = evaluation.mandatory_met
    assessment.mandatory_gaps = evaluation.mandatory_gap_codes
    if assessment.pk is None:
        if Assessment.objects.in_progress().filter(facility=assessment.facility).exists():
            raise WorkflowError(ALREADY_IN_PROGRESS)
        try:
            workflow.save_draft(assessment, by=by, expected_version=None)
        except IntegrityError:  # a colleague created one at the same moment
            raise WorkflowError(ALREADY_IN_PROGRESS) from None
    else:
        workflow.save_draft(assessment, by=by, expected_version=expected_version)

    to_create = [a for a in changed.values() if a.pk is None]
    to_update = [a for a in changed.values() if a.pk is not None]
    for answer in to_create:
        answer.assessment = assessment
    if to_create:
        bulk_create_with_history(to_create, Answer, default_user=by, default_change_reason="edited")
    if to_update:
        bulk_update_with_history(to_update, Answer, ANSWER_FIELDS, default_user=by, default_change_reason="edited")
    return assessment


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, by, attested_by_name: str, head_confirms: bool, expected_version: int | None = None
) -> Assessment:
    """Submit for review with the head's attestation; refused if it changed since the page was read.

    `expected_version` is the version the user read (the page's hidden field); code that holds
    the current assessment leaves it out and the version of `assessment` is used.
    """
    if not head_confirms or not attested_by_name.strip():
        raise WorkflowError(ATTESTATION_REQUIRED)
    current = workflow.locked_editable(assessment, assessment.version if expected_version is None else expected_version)
    return workflow.submit(current, by=by, attested_by_name=attested_by_name)


def assessment_refresh_results(*, assessment: Assessment, by=None, today: datetime.date | None = None) -> Assessment:
    """Store score, `mandatory_met` and `mandatory_gaps` as of `today` (the shared platforms and legal dates then).

    The stored results are as of the day the answers were last saved, and again as of the approval day: what
    the compliance engine counts is the approved assessment's results on the day it was approved. A legal date
    passing later (D4, G6: none of them decides compliance in catalogue v2) shows on the pages, which evaluate
    as of today, and in the next assessment.
    """
    evaluation = evaluate_assessment(assessment, today)
    results = (evaluation.score, evaluation.mandatory_met, evaluation.mandatory_gap_codes)
    if (assessment.score, assessment.mandatory_met, assessment.mandatory_gaps) != results:
        assessment.score, assessment.mandatory_met, assessment.mandatory_gaps = results
        assessment._history_user = by
        assessment._change_reason = "results recomputed"
        assessment.save(update_fields=["score", "mandatory_met", "mandatory_gaps", "updated_at"])
    return assessment


@transaction.atomic
def assessment_approve(*, assessment: Assessment, by) -> Assessment:
    """A DoH officer accepts the assessment; its results are stored as of today, and the facility's compliance is
    recomputed once this commits (core.workflow.approved)."""
    assessment = workflow.approve(assessment, by=by)
    return assessment_refresh_results(assessment=assessment, by=by)


@transaction.atomic
def assessment_return(*, assessment: Assessment, by, comment: str) -> Assessment:
    """A DoH officer sends it back with a comment; the facility edits and submits again."""
    return workflow.return_for_changes(assessment, by=by, comment=comment)


# -- evidence --------------------------------------------------------------------------------


def evidence_add(
    *, assessment: Assessment, file, original_name: str, content_type: str, criterion: Criterion | None, by
) -> Evidence:
    """Attach a checked file (see forms.EvidenceForm) while the assessment can still be edited."""
    if not assessment.is_editable:
        raise WorkflowError(NOT_EDITABLE)
    evidence = Evidence(
        assessment=assessment,
        criterion=criterion,
        file=file,
        original_name=original_name,
        content_type=content_type,
        size=file.size,
        uploaded_by=by,
    )
    evidence._history_user = by
    evidence._change_reason = "uploaded"
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by) -> None:
    """Remove a file from an editable assessment; the stored file goes once the deletion commits."""
    if not evidence.assessment.is_editable:
        raise WorkflowError(NOT_EDITABLE)
    file = evidence.file
    evidence._history_user = by
    evidence._change_reason = "deleted"
    evidence.delete()
    transaction.on_commit(lambda: file.storage.delete(file.name))


# -- shared platforms ------------------------------------------------------------------------


def _platform_assessments(facility_ids: set[int]) -> list[Assessment]:
    """The assessments whose stored results a platform change touches: each facility's open one and its
    latest approved one (two queries)."""
    if not facility_ids:
        return []
    related = Assessment.objects.select_related("facility__type")
    open_ones = list(related.in_progress().filter(facility_id__in=facility_ids))
    approved = list(
        related.approved()
        .filter(facility_id__in=facility_ids)
        .order_by("facility_id", "-reviewed_at", "-created_at")
        .distinct("facility_id")
    )
    return open_ones + approved


def platform_recompute(*, facility_ids: set[int], by) -> int:
    """Store again the results (`score`, `mandatory_met`, `mandatory_gaps`) of the facilities' open and latest
    approved assessments after a shared platform changed; returns how many changed.

    Decision: a platform declaration is the DoH's own statement about its platform, so it holds for the
    approved assessment too, without the facility submitting again. The approved assessment is re-evaluated
    as of its approval day (legal dates as they were then) with the platforms as they are now; its answers
    and approval are untouched, and the previous results stay in its history (reason "results recomputed",
    by the officer who changed the platform). The facility's compliance is recomputed once this commits.
    """
    changed = 0
    criteria_by_catalogue: dict[int, list[Criterion]] = {}
    for assessment in _platform_assessments(facility_ids):
        criteria = criteria_by_catalogue.setdefault(
            assessment.catalogue_id, catalogue_criteria(assessment.catalogue_id)
        )
        before = (assessment.score, assessment.mandatory_met, list(assessment.mandatory_gaps))
        today = timezone.localdate(assessment.reviewed_at) if assessment.status == Status.APPROVED else None
        evaluation = evaluate_assessment(assessment, today, criteria=criteria)
        after = (evaluation.score, evaluation.mandatory_met, evaluation.mandatory_gap_codes)
        if before == after:
            continue
        assessment.score, assessment.mandatory_met, assessment.mandatory_gaps = after
        assessment._history_user = by
        assessment._change_reason = "results recomputed"
        assessment.save(update_fields=["score", "mandatory_met", "mandatory_gaps", "updated_at"])
        changed += 1
        if assessment.status == Status.APPROVED:
            approved_results_changed.send(sender=Assessment, item=assessment)
    return changed


@transaction.atomic
def platform_save(
    *,
    platform: SharedPlatform,
    criteria_codes: list[str],
    members: set[int],
    by,
    evidence_file=None,
) -> SharedPlatform:
    """Create or update a shared platform (its fields already set on `platform`), its criteria and members.

    One history row per save (who, "created" / "edited") and one per change of members. When the criteria,
    the members or whether it is active change, the affected facilities' results are stored again
    (platform_recompute): every member when the criteria or the active flag change, else those who joined
    or left.
    """
    previous = None
    if platform.pk:
        previous = SharedPlatform.objects.select_for_update().get(pk=platform.pk)
    old_codes = set(previous.criteria_codes or []) if previous else set()
    old_members = set(previous.members.values_list("pk", flat=True)) if previous else set()
    old_active = previous.is_active if previous else False
    platform.criteria_codes = sorted(set(criteria_codes), key=_code_order)
    if evidence_file is not None:
        platform.evidence_file = evidence_file
    platform._history_user = by
    platform._change_reason = "edited" if previous else "created"
    platform.save()
    if members != old_members:
        platform.members.set(members)
    if set(platform.criteria_codes) != old_codes or platform.is_active != old_active:
        affected = old_members | members
    else:
        affected = old_members ^ members
    platform_recompute(facility_ids=affected, by=by)
    return platform


def _code_order(code: str) -> tuple:
    """A1, A2, …, A10, B1: the catalogue's order of codes."""
    letters = code.rstrip("0123456789")
    number = code[len(letters) :]
    return (letters, int(number) if number else 0)
