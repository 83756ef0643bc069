from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from facilities.models import Facility


@login_required
def home(request):
    """Facility users land on their facility (or choose one); the province's people on the overview."""
    if request.user.sees_all_facilities:
        return redirect("facilities:list")
    facilities = list(Facility.objects.for_user(request.user).select_related("type", "area"))
    if len(facilities) == 1:
        return redirect(facilities[0])
    return render(request, "dashboard/choose_facility.html", {"facilities": facilities})
