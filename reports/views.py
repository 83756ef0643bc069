from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.decorators import officer_required
from core import uploads
from core.import_jobs import import_start
from core.import_jobs import runs_in_background as background_import
from core.models import ImportKind
from core.replica import replica_view
from core.workflow import NOT_EDITABLE, WorkflowError
from facilities.access import facility_for, may_review, may_write, require, submission_for
from facilities.models import Facility

from . import services
from .fields import MonthField, MonthYearWidget
from .filters import MonthlyReportFilter, ReviewQueueFilter
from .forms import (
    AttestationForm,
    MonthlyReportForm,
    ReportImportForm,
    ReturnForm,
    new_report_start,
    validate_report,
)
from .history import report_timeline
from .imports import import_reports
from .models import MonthlyReport
from .queue import next_item, review_items
from .review import review_sections

PAGE_SIZE = 25


# What a report's pages show with it. A posted change (an edit, a submission, a decision) reads the facility only and
# redirects; a refused one loads the rest as its page draws it. At 60,000 facilities PostgreSQL took 3.9 ms to plan
# the pages' join of six tables against 1.1 ms for two, on every write.
PAGE_RELATED = ("facility__type", "facility__area", "submitted_by", "reviewed_by")
WRITE_RELATED = ("facility",)


def _report(request, pk, *, write: bool = False, review: bool = False, related=PAGE_RELATED) -> MonthlyReport:
    """The report if the user sees its facility (else 404, even for writes); see facilities.access."""
    reports = MonthlyReport.objects.select_related(*related)
    return submission_for(request, reports, pk, write=write, review=review)


@login_required
@replica_view
def report_list(request):
    reports = MonthlyReport.objects.for_user(request.user).select_related("facility__type", "facility__area")
    filterset = MonthlyReportFilter(request.GET, queryset=reports.with_late().order_by("-period", "facility__code"))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    code = request.GET.get("facility")
    facility = Facility.objects.for_user(request.user).filter(code=code).first() if code else None
    writable = list(Facility.objects.editable_by(request.user).order_by("code"))
    context = {"filter": filterset, "page": page, "facility": facility, "writable": writable}
    return render(request, "reports/list.html", context)


@officer_required
def review_queue(request):
    filters = ReviewQueueFilter(request.GET or None, queryset=Facility.objects.for_user(request.user))
    items = review_items(facilities=filters.qs, kind=filters.selected_kind())
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/review_queue.html", {"form": filters.form, "page": page})


@officer_required
def review_next(request):
    """The oldest submission awaiting review other than `?after=` (a review page's address); the queue when none."""
    facilities = Facility.objects.for_user(request.user)
    following = next_item(facilities=facilities, current_url=request.GET.get("after", ""))
    return redirect(following.url if following else reverse("reports:review_queue"))


def _requested_month(request):
    """`?month=2026-08` (or 08/2026) preselects a month, e.g. from the facility page's "catch up" link."""
    try:
        return MonthField(required=False).clean(request.GET.get("month", ""))
    except ValidationError:
        return None


def _edit(request, facility: Facility, report: MonthlyReport):
    new = report.pk is None
    start = new_report_start(facility, month=_requested_month(request)) if new and request.method == "GET" else None
    form = MonthlyReportForm(
        request.POST or None, instance=report, facility=facility, initial=start.initial if start else None
    )
    if not new and request.method == "GET" and request.GET.get("check"):
        # Sent here by a refused submission: the saved values with the rules they break next to the fields.
        form = validate_report(facility=facility, values={}, report=report)
        form.is_valid()
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_save_draft(
                report=form.instance, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draft saved. Check it, then submit it to the Department of Health."))
            return redirect(report)
    context = {"form": form, "facility": facility, "report": report}
    if start:
        context |= {"last_approved": start.last_approved, "existing": start.existing}
    else:
        # A form sent back with its errors, or an existing report: the month's other report as the form found it.
        context["last_approved"] = MonthlyReport.objects.last_approved(facility) if new else None
        # (a saved report has no other of its month: one report per facility and month)
        context["existing"] = form.existing_report
    return render(request, "reports/form.html", context)


@login_required
def report_create(request, code):
    facility = facility_for(request, code, write=True)
    return _edit(request, facility, MonthlyReport(facility=facility))


@login_required
def report_edit(request, pk):
    report = _report(request, pk, write=True, related=WRITE_RELATED if request.method == "POST" else PAGE_RELATED)
    if not report.is_editable:
        messages.error(request, NOT_EDITABLE)
        return redirect(report)
    return _edit(request, report.facility, report)


def _detail(request, report, *, attestation=None, return_form=None, status=200):
    can_write = may_write(request.user, report.facility_id)
    previous, sections = review_sections(report)
    following = None
    if request.user.is_officer:
        following = next_item(facilities=Facility.objects.for_user(request.user), current_url=report.get_absolute_url())
    context = {
        "report": report,
        "facility": report.facility,
        "can_write": can_write and report.is_editable,
        "can_review": may_review(request.user) and report.status == "submitted",
        "attestation": attestation
        or AttestationForm(initial={"attested_by_name": report.facility.head_name, "version": report.version}),
        "return_form": return_form or ReturnForm(),
        "sections": sections,
        "previous": previous,
        "next_item": following,
        "timeline": report_timeline(report),
    }
    return render(request, "reports/detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    return _detail(request, _report(request, pk))


@login_required
def report_submit(request, pk):
    report = _report(request, pk, related=WRITE_RELATED)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, report.facility_id, write=True)
    form = AttestationForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, attestation=form)
    try:
        report = services.report_submit(
            report=report,
            by=request.user,
            attested_by_name=form.cleaned_data["attested_by_name"],
            expected_version=form.cleaned_data["version"],
        )
    except services.ReportInvalid as exc:
        messages.error(request, str(exc))
        return redirect(reverse("reports:edit", args=[report.pk]) + "?check=1")
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(report)
    if report.is_late:
        due = date_format(report.due_date, "SHORT_DATE_FORMAT")
        messages.warning(
            request, _("Submitted after the due date (%(due)s): the report is marked late.") % {"due": due}
        )
    else:
        messages.success(request, _("Report submitted to the Department of Health."))
    return redirect(report)


