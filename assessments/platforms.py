"""Shared platforms' pages (SPEC section 3): DoH officers edit, leadership reads, facility users get 404.

A platform the DoH runs (e.g. "HIS dùng chung của tỉnh") meets given criteria for its member facilities; those
criteria show as met "qua nền tảng dùng chung". Members are added by facility type and/or area, or by code;
every change goes through services.platform_save (history, and the affected results stored again).
"""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.evidence import EVIDENCE_TYPES, check_evidence_file, evidence_name
from facilities.models import Area, Facility, FacilityType

from . import services
from .models import Catalogue, Criterion, SharedPlatform

CODES = re.compile(r"[\s,;]+")


def may_manage_platforms(user) -> bool:
    """DoH officers create and edit shared platforms; leadership only reads them."""
    return user.is_officer


def _require_doh(user) -> None:
    """Platform pages are the DoH's: anyone else gets 404, like another facility's page."""
    if not user.sees_all_facilities:
        raise Http404


def platform_criteria() -> list[Criterion]:
    """The criteria a platform may declare: the current catalogue's (matched by code, across versions)."""
    catalogue = Catalogue.objects.current()
    if catalogue is None:
        return []
    return list(
        Criterion.objects.filter(group__catalogue=catalogue).select_related("group").order_by("group__order", "order")
    )


class PlatformForm(forms.ModelForm):
    criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Criteria the platform meets"), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence file"),
        required=False,
        help_text=gettext_lazy("PDF, PNG, JPEG, DOCX or XLSX, at most %(size)s; leave empty to keep the current one.")
        % {"size": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"}),
    )
    add_type = forms.ModelChoiceField(
        label=gettext_lazy("Add all facilities of type"), queryset=FacilityType.objects.all(), required=False
    )
    add_area = forms.ModelChoiceField(
        label=gettext_lazy("Add all facilities in area"), queryset=Area.objects.all(), required=False
    )
    add_codes = forms.CharField(
        label=gettext_lazy("Add facilities by code"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Facility codes separated by spaces, commas or new lines."),
    )
    remove_codes = forms.CharField(
        label=gettext_lazy("Remove facilities by code"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = SharedPlatform
        fields = ["name", "operator", "description", "evidence_description", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(c.code, f"{c.code} – {c.label[:100]}") for c in criteria]
        self.fields["criteria"].initial = list(self.instance.criteria_codes or [])

    def clean_evidence(self):
        file = self.cleaned_data.get("evidence")
        if not file:
            return None
        _content_type, name = check_evidence_file(file)
        file.name = name
        return file

    def _codes(self, name: str) -> set[int]:
        codes = {c for c in CODES.split(self.cleaned_data.get(name) or "") if c}
        found = dict(Facility.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = sorted(codes - set(found))
        if unknown:
            raise forms.ValidationError(_("Unknown facility codes: %(codes)s") % {"codes": ", ".join(unknown)})
        return set(found.values())

    def clean_add_codes(self):
        self.add_ids = self._codes("add_codes")
        return self.cleaned_data["add_codes"]

    def clean_remove_codes(self):
        self.remove_ids = self._codes("remove_codes")
        return self.cleaned_data["remove_codes"]

    def members(self, current: set[int]) -> set[int]:
        """Rule: the current members, plus the active facilities of the chosen type and/or area, plus the codes
        given; then minus the codes to remove (removal wins)."""
        added = set(self.add_ids)
        type_, area = self.cleaned_data.get("add_type"), self.cleaned_data.get("add_area")
        if type_ or area:
            facilities = Facility.objects.active()
            if type_:
                facilities = facilities.filter(type=type_)
            if area:
                facilities = facilities.filter(area=area)
            added |= set(facilities.values_list("pk", flat=True))
        return (current | added) - self.remove_ids


@login_required
def platform_list(request):
    """Every shared platform with its criteria and member count (a fixed number of queries)."""
    _require_doh(request.user)
    platforms = SharedPlatform.objects.annotate(member_count=Count("members")).order_by("name")
    context = {"platforms": platforms, "can_manage": may_manage_platforms(request.user)}
    return render(request, "assessments/platforms/list.html", context)


@login_required
def platform_detail(request, pk):
    _require_doh(request.user)
    platform = get_object_or_404(SharedPlatform, pk=pk)
    criteria = {c.code: c for c in platform_criteria()}
    members = platform.members.select_related("type", "area").order_by("name")
    history = platform.history.select_related("history_user").order_by("-history_date")[:20]
    context = {
        "platform": platform,
        "criteria": [(code, criteria.get(code)) for code in platform.criteria_codes or []],
        "page": Paginator(members, 50).get_page(request.GET.get("page")),
        "history": history,
        "can_manage": may_manage_platforms(request.user),
    }
    return render(request, "assessments/platforms/detail.html", context)


@login_required
def platform_edit(request, pk=None):
    """Create (no `pk`) or edit a platform: DoH officers only (leadership 403, facility users 404)."""
    _require_doh(request.user)
    if not may_manage_platforms(request.user):
        raise PermissionDenied
    platform = get_object_or_404(SharedPlatform, pk=pk) if pk else SharedPlatform()
    current = set(platform.members.values_list("pk", flat=True)) if pk else set()
    form = PlatformForm(request.POST or None, request.FILES or None, instance=platform, criteria=platform_criteria())
    if request.method == "POST" and form.is_valid():
        platform = form.save(commit=False)
        services.platform_save(
            platform=platform,
            criteria_codes=form.cleaned_data["criteria"],
            members=form.members(current),
            evidence_file=form.cleaned_data["evidence"],
            by=request.user,
        )
        messages.success(request, _("Shared platform saved; the results of its facilities are updated."))
        return redirect("assessments:platform", pk=platform.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "platform": platform if pk else None, "member_count": len(current)}
    return render(request, "assessments/platforms/form.html", context, status=status)


@login_required
def platform_evidence(request, pk):
    """The platform's evidence file, only through here: the DoH, and users of its member facilities (the proof
    that their criteria are met); anyone else 404. Served as an attachment, with the type of its content."""
    platform = get_object_or_404(SharedPlatform.objects.for_user(request.user), pk=pk)
    if not platform.evidence_file:
        raise Http404
    extension = platform.evidence_file.name.rsplit(".", 1)[-1].lower()
    content_type = next((mime for mime, ext in EVIDENCE_TYPES.items() if ext == extension), None)
    if content_type is None:
        raise Http404
    try:
        handle = platform.evidence_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = evidence_name(slugify(platform.name) or "platform", extension)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def facility_platforms(facility) -> list[dict]:
    """The facility's active shared platforms, each with the criteria it provides (for the facility page; one
    query when it has none, three otherwise)."""
    platforms = list(SharedPlatform.objects.active().filter(members=facility).order_by("name"))
    if not platforms:
        return []
    criteria = {c.code: c for c in platform_criteria()}
    return [
        {"platform": platform, "criteria": [(code, criteria.get(code)) for code in platform.criteria_codes or []]}
        for platform in platforms
    ]
