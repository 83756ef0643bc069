from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from accounts.decorators import province_required
from facilities.filters import ScopeFilter
from facilities.models import Facility

from . import charts, selectors
from .forms import AsOfForm


@login_required
def home(request):
    """Facility users land on their facility (or choose one); the province's people on the dashboard."""
    if request.user.sees_all_facilities:
        return redirect("dashboard:province")
    if request.user.is_agency:  # partner agencies work in the escalation register
        return redirect("escalations:list")
    facilities = list(Facility.objects.for_user(request.user).select_related("type", "area"))
    if len(facilities) == 1:
        return redirect(facilities[0])
    return render(request, "dashboard/choose_facility.html", {"facilities": facilities})


def _province(request):
    """The filters, the date and the dashboard's numbers for the active facilities the user sees."""
    filters = ScopeFilter(request.GET, queryset=Facility.objects.for_user(request.user).active())
    as_of = AsOfForm(request.GET)
    data = selectors.province_dashboard(as_of.as_of, filters.qs, review_items=request.user.is_officer)
    return filters, as_of, data


@login_required
def province(request):
    """The province dashboard; facility users are sent to their own facility instead."""
    if not request.user.sees_all_facilities:
        return redirect("dashboard:home")
    filters, as_of, data = _province(request)
    scope = {**filters.params(), **as_of.params()}
    context = {
        "filters": filters,
        "as_of_form": as_of,
        "data": data,
        "chart": charts.province_json(data),
        "list_params": {**scope, "active": "true"},
        "behind_limit": selectors.BEHIND_LIMIT,
        "today_url": f"{reverse('dashboard:province')}?{urlencode(filters.params())}",
        "json_url": f"{reverse('dashboard:province_data')}?{urlencode(scope)}",
    }
    return render(request, "dashboard/province.html", context)


@province_required
def province_data(request):
    """The dashboard's numbers as JSON, with the same filters and date as the page."""
    _, _, data = _province(request)
    return JsonResponse(charts.province_json(data))
