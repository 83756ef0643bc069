"""Readiness assessment pages. Access: `for_user` decides what a user sees (else 404)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .models import Catalogue


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
