import dataclasses
import io
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import officer_required, province_required
from compliance.selectors import missing_snapshots
from core import import_jobs, replica
from core.models import ImportJob
from core.spreadsheet import WorkbookError
from dashboard.forms import AsOfForm
from facilities.models import Facility
from reports.imports import template_period

from . import drafting, kinds, ministry, official, selectors, services
from .forms import MinistryListForm, OfficialReportForm
from .models import Export, ExportError, IssuedReport
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
    with replica.reads(request):  # the rows to export: the replica, unless this browser just wrote
        row_count = kind.count(request.user, parameters)
    if services.runs_in_background(row_count):
        export = services.export_start(user=request.user, kind=kind, parameters=parameters, row_count=row_count)
        return redirect(export)
    with replica.reads(request):
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


@login_required
def import_list(request):
    """The user's own large imports, newest first (anyone else's are never listed)."""
    jobs = ImportJob.objects.for_user(request.user)
    import_jobs.fail_lost(jobs)
    # The counts only, not each job's stored preview (up to a thousand rows each).
    jobs = jobs.defer("result").annotate(counts=F("result__counts"))
    return render(request, "exports/import_list.html", {"jobs": jobs[:50]})


@login_required
def import_detail(request, pk):
    """A large import's progress page (htmx polls it), then its row-by-row report; another user's job is 404."""
    jobs = ImportJob.objects.for_user(request.user)
    import_jobs.fail_lost(jobs.filter(pk=pk))
    job = get_object_or_404(jobs, pk=pk)
    template = "exports/_import_status.html" if request.headers.get("HX-Request") else "exports/import_detail.html"
    error = ExportError(job.error).label if job.error in ExportError.values else ""
    return render(request, template, {"job": job, "error": error})


@officer_required
@require_POST
def import_confirm(request, pk):
    """Commit a previewed large import: the worker checks it again and saves it all or nothing."""
    job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
    if not import_jobs.import_confirm(job):
        messages.info(request, _("This import is not waiting for confirmation."))
    return redirect(job)


# ---------------------------------------------------------------------------- the report to the People's Committee

NOT_SCOPE = {"date", "page", "csrfmiddlewaretoken"}


def _scope_query(query) -> str:
    """The dashboard's scope filters (type, area, ownership) as a canonical string: which reports compare."""
    query = query.copy()
    for key in NOT_SCOPE:
        query.pop(key, None)
    return "&".join(f"{key}={value}" for key, value in sorted(query.items()) if value)


def _draft(request) -> tuple[official.OfficialReport, str, object, str]:
    """The drafted report for the page's date and filters, compared with the last one issued for that scope."""
    facilities, filters, _ = selectors.province_scope(request.user, request.GET)
    scope_query = _scope_query(request.GET)
    last = IssuedReport.objects.latest_for_scope(scope_query)
    previous = last and drafting.Previous(number=last.reference, issued_on=last.issued_on, deployed=last.deployed)
    as_of = AsOfForm(request.GET).as_of
    proposals = drafting.proposals_since(facilities, last and last.issued_at)
    report = drafting.draft_report(as_of, facilities, scope=filters, previous=previous, proposals=proposals)
    return report, scope_query, facilities, filters


def _initial(report: official.OfficialReport) -> dict:
    today = timezone.localdate()
    used = IssuedReport.objects.filter(year=today.year, symbol=report.symbol).aggregate(n=Max("number"))["n"]
    return {
        "number": (used or 0) + 1,
        "issued_on": today,
        "legal_basis": "\n".join(report.legal_basis),
        "assessment": report.assessment,
        "recommendations": report.recommendations,
        "recipients": "\n".join(report.recipients),
        "signer_name": report.signer.name,
    }


def _edited(report: official.OfficialReport, data: dict) -> official.OfficialReport:
    lines = OfficialReportForm.lines
    return dataclasses.replace(
        report,
        legal_basis=lines(data["legal_basis"]),
        assessment=data["assessment"],
        recommendations=data["recommendations"],
        recipients=lines(data["recipients"]),
        signer=drafting.signer(deputy=data["signer"] == "deputy", name=data["signer_name"]),
    )


@province_required
def official_new(request):
    """Draft, preview (a .docx without number or day) and issue the report for the dashboard's date and filters."""
    draft, scope_query, facilities, filters = _draft(request)
    form = OfficialReportForm(request.POST or None, initial=_initial(draft))
    if request.method == "POST" and form.is_valid():
        report = _edited(draft, form.cleaned_data)
        if request.POST.get("action") != "issue":
            content = io.BytesIO(official.official_report_bytes(report))
            return FileResponse(content, as_attachment=True, filename=f"du-thao-bao-cao-{draft.as_of:%Y%m%d}.docx")
        if form.require_issue_fields():
            report.issued_on = form.cleaned_data["issued_on"]
            try:
                issued = services.official_report_issue(
                    report=report,
                    number=form.cleaned_data["number"],
                    facilities=facilities,
                    filters=filters,
                    scope_query=scope_query,
                    by=request.user,
                )
            except services.NumberTaken as error:
                form.add_error("number", str(error))
            else:
                messages.success(request, _("Report %(number)s issued.") % {"number": issued.reference})
                return redirect(issued)
    return render(request, "exports/official_form.html", {"form": form, "draft": draft})


@province_required
def official_list(request):
    reports = IssuedReport.objects.for_user(request.user).select_related("issued_by")
    return render(request, "exports/official_list.html", {"reports": reports})


@login_required
def official_detail(request, pk):
    issued = get_object_or_404(IssuedReport.objects.for_user(request.user).select_related("issued_by"), pk=pk)
    return render(request, "exports/official_detail.html", {"issued": issued})


@login_required
def official_download(request, pk, part):
    """The issued report's Word file or its Excel annex, only through here (404 to anyone who may not see it)."""
    issued = get_object_or_404(IssuedReport.objects.for_user(request.user), pk=pk)
    file, suffix = (issued.report_file, "docx") if part == "report" else (issued.annex_file, "xlsx")
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{issued.file_stem}.{suffix}" if part == "report" else f"{issued.file_stem}-phu-luc.{suffix}"
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


@officer_required
def ministry_check(request):
    """Upload the Ministry's list of facilities that announced EMR and see how it differs from the portal."""
    form = MinistryListForm(request.POST or None, request.FILES or None)
    result = None
    if form.is_valid():
        try:
            result = ministry.cross_check(form.cleaned_data["file"], Facility.objects.for_user(request.user))
        except WorkbookError as error:
            form.add_error("file", str(error))
    return render(request, "exports/ministry_check.html", {"form": form, "result": result})
