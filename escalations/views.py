from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import officer_required
from facilities.models import Agency

from . import services
from .forms import STEPS, RaiseForm
from .models import EscalationItem, EscalationState

STEP_STATES = {
    "resolve": EscalationState.RESOLVED,
    "refer": EscalationState.WITH_AGENCY,
    "propose": EscalationState.PROPOSED,
    "direction": EscalationState.DIRECTED,
}


@login_required
def escalation_list(request):
    """The register: open items oldest first (or every item with ?state=all), with their age in days."""
    items = EscalationItem.objects.for_user(request.user).select_related("facility", "agency", "partner")
    show_all = request.GET.get("state") == "all"
    if not show_all:
        items = items.open()
    context = {
        "items": items.order_by("raised_on", "pk")[:500],
        "show_all": show_all,
        "by_age": EscalationItem.objects.for_user(request.user).open_by_age(timezone.localdate()),
        "can_raise": request.user.is_agency,
        "today": timezone.localdate(),
    }
    return render(request, "escalations/list.html", context)


@login_required
def escalation_detail(request, pk):
    item = get_object_or_404(
        EscalationItem.objects.for_user(request.user).select_related("facility", "agency", "partner", "report"), pk=pk
    )
    forms = {}
    if request.user.is_officer:
        forms = {step: form(prefix=step) for step, form in STEPS.items() if item.allows(STEP_STATES[step])}
    history = item.history.select_related("history_user").order_by("-history_date")
    return render(request, "escalations/detail.html", {"item": item, "forms": forms, "history": history})


@officer_required
@require_POST
def escalation_step(request, pk, step):
    """One triage step (resolve, refer, propose, record UBND's direction) through its service."""
    item = get_object_or_404(EscalationItem.objects.for_user(request.user), pk=pk)
    if step not in STEPS:
        raise PermissionDenied
    form = STEPS[step](request.POST, prefix=step)
    if not form.is_valid():
        history = item.history.select_related("history_user").order_by("-history_date")
        return render(request, "escalations/detail.html", {"item": item, "forms": {step: form}, "history": history})
    data = form.cleaned_data
    try:
        if step == "resolve":
            services.escalation_resolve(item=item, action=data["action"], by=request.user)
        elif step == "refer":
            services.escalation_refer(item=item, partner=data["partner"], action=data["action"], by=request.user)
        elif step == "propose":
            services.escalation_propose(item=item, proposal=data["proposal"], by=request.user)
        else:
            services.escalation_record_direction(
                item=item, number=data["number"], date=data["date"], content=data["content"], by=request.user
            )
    except services.EscalationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect(item)


@login_required
def escalation_raise(request):
    """A partner agency reports a difficulty (its members only)."""
    agency = Agency.objects.filter(memberships__user=request.user, is_active=True).first()
    if agency is None or not request.user.is_agency:
        raise PermissionDenied
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = services.escalation_raise(agency=agency, by=request.user, **form.cleaned_data)
        messages.success(request, _("The difficulty was sent to the Department of Health."))
        return redirect(item)
    return render(request, "escalations/raise.html", {"form": form, "agency": agency})
