from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from accounts.decorators import province_required
from assessments.platforms import facility_platforms
from compliance import asof
from compliance import selectors as compliance_selectors
from core.replica import replica_view
from facilities.access import facility_for, may_write
from facilities.history import registry_timeline
from facilities.models import Facility

from . import charts, rollups, selectors
from . import facility as facility_page
from .filters import FacilityFilter, ScopeFilter
from .forms import AsOfForm
from .links import FacilityLinks, trend_table
from .milestones import facility_timeline, waiting_for_head

PAGE_SIZE = 25


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
    """The filters, the date and the dashboard's numbers for the active facilities the user sees.

    What awaits review is counted over every facility the filters keep, inactive ones too, as the review queue
    its counts open lists them: a facility closed after submitting still has its submission decided.
    """
    filters = ScopeFilter(request.GET, queryset=Facility.objects.for_user(request.user))
    as_of = AsOfForm(request.GET)
    data = selectors.province_dashboard(
        as_of.as_of,
        filters.qs.active(),
        review_items=request.user.is_officer,
        scope=rollups.cells(request.user, filters),
        reviewed=filters.qs,
    )
    return filters, as_of, data


@login_required
@replica_view
def province(request):
    """The province dashboard; facility users are sent to their own facility instead."""
    if not request.user.sees_all_facilities:
        return redirect("dashboard:home")
    filters, as_of, data = _province(request)
    # Only a past day showing no computed facility at all can be a day without snapshots: no query otherwise.
    if data.statuses.total and not data.statuses.computed and not asof.is_current(as_of.as_of):
        missing = compliance_selectors.missing_snapshots(as_of.as_of)
        if missing:
            messages.warning(request, missing)
    scope = {**filters.params(), **as_of.params()}
    links = FacilityLinks({**scope, "active": "true"})
    context = {
        "filters": filters,
        "as_of_form": as_of,
        "data": data,
        "chart": charts.province_json(data),
        "links": links,
        "trend_table": trend_table(data.trend, links),
        "behind_limit": selectors.BEHIND_LIMIT,
        "today_url": f"{reverse('dashboard:province')}?{urlencode(filters.params())}",
        "json_url": f"{reverse('dashboard:province_data')}?{urlencode(scope)}",
    }
    return render(request, "dashboard/province.html", context)


@province_required
@replica_view
def province_data(request):
    """The dashboard's numbers as JSON, with the same filters and date as the page."""
    _, _, data = _province(request)
    return JsonResponse(charts.province_json(data))


@login_required
@replica_view
def facility_list(request):
    """The facilities the user sees with their status (today's, or a past day's snapshot), filtered and sorted."""
    facilities = Facility.objects.for_user(request.user).select_related("type", "area").with_deadline()
    filterset = FacilityFilter(request.GET, queryset=facilities)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today_query = request.GET.copy()
    for key in ("date", "page"):
        today_query.pop(key, None)
    context = {
        "filter": filterset,
        "page": page,
        "as_of": filterset.as_of,
        "current": filterset.current,
        "today_query": today_query.urlencode(),
    }
    return render(request, "dashboard/facility_list.html", context)


@login_required
def facility_detail(request, code):
    """What the facility owes first, then its status, progress, assessment and history, then the registry."""
    facility = facility_for(request, code, queryset=Facility.objects.select_related("type", "area", "compliance"))
    overview = facility_page.facility_overview(facility, can_write=may_write(request.user, facility.pk))
    context = {
        "facility": facility,
        "overview": overview,
        "progress": overview.progress_json(),
        "memberships": facility.memberships.select_related("user"),
        "history": registry_timeline(facility) if request.user.sees_all_facilities else [],
        "milestones": facility_timeline(facility, can_write=overview.can_write),
        "waiting_for_head": waiting_for_head(facility, request.user),
        # The province's deadline for the facility's type, shown beside the type's legal one (TT 13/2025).
        "province_deadline": facility.type.deadline or settings.EMR_DEADLINE,
        "platforms": facility_platforms(facility),
    }
    return render(request, "dashboard/facility.html", context)


@login_required
def facility_progress(request, code):
    """The progress chart's numbers as JSON (404 for a facility the user may not see)."""
    facility = facility_for(request, code)
    return JsonResponse(facility_page.facility_progress(facility))
