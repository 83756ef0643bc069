"""Milestone pages. Access through facilities.access: what a user sees (else 404); writes need
membership of the facility (else 403); verification and return need a DoH officer (else 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.upload_limits import upload_limit
from core.workflow import NOT_EDITABLE, WorkflowError
from facilities.access import facility_for, may_review, may_write, submission_for

from . import services
from .forms import MilestoneForm, ReturnForm, SubmitForm
from .history import milestone_timeline
from .models import Milestone, MilestoneKind


def _milestone(request, pk, *, write: bool = False, review: bool = False) -> Milestone:
    """The milestone if the user sees its facility (else 404), and may do what is asked (else 403)."""
    milestones = Milestone.objects.select_related(
        "facility__type", "assessment", "submitted_by", "reviewed_by", "created_by"
    )
    return submission_for(request, milestones, pk, write=write, review=review)


def _edit(request, milestone: Milestone):
    form = MilestoneForm(request.POST or None, request.FILES or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_save_draft(
                milestone=form.save(commit=False), by=request.user, expected_version=form.cleaned_data["version"]
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draft saved. Check it, then submit it to the Department of Health."))
            return redirect(milestone)
    context = {"form": form, "milestone": milestone, "facility": milestone.facility}
    return render(request, "milestones/form.html", context)


@upload_limit("EVIDENCE_MAX_BYTES")
@login_required
def milestone_create(request, code, kind):
    """A new milestone of `kind`; where the facility already has one, that one opens instead."""
    facility = facility_for(request, code, write=True)
    if kind not in MilestoneKind.values:
        raise Http404
    existing = Milestone.objects.filter(facility=facility, kind=kind).first()
    if existing:
        return redirect(existing)
    return _edit(request, Milestone(facility=facility, kind=kind))


@upload_limit("EVIDENCE_MAX_BYTES")
@login_required
def milestone_edit(request, pk):
    milestone = _milestone(request, pk, write=True)
    if not milestone.is_editable:
        messages.error(request, NOT_EDITABLE)
        return redirect(milestone)
    return _edit(request, milestone)


def _detail(request, milestone: Milestone, *, submit_form=None, return_form=None):
    member = may_write(request.user, milestone.facility_id)
    by_head = member and services.is_head(request.user, milestone.facility)
    may_submit = member and milestone.is_editable and (by_head or not services.has_head_account(milestone.facility))
    context = {
        "milestone": milestone,
        "facility": milestone.facility,
        "can_write": member and milestone.is_editable,
        "may_submit": may_submit,
        "waits_for_head": member and milestone.is_editable and not may_submit,
        "can_review": may_review(request.user) and milestone.status == "submitted",
        "submit_form": submit_form or SubmitForm(by_head=by_head, initial={"version": milestone.version}),
        "return_form": return_form or ReturnForm(),
        "timeline": milestone_timeline(milestone),
    }
    return render(request, "milestones/detail.html", context)


@login_required
def milestone_detail(request, pk):
    return _detail(request, _milestone(request, pk))


@login_required
@require_POST
def milestone_submit(request, pk):
    milestone = _milestone(request, pk, write=True)
    form = SubmitForm(request.POST, by_head=services.is_head(request.user, milestone.facility))
    if not form.is_valid():
        return _detail(request, milestone, submit_form=form)
    try:
        services.milestone_submit(
            milestone=milestone,
            by=request.user,
            head_name=form.cleaned_data.get("head_name", ""),
            expected_version=form.cleaned_data["version"],
        )
    except services.MilestoneInvalid as exc:
        messages.error(request, str(exc))
        return redirect("milestones:edit", pk=milestone.pk)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(milestone)
    messages.success(request, _("Milestone submitted to the Department of Health."))
    return redirect(milestone)


@login_required
@require_POST
def milestone_verify(request, pk):
    milestone = _milestone(request, pk, review=True)
    try:
        services.milestone_verify(milestone=milestone, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(milestone)
    messages.success(request, _("Milestone verified: %(milestone)s.") % {"milestone": milestone})
    return redirect("reports:review_queue")


@login_required
@require_POST
def milestone_return(request, pk):
    milestone = _milestone(request, pk, review=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, milestone, return_form=form)
    try:
        services.milestone_return(milestone=milestone, by=request.user, comment=form.cleaned_data["comment"])
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(milestone)
    messages.success(request, _("Milestone returned to the facility: %(milestone)s.") % {"milestone": milestone})
    return redirect("reports:review_queue")


@login_required
def milestone_evidence(request, pk):
    """Only through here, scoped like the milestone: another facility's file answers 404."""
    milestone = get_object_or_404(Milestone.objects.for_user(request.user).exclude(evidence=""), pk=pk)
    try:
        handle = milestone.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=milestone.evidence_name or "evidence",
        content_type=milestone.evidence_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