@login_required
def report_approve(request, pk):
    report = _report(request, pk, review=True, related=WRITE_RELATED)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.report_approve(report=report, by=request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(report)
    messages.success(request, _("Report %(report)s approved.") % {"report": report})
    return redirect("reports:review_queue")


@login_required
def report_return(request, pk):
    report = _report(request, pk, review=True, related=WRITE_RELATED)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, return_form=form)
    try:
        services.report_return(report=report, by=request.user, comment=form.cleaned_data["comment"])
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(report)
    messages.success(request, _("Report %(report)s returned to the facility.") % {"report": report})
    return redirect("reports:review_queue")


@login_required
def period_check(request, code):
    """The note beside the month selects: does the chosen month already have a report? (htmx)"""
    facility = facility_for(request, code, write=True)
    try:
        period = MonthField(required=False).clean(MonthYearWidget().value_from_datadict(request.GET, None, "period"))
    except ValidationError:
        period = None
    current = request.GET.get("report", "")
    existing = MonthlyReport.objects.filter(facility=facility, period=period).exclude(
        pk=int(current) if current.isdigit() else None
    )
    context = {"existing": existing.first() if period else None}
    return render(request, "reports/includes/period_note.html", context)


@officer_required
def report_import(request):
    """Upload, then preview every row with its errors; a clean file can be committed with its token.

    A file above EXPORT_BACKGROUND_THRESHOLD rows is only kept here: the worker checks, previews and commits it
    (core.import_jobs) and the user is sent to the job's progress page.
    """
    form = ReportImportForm(request.POST or None, request.FILES or None)
    preview = token = None
    if form.is_valid():
        token = uploads.stash(request.user, form.cleaned_data["file"])
        if background_import(uploads.stashed(request.user, token)):
            job = import_start(
                user=request.user,
                kind=ImportKind.REPORTS,
                token=token,
                allow_unchanged=form.cleaned_data["allow_unchanged"],
            )
            return redirect(job)
        preview = import_reports(
            uploads.stashed(request.user, token),
            by=request.user,
            commit=False,
            allow_unchanged=form.cleaned_data["allow_unchanged"],
        )
        if not preview.ok:
            uploads.discard(request.user, token)
            token = None
    context = {"form": form, "report": preview, "token": token, "allow_unchanged": form.data.get("allow_unchanged")}
    return render(request, "reports/import.html", context)


@officer_required
@require_POST
def report_import_commit(request):
    token = request.POST.get("token", "")
    path = uploads.stashed(request.user, token)
    if path is None:
        messages.error(request, _("The uploaded file is no longer available. Upload it again."))
        return redirect("reports:import")
    allow_unchanged = bool(request.POST.get("allow_unchanged"))
    result = import_reports(path, by=request.user, commit=True, allow_unchanged=allow_unchanged)
    if not result.committed:  # the data changed since the preview: show why, nothing was saved
        uploads.discard(request.user, token)
        return render(request, "reports/import.html", {"form": ReportImportForm(), "report": result})
    uploads.discard(request.user, token)
    count = len(result.reports)
    messages.success(
        request,
        ngettext(
            "%(count)s report imported and submitted for review.",
            "%(count)s reports imported and submitted for review.",
            count,
        )
        % {"count": count},
    )
    return redirect("reports:import")
