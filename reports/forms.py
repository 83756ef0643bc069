"""The monthly report form, its rules (SPEC section 4) and the review forms.

`validate_report()` runs the same form on a dict of values, so the bulk Excel import
applies exactly the rules a nurse meets on the page.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import forms as core_forms
from core.forms import VersionedSubmitForm, VNDateField
from core.months import month_start
from core.spreadsheet import MAX_UPLOAD_BYTES
from facilities.models import Facility

from .fields import CountField, MonthField, PercentField, VNDField
from .models import REPORTED_STAGES, MonthlyReport, carried_over_values

FUTURE_PERIOD = _("This month has not started yet: report on the current month or an earlier one.")
PERIOD_BEFORE_PROGRAMME = _("The programme started in %(start)s: choose that month or a later one.")
ALREADY_REPORTED = _("The facility already has a report for %(month)s.")
FUTURE_DATE = _("This date is in the future.")
DATE_BEFORE_PROGRAMME = _("This date is before the programme started (%(start)s).")
DROP_NEEDS_EXPLANATION = _(
    "Fewer departments are live than in the last approved month (%(month)s: %(live)s). Explain why."
)
STAGE_BACK_NEEDS_EXPLANATION = _(
    "The stage is lower than in the last approved month (%(month)s: %(stage)s). Explain why."
)
SECURITY_DATE_REQUIRED = _("Give the date of the decision approving the security-level dossier.")
PARTS = [
    # (part, total, message): a part never exceeds its total.
    (
        "departments_live",
        "departments_total",
        _("Departments live cannot exceed the clinical departments (%(total)s)."),
    ),
    (
        "inpatient_electronic",
        "inpatient_records",
        _("Electronic records cannot exceed the inpatient records opened (%(total)s)."),
    ),
    (
        "outpatient_electronic",
        "outpatient_visits",
        _("Electronic records cannot exceed the outpatient visits (%(total)s)."),
    ),
    (
        "signers_with_certificate",
        "signers_total",
        _("Staff with a certificate cannot exceed the staff who sign records (%(total)s)."),
    ),
    ("staff_trained", "staff_total", _("Staff trained cannot exceed the staff total (%(total)s).")),
]
DATE_FIELDS = ["security_decision_date", "last_backup_date", "last_restore_test_date"]

# The form's sections, in the order a commune-station nurse fills them in. A title that is
# also another app's word for something else (the "Staff" role, an assessment's count of clinical
# departments) has a context: Django merges the catalogues and the other app's translation would win.
SECTIONS = [
    (
        _("Rollout stage"),
        ["stage", "stage_explanation"],
    ),
    (
        pgettext_lazy("report section", "Clinical departments"),
        ["departments_total", "departments_live", "departments_drop_explanation"],
    ),
    (
        _("Medical records this month"),
        ["inpatient_records", "inpatient_electronic", "outpatient_visits", "outpatient_electronic"],
    ),
    (
        _("Digital signatures and systems"),
        [
            "signers_total",
            "signers_with_certificate",
            "signed_share",
            "lis_live",
            "pacs_live",
            "bhxh_on_time_share",
            "vneid_sent",
        ],
    ),
    (
        _("Information security and backups"),
        ["security_approved", "security_decision_date", "last_backup_date", "last_restore_test_date"],
    ),
    (pgettext_lazy("report section", "Staff"), ["staff_total", "staff_trained"]),
    (_("Spending"), ["spending_to_date"]),
    (_("Difficulties and requests"), ["difficulties", "support_requested", "needs_escalation"]),
]
REPORT_FIELDS = [name for _title, names in SECTIONS for name in names]


def month_label(period: datetime.date) -> str:
    return f"{period:%m/%Y}"


@dataclass
class NewReportStart:
    """What the form of a new report starts from."""

    initial: dict  # the month, and the values carried over from `last_approved`
    last_approved: MonthlyReport | None
    existing: MonthlyReport | None  # the report the facility already has for that month, if any


def new_report_start(
    facility: Facility, today: datetime.date | None = None, month: datetime.date | None = None
) -> NewReportStart:
    """A new report's month and values, in two queries whatever the facility's history.

    The month is `month` when asked for (the facility page's "catch up" link), else last month, the one
    usually reported, or this month when last month already has a report. The values are those of the
    facility's last approved report.
    """
    today = today or timezone.localdate()
    last_month, this_month = month_start(today, 1), month_start(today)
    wanted = {last_month, this_month} | ({month} if month else set())
    # Unordered: the default ordering (month, facility code) would join the facility for nothing.
    reports = {r.period: r for r in MonthlyReport.objects.filter(facility=facility, period__in=wanted).order_by()}
    period = month or (this_month if last_month in reports else last_month)
    last = MonthlyReport.objects.last_approved(facility)
    return NewReportStart(
        initial={"period": period} | carried_over_values(last), last_approved=last, existing=reports.get(period)
    )


class MonthlyReportForm(forms.ModelForm):
    period = MonthField(label=_("Month"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MonthlyReport
        fields = ["period", *REPORT_FIELDS]
        field_classes = {
            "departments_total": CountField,
            "departments_live": CountField,
            "inpatient_records": CountField,
            "inpatient_electronic": CountField,
            "outpatient_visits": CountField,
            "outpatient_electronic": CountField,
            "signers_total": CountField,
            "signers_with_certificate": CountField,
            "staff_trained": CountField,
            "staff_total": CountField,
            "spending_to_date": VNDField,
            "signed_share": PercentField,
            "bhxh_on_time_share": PercentField,
            **dict.fromkeys(DATE_FIELDS, VNDateField),
        }
        widgets = {
            "stage_explanation": forms.Textarea(attrs={"rows": 2}),
            "departments_drop_explanation": forms.Textarea(attrs={"rows": 2}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "support_requested": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "stage_explanation": _("Only when the stage is lower than in the last approved month."),
            "departments_drop_explanation": _("Only when fewer departments are live than in the last approved month."),
            "stage": _(
                "The decision, the announcement and the end of paper records are milestones, recorded on the "
                "facility page when they happen."
            ),
            "spending_to_date": _("In đồng, e.g. 1.250.000.000"),
            "signed_share": _("0 to 100"),
            "bhxh_on_time_share": _("0 to 100"),
        }

    def __init__(self, *args, facility: Facility | None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility = facility
        self.instance.facility = facility
        self.today = today or timezone.localdate()
        # The legal steps after hospital-wide are milestones (SPEC section 4a), not a report's stage.
        self.fields["stage"].choices = [(stage.value, stage.label) for stage in REPORTED_STAGES]
        start = settings.PROGRAMME_START
        self.fields["period"].widget.set_years(range(start.year, self.today.year + 1))
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.existing_report = None
        # The last approved report before this month: the reference for drops and stages.
        self.previous = None

    @property
    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def clean_period(self):
        period = self.cleaned_data["period"]
        start = settings.PROGRAMME_START.replace(day=1)
        if period > self.today.replace(day=1):
            raise forms.ValidationError(FUTURE_PERIOD, code="future")
        if period < start:
            raise forms.ValidationError(PERIOD_BEFORE_PROGRAMME % {"start": month_label(start)}, code="too_early")
        return period

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period and self.facility is not None:
            # One at most (one report per facility and month): by id, not the default ordering's join.
            same_month = MonthlyReport.objects.filter(facility=self.facility, period=period)
            self.existing_report = same_month.exclude(pk=self.instance.pk).order_by("pk").first()
            if self.existing_report:
                self.add_error("period", forms.ValidationError(ALREADY_REPORTED % {"month": month_label(period)}))
            self.previous = MonthlyReport.objects.last_approved(self.facility, before=period)
        self._check_dates(data)
        self._check_parts(data)
        self._check_against_previous(data)
        if data.get("security_approved") and not data.get("security_decision_date"):
            self._error_once(data, "security_decision_date", SECURITY_DATE_REQUIRED)
        return data

    def _error_once(self, data, field, message):
        if field not in self.errors:
            self.add_error(field, forms.ValidationError(message))

    def _check_dates(self, data):
        start = settings.PROGRAMME_START
        for name in DATE_FIELDS:
            value = data.get(name)
            if value and value > self.today:
                self.add_error(name, forms.ValidationError(FUTURE_DATE, code="future"))
            elif value and value < start:
                message = DATE_BEFORE_PROGRAMME % {"start": date_format(start, "SHORT_DATE_FORMAT")}
                self.add_error(name, forms.ValidationError(message, code="too_early"))

    def _check_parts(self, data):
        for part, total, message in PARTS:
            if data.get(part) is not None and data.get(total) is not None and data[part] > data[total]:
                self.add_error(part, forms.ValidationError(message % {"total": data[total]}, code="exceeds"))

    def _check_against_previous(self, data):
        previous = self.previous
        if previous is None:
            return
        month = month_label(previous.period)
        live = data.get("departments_live")
        if live is not None and live < previous.departments_live and not data.get("departments_drop_explanation"):
            message = DROP_NEEDS_EXPLANATION % {"month": month, "live": previous.departments_live}
            self.add_error("departments_drop_explanation", forms.ValidationError(message, code="drop"))
        stage = data.get("stage")
        if stage is not None and stage < previous.stage and not data.get("stage_explanation"):
            message = STAGE_BACK_NEEDS_EXPLANATION % {"month": month, "stage": previous.get_stage_display()}
            self.add_error("stage_explanation", forms.ValidationError(message, code="stage_back"))

    def clean_stage_explanation(self):
        return self.cleaned_data["stage_explanation"].strip()

    def clean_departments_drop_explanation(self):
        return self.cleaned_data["departments_drop_explanation"].strip()


def validate_report(
    *,
    facility: Facility | None,
    values: Mapping,
    report: MonthlyReport | None = None,
    today: datetime.date | None = None,
) -> MonthlyReportForm:
    """Check `values` (model field names to Python values or text) with the form's rules.

    Fields left out keep the report's current values, or for a new report the carried-over
    ones. Returns the bound form: `.is_valid()`, `.errors` by field name, and `.instance`
    ready for `services.report_save_draft()`. With no facility (an import row whose code
    is unknown) only the rules that need no facility run, so its other errors still show.
    """
    if report is not None:
        base = {name: getattr(report, name) for name in ["period", *REPORT_FIELDS]}
        base["version"] = report.version
    else:
        base = {name: getattr(MonthlyReport(), name) for name in REPORT_FIELDS}
        if facility is not None:
            base |= new_report_start(facility, today).initial
    data = {name: value for name, value in (base | dict(values)).items() if value is not None}
    # A checkbox left out of the data means "no".
    return MonthlyReportForm(data, instance=report or MonthlyReport(), facility=facility, today=today)


class AttestationForm(VersionedSubmitForm):
    """The facility head takes responsibility for the submission (SPEC section 5).

    `version` is the report's version the page showed: a report changed since (or a post without
    it) is refused, so nobody submits figures they have not seen.
    """

    attested_by_name = forms.CharField(
        label=_("Full name of the facility head"),
        max_length=200,
        help_text=_("The head of the facility is accountable for the figures reported."),
    )
    confirm = forms.BooleanField(
        label=_("I, the facility head, confirm that this report is accurate and take responsibility for it."),
        error_messages={"required": _("Tick the box to confirm the report.")},
    )

    def clean_attested_by_name(self):
        name = self.cleaned_data["attested_by_name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the facility head's full name."))
        return name


class ReturnForm(core_forms.ReturnForm):
    label = _("What must the facility correct?")
    required_message = _("A comment is required to return a report.")


class ReportImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls, .ods or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
        help_text=_("One row per facility and month, with the columns of the template."),
    )
    allow_unchanged = forms.BooleanField(
        label=_("Some facilities really did not change since their last approved report: import those rows too"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
