from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import officer_required
from core import uploads
from core.import_jobs import import_start
from core.import_jobs import runs_in_background as background_import
from core.models import ImportKind

from . import services
from .access import facility_for
from .forms import ExtensionForm, FacilityForm, ImportForm, MemberRoleForm, MembershipForm
from .imports import import_facilities, template_workbook
from .models import MemberRole, Membership
from .widgets import matching_areas


@login_required
def area_options(request):
    """Suggestions for the area search box (facilities.widgets): a few <option>s matching what was typed."""
    areas = matching_areas(request.GET.get("area", ""))
    return render(request, "facilities/area_options.html", {"areas": areas})


@officer_required
def facility_create(request):
    form = FacilityForm(request.POST or None)
    if form.is_valid():
        facility = services.facility_create(facility=form.save(commit=False), by=request.user)
        messages.success(request, _("Facility created."))
        return redirect(facility)
    return render(request, "facilities/form.html", {"form": form})


@login_required
def facility_edit(request, code):
    facility = facility_for(request, code, manage=True)
    form = FacilityForm(request.POST or None, instance=facility)
    if form.is_valid():
        facility = services.facility_update(facility=form.save(commit=False), by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect(facility)
    return render(request, "facilities/form.html", {"form": form, "facility": facility})


@login_required
@require_POST
def facility_set_active(request, code):
    facility = facility_for(request, code, manage=True)
    active = request.POST.get("active") == "1"
    services.facility_set_active(facility=facility, active=active, by=request.user)
    messages.success(request, _("Facility activated.") if active else _("Facility deactivated."))
    return redirect(facility)


@login_required
def facility_extension(request, code):
    facility = facility_for(request, code, manage=True)
    form = ExtensionForm(request.POST or None, facility=facility)
    if form.is_valid():
        services.facility_grant_extension(facility=facility, by=request.user, **form.cleaned_data)
        messages.success(request, _("Deadline extension saved."))
        if form.beyond_legal:
            messages.warning(
                request, _("The extension goes beyond the legal deadline of TT 13/2025; it is marked as such.")
            )
        return redirect(facility)
    return render(request, "facilities/extension.html", {"form": form, "facility": facility})


@login_required
def facility_members(request, code):
    facility = facility_for(request, code, manage=True)
    form = MembershipForm(request.POST or None, facility=facility)
    if form.is_valid():
        services.membership_add(facility=facility, by=request.user, **form.cleaned_data)
        messages.success(request, _("Member added."))
        return redirect("facilities:members", code=facility.code)
    memberships = facility.memberships.select_related("user")
    context = {"form": form, "facility": facility, "memberships": memberships, "roles": MemberRole.choices}
    return render(request, "facilities/members.html", context)


@login_required
@require_POST
def facility_member_role(request, code, pk):
    """Staff <-> head for one member, officers only (as every registry write: 404 outside the user's facilities)."""
    facility = facility_for(request, code, manage=True)
    membership = get_object_or_404(Membership, facility=facility, pk=pk)
    form = MemberRoleForm(request.POST)
    if form.is_valid():
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
        messages.success(request, _("Role saved."))
    else:
        messages.error(request, _("Choose a role: staff or facility head."))
    return redirect("facilities:members", code=facility.code)


@login_required
@require_POST
def facility_member_remove(request, code, pk):
    facility = facility_for(request, code, manage=True)
    membership = get_object_or_404(Membership, facility=facility, pk=pk)
    services.membership_remove(membership=membership, by=request.user)
    messages.success(request, _("Member removed."))
    return redirect("facilities:members", code=facility.code)


@officer_required
def facility_import(request):
    """Upload and preview every row (old → new); a clean file is kept for its commit, not uploaded again.

    A file above EXPORT_BACKGROUND_THRESHOLD rows is only kept here: the worker checks, previews and commits it
    (core.import_jobs) and the user is sent to the job's progress page.
    """
    form = ImportForm(request.POST or None, request.FILES or None)
    report = token = None
    if form.is_valid():
        token = uploads.stash(request.user, form.cleaned_data["file"])
        if background_import(uploads.stashed(request.user, token)):
            return redirect(import_start(user=request.user, kind=ImportKind.FACILITIES, token=token))
        report = import_facilities(uploads.stashed(request.user, token), by=request.user, commit=False)
        if not report.ok:
            uploads.discard(request.user, token)
            token = None
    return render(request, "facilities/import.html", {"form": form, "report": report, "token": token})


@officer_required
@require_POST
def facility_import_commit(request):
    """Commit the previewed file (checked again: the registry may have changed since the preview)."""
    token = request.POST.get("token", "")
    path = uploads.stashed(request.user, token)
    if path is None:
        messages.error(request, _("The uploaded file is no longer available. Upload it again."))
        return redirect("facilities:import")
    report = import_facilities(path, by=request.user, commit=True)
    uploads.discard(request.user, token)
    if not report.committed:
        return render(request, "facilities/import.html", {"form": ImportForm(), "report": report})
    messages.success(
        request,
        _("Import saved: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % report.counts,
    )
    return redirect("facilities:import")


@officer_required
def facility_import_template(request):
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-co-so.xlsx"'
    template_workbook().save(response)
    return response
