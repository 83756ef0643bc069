"""Readiness assessment pages. Access: `for_user` decides what a user sees (else 404); writes need
membership of the facility (`editable_by`, else 403); reviews need a DoH officer (else 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import ReturnForm
from core.models import Status
from core.upload_limits import upload_limit
from core.workflow import NOT_EDITABLE, StaleEdit, WorkflowError
from facilities.access import facility_for, may_review, may_write, require, submission_for

from . import services
from .forms import AssessmentForm, AttestationForm, EvidenceForm
from .models import Assessment, Catalogue, Evidence
from .scoring import catalogue_criteria, criterion_state, evaluate, facility_flags, why_not_applicable
from .timeline import timeline


def _assessment(request, pk, *, write: bool = False, review: bool = False) -> Assessment:
    """The assessment if the user sees it (else 404), and may write or review it (else 403): facilities.access."""
    assessments = Assessment.objects.select_related("facility__type", "catalogue", "reviewed_by")
    return submission_for(request, assessments, pk, write=write, review=review)


def _evidence_card(request, assessment: Assessment, *, form=None, uploaded=None, criterion=None, status=200):
    """The edit page's evidence card (htmx): the list, a fresh upload form, and the changed criterion's links."""
    evidence = list(assessment.evidence.select_related("criterion"))
    changed = []
    if criterion is not None:
        changed = [(criterion, [item for item in evidence if item.criterion_id == criterion.pk])]
    context = {
        "assessment": assessment,
        "evidence": evidence,
        "evidence_form": form or EvidenceForm(assessment=assessment),
        "uploaded": uploaded,
        "changed_criteria": changed,
    }
    return render(request, "assessments/_evidence_card.html", context, status=status)


def _form_page(request, assessment: Assessment, form: AssessmentForm, *, status: int = 200):
    evidence = list(assessment.evidence.select_related("criterion")) if assessment.pk else []
    by_criterion = {}
    for item in evidence:
        by_criterion.setdefault(item.criterion_id, []).append(item)
    evaluation = form.evaluation()
    context = {
        "assessment": assessment,
        "facility": assessment.facility,
        "form": form,
        "evaluation": evaluation,
        "sections": form.sections(evaluation, by_criterion),
        "evidence": evidence,
        "evidence_form": EvidenceForm(assessment=assessment) if assessment.pk else None,
    }
    return render(request, "assessments/form.html", context, status=status)


def _save(request, assessment: Assessment, form: AssessmentForm):
    """Save the posted form through the service; on success go on, else show the form with the reason."""
    if form.is_valid():
        form.save(commit=False)
        try:
            services.assessment_save_draft(
                assessment=assessment,
                answers=form.answer_values(),
                by=request.user,
                expected_version=form.cleaned_data["version"],
                criteria=form.criteria,
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            return _form_page(request, assessment, form, status=409)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(assessment if assessment.pk else assessment.facility)
        messages.success(request, _("Draft saved."))
        if "continue" in request.POST:
            return redirect(f"{assessment.get_absolute_url()}#submit")
        return redirect("assessments:edit", pk=assessment.pk)
    messages.error(request, _("Some answers need correcting; nothing was saved."))
    return _form_page(request, assessment, form, status=400)


def _stored_answers(assessment: Assessment) -> dict:
    return {a.criterion_id: a for a in assessment.answers.all()} if assessment.pk else {}


@login_required
def catalogue(request):
    """The criteria catalogue in the active language: the current version, or ?version=N of a published one."""
    catalogues = list(Catalogue.objects.published().only("version", "title", "published_at"))
    version = request.GET.get("version")
    selected = next((c for c in catalogues if str(c.version) == version), catalogues[0] if catalogues else None)
    if selected is None:
        raise Http404
    groups = selected.groups.prefetch_related("criteria")
    return render(
        request, "assessments/catalogue.html", {"catalogue": selected, "catalogues": catalogues, "groups": groups}
    )


@login_required
def assessment_create(request, code):
    """Start the facility's assessment, or go to the one already in progress."""
    facility = facility_for(request, code, write=True)
    current = facility.assessments.in_progress().first()
    if current is not None:
        return redirect("assessments:edit" if current.is_editable else "assessments:detail", pk=current.pk)
    try:
        assessment = services.assessment_new(facility=facility)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(facility)
    criteria = catalogue_criteria(assessment.catalogue_id)
    carried = services.carried_over_answers(assessment, criteria) if request.method != "POST" else {}
    form = AssessmentForm(request.POST or None, instance=assessment, criteria=criteria, answers=carried)
    if request.method == "POST":
        return _save(request, assessment, form)
    if carried:
        messages.info(
            request, _("The answers of the last approved assessment are filled in; check each one before saving.")
        )
    return _form_page(request, assessment, form)


@login_required
def assessment_edit(request, pk):
    assessment = _assessment(request, pk, write=True)
    if not assessment.is_editable:
        messages.error(request, NOT_EDITABLE)
        return redirect(assessment)
    criteria = catalogue_criteria(assessment.catalogue_id)
    form = AssessmentForm(
        request.POST or None, instance=assessment, criteria=criteria, answers=_stored_answers(assessment)
    )
    if request.method == "POST":
        return _save(request, assessment, form)
    return _form_page(request, assessment, form)


