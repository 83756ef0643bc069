import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.decorators import officer_required, province_required
from compliance.selectors import missing_snapshots
from dashboard.forms import AsOfForm
from facilities.models import Facility
from reports.imports import template_period

from . import kinds, services
from .models import Export
from .report_template import template_workbook

# Query-string keys that are not filters: never stored with an export.
NOT_FILTERS = {"page", "csrfmiddlewaretoken"}


def _start(request, kind: kinds.ExportKind):
    """Stream a small export straight back; queue a large one and show its progress page.

    The date is fixed now (the page's `date`, else today), so a file built after midnight
    still shows what the user was looking at.
    """
    if not kind.allowed(request.user):
        raise PermissionDenied
    query = request.GET.copy()
    for key in NOT_FILTERS:
        query.pop(key, None)
    as_of = AsOfForm(request.GET).as_of
    missing = missing_snapshots(as_of) if kind.reads_snapshots else ""
    if missing:  # back to the page the button is on, which says why
        messages.error(request, missing)
        back = request.headers.get("referer", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(back if safe else "dashboard:home")
    parameters = {"query": query.urlencode(), "as_of": as_of.isoformat()}
    row_count = kind.count(request.user, parameters)
    if services.runs_in_background(row_count):
        export = services.export_start(user=request.user, kind=kind, parameters=parameters, row_count=row_count)
        return redirect(export)
    file = services.export_file(user=request.user, kind=kind, parameters=parameters)
    return FileResponse(file, as_attachment=True, filename=kind.download_name(parameters))


@login_required
@require_POST
def facility_list(request):
    return _start(request, kinds.FACILITY_LIST)


@login_required
@require_POST
def report_list(request):
    return _start(request, kinds.REPORT_LIST)


@officer_required
@require_POST
def review_queue(request):
    return _start(request, kinds.REVIEW_QUEUE)


@province_required
@require_POST
def provincial(request):
    """The provincial report for the dashboard's date and filters (officers and leadership)."""
    return _start(request, kinds.PROVINCIAL)


@login_required
def export_list(request):
    exports = Export.objects.for_user(request.user)[:50]
    return render(request, "exports/list.html", {"exports": exports, "expiry_hours": settings.EXPORT_EXPIRY_HOURS})


@login_required
def export_detail(request, pk):
    """The progress page; htmx polls it and swaps in the status fragment until the file is ready."""
    export = get_object_or_404(Export.objects.for_user(request.user), pk=pk)
    template = "exports/_status.html" if request.headers.get("HX-Request") else "exports/detail.html"
    return render(request, template, {"export": export})


@login_required
def export_download(request, pk):
    export = get_object_or_404(Export.objects.for_user(request.user).downloadable(), pk=pk)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.download_name)


@officer_required
def report_import_template(request):
    period = template_period(request.GET.get("month", ""))
    facilities = Facility.objects.for_user(request.user).active().exclude(monthly_reports__period=period)
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it after streaming
    template_workbook(target, facilities=facilities, period=period)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=f"mau-bao-cao-thang-{period:%Y-%m}.xlsx")