@login_required
@require_POST
def assessment_preview(request, pk=None, code=None):
    """Score, mandatory criteria and gaps for the posted form, without saving (htmx fragment)."""
    if pk is not None:
        assessment = _assessment(request, pk, write=True)
    else:
        facility = facility_for(request, code, write=True)
        assessment = services.assessment_new(facility=facility)
    criteria = catalogue_criteria(assessment.catalogue_id)
    form = AssessmentForm(request.POST, instance=assessment, criteria=criteria, answers={})
    form.is_valid()
    evaluation = form.evaluation()
    return render(
        request,
        "assessments/_preview.html",
        {"evaluation": evaluation, "sections": form.sections(evaluation, {}), "assessment": assessment},
    )


def _detail_page(request, assessment: Assessment, *, attestation=None, return_form=None, status=200):
    criteria = catalogue_criteria(assessment.catalogue_id)
    answers = _stored_answers(assessment)
    facility = assessment.facility
    flags = facility_flags(
        facility, rented=assessment.uses_rented_software, health_checks=assessment.does_health_checks
    )
    evaluation = evaluate(criteria, answers, **flags)
    evidence = list(assessment.evidence.select_related("criterion"))
    rows = [
        {
            "criterion": c,
            "answer": answers.get(c.id),
            "met": c.id in evaluation.met_ids,
            "not_applicable": why_not_applicable(c, **flags),
            "state": criterion_state(c, evaluation, answers.get(c.id), flags),
        }
        for c in criteria
    ]
    is_member = may_write(request.user, facility.pk)
    context = {
        "assessment": assessment,
        "facility": facility,
        "evaluation": evaluation,
        "rows": rows,
        "evidence": evidence,
        "timeline": timeline(assessment, criteria),
        "is_member": is_member,
        "can_edit": is_member and assessment.is_editable,
        "can_review": may_review(request.user) and assessment.status == Status.SUBMITTED,
        "attestation": attestation
        or AttestationForm(initial={"head_name": facility.head_name, "version": assessment.version}),
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "assessments/detail.html", context, status=status)


@login_required
def assessment_detail(request, pk):
    return _detail_page(request, _assessment(request, pk))


@login_required
@require_POST
def assessment_submit(request, pk):
    assessment = _assessment(request, pk, write=True)
    form = AttestationForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, assessment, attestation=form, status=400)
    try:
        services.assessment_submit(
            assessment=assessment,
            by=request.user,
            attested_by_name=form.cleaned_data["head_name"],
            head_confirms=form.cleaned_data["head_confirms"],
            expected_version=form.cleaned_data["version"],
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Assessment submitted to the Department of Health."))
    return redirect(assessment)


@login_required
@require_POST
def assessment_approve(request, pk):
    assessment = _assessment(request, pk, review=True)
    try:
        services.assessment_approve(assessment=assessment, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Assessment approved."))
    return redirect(assessment)


@login_required
@require_POST
def assessment_return(request, pk):
    assessment = _assessment(request, pk, review=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, assessment, return_form=form, status=400)
    try:
        services.assessment_return(assessment=assessment, by=request.user, comment=form.cleaned_data["comment"])
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Assessment returned to the facility."))
    return redirect(assessment)


@login_required
def facility_assessments(request, code):
    """A facility's assessments, newest first, with state, dates and score."""
    facility = facility_for(request, code)
    assessments = facility.assessments.select_related("catalogue").order_by("-created_at")
    page = Paginator(assessments, 25).get_page(request.GET.get("page"))
    context = {"facility": facility, "page": page, "is_member": may_write(request.user, facility.pk)}
    return render(request, "assessments/facility_list.html", context)


@upload_limit("EVIDENCE_MAX_BYTES")
@login_required
def evidence_upload(request, pk):
    """Upload a file. From the edit page (htmx) the answer is the evidence card, so the answers being typed
    stay on the page; without JavaScript, this page and back to the edit page."""
    assessment = _assessment(request, pk, write=True)
    htmx = request.headers.get("HX-Request") == "true"
    if not assessment.is_editable:
        messages.error(request, NOT_EDITABLE)
        if htmx:
            return HttpResponse(headers={"HX-Redirect": assessment.get_absolute_url()})
        return redirect(assessment)
    initial = {"criterion": request.GET.get("criterion")} if request.GET.get("criterion", "").isdigit() else {}
    form = EvidenceForm(request.POST or None, request.FILES or None, assessment=assessment, initial=initial)
    if form.is_valid():
        evidence = services.evidence_add(
            assessment=assessment,
            file=form.cleaned_data["file"],
            original_name=form.original_name,
            content_type=form.content_type,
            criterion=form.cleaned_data["criterion"],
            by=request.user,
        )
        if htmx:
            return _evidence_card(request, assessment, uploaded=evidence, criterion=form.cleaned_data["criterion"])
        messages.success(request, _("File uploaded."))
        return redirect("assessments:edit", pk=assessment.pk)
    if htmx:
        return _evidence_card(request, assessment, form=form)
    return render(request, "assessments/evidence_form.html", {"form": form, "assessment": assessment})


@login_required
def evidence_download(request, pk):
    """Only through here, scoped like the assessment: another facility's file answers 404."""
    evidence = get_object_or_404(Evidence.objects.for_user(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(Evidence.objects.for_user(request.user).select_related("assessment"), pk=pk)
    require(request.user, evidence.assessment.facility_id, write=True)
    assessment, criterion = evidence.assessment, evidence.criterion
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(evidence.assessment)
    if request.headers.get("HX-Request") == "true":
        return _evidence_card(request, assessment, criterion=criterion)
    messages.success(request, _("File removed."))
    return redirect("assessments:edit", pk=evidence.assessment_id)
