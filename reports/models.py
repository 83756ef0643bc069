"""Monthly progress reports (SPEC section 4): one per facility per month."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import SENT_STATUSES, Status, Submission
from core.months import add_months, month_start, period_end  # noqa: F401  (month arithmetic: core.months)
from core.validators import LONG_TEXT, TEXT
from facilities.models import Facility


class Stage(models.IntegerChoices):
    """Rollout stages in order; they only move forward unless an explanation is given.

    A report states a stage up to "hospital-wide in parallel with paper" (REPORTED_STAGES). The legal
    steps after it are milestones (SPEC section 4a); 4-7 remain the scale on which pages and the
    compliance engine place "the furthest of the report's stage and the counted milestones".
    """

    NOT_STARTED = 0, _("Not started")
    PLANNED = 1, _("Planned")
    PILOT = 2, _("Pilot (some departments)")
    HOSPITAL_WIDE = 3, _("Facility-wide, in parallel with paper")
    SELF_ASSESSED = 4, _("Self-assessed (internal appraisal council)")
    DECISION_ISSUED = 5, _("Decision issued (EMR replaces paper)")
    ANNOUNCED = 6, _("Announced on the Ministry of Health portal")
    PAPERLESS = 7, _("Paperless (paper records stopped)")


REPORTED_STAGES = [Stage.NOT_STARTED, Stage.PLANNED, Stage.PILOT, Stage.HOSPITAL_WIDE]


def due_date(period: datetime.date) -> datetime.date:
    """The report for month M is due on the due day of month M+1."""
    return period_end(period) + datetime.timedelta(days=settings.REPORT_DUE_DAY)


# Fields a new report copies from the facility's last approved one: everything a facility
# states about itself; not the month, its difficulties, its requests or its explanations.
CARRIED_OVER_FIELDS = [
    "stage",
    "departments_total",
    "departments_live",
    "inpatient_records",
    "inpatient_electronic",
    "outpatient_visits",
    "outpatient_electronic",
    "signed_share",
    "lis_live",
    "pacs_live",
    "bhxh_on_time_share",
    "vneid_sent",
    "signers_total",
    "signers_with_certificate",
    "security_approved",
    "security_decision_date",
    "last_backup_date",
    "last_restore_test_date",
    "staff_trained",
    "staff_total",
    "spending_to_date",
]


def first_submission():
    """When the report was first sent to the DoH: lateness and timeliness are judged on it.

    A report sent on time, returned and sent again after the due day stays on time. Rows
    written without `first_submitted_at` (the benchmark's bulk rows) fall back to `submitted_at`.
    Every lateness rule reads the submission time through here or MonthlyReport.first_submission.
    """
    return Coalesce("first_submitted_at", "submitted_at")


def first_sent_before(moment: datetime.datetime) -> Q:
    """A filter: first sent before `moment` (the end of the due day: on time)."""
    return Q(LessThan(first_submission(), moment))


def was_sent(before: datetime.datetime | None = None) -> Q:
    """A filter: sent to the DoH and not returned (submitted or approved: what counts as reported, SPEC
    section 6), by `before` when given (the end of a past day)."""
    q = Q(status__in=SENT_STATUSES)
    return q & Q(submitted_at__lt=before) if before is not None else q


class MonthlyReportQuerySet(models.QuerySet):
    def for_user(self, user):
        return Facility.objects.for_user(user).restrict(self)

    def approved(self):
        return self.filter(status=Status.APPROVED)

    def sent(self):
        return self.filter(was_sent())

    def awaiting_review(self):
        return self.filter(status=Status.SUBMITTED)

    def with_late(self):
        """Annotate `submitted_late`: first submitted after the due day of the next month, in local time.

        Same rule as MonthlyReport.is_late, computed in the database (month numbers compared,
        then the day), so lists can filter on it whatever the period.
        """
        first = self.annotate(_first_submitted=first_submission())
        submitted_month = ExtractYear("_first_submitted") * 12 + ExtractMonth("_first_submitted")
        due_month = ExtractYear("period") * 12 + ExtractMonth("period") + 1
        return first.annotate(_submitted_month=submitted_month, _due_month=due_month).annotate(
            submitted_late=ExpressionWrapper(
                Q(_first_submitted__isnull=False)
                & (
                    Q(_submitted_month__gt=F("_due_month"))
                    | Q(_submitted_month=F("_due_month"), _first_submitted__day__gt=settings.REPORT_DUE_DAY)
                ),
                output_field=BooleanField(),
            )
        )

    def late(self, late: bool = True):
        qs = self.with_late()
        return qs.filter(submitted_late=True) if late else qs.exclude(submitted_late=True)

    def last_approved(self, facility, before: datetime.date | None = None):
        """The facility's latest approved report (before the month `before`, when given), or None."""
        qs = self.approved().filter(facility=facility)
        if before is not None:
            qs = qs.filter(period__lt=before)
        return qs.order_by("-period").first()


class MonthlyReport(Submission):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="monthly_reports")
    period = models.DateField(_("month"), help_text=_("The first day of the reported month."))

    stage = models.PositiveSmallIntegerField(_("rollout stage"), choices=Stage.choices, default=Stage.NOT_STARTED)
    stage_explanation = models.TextField(_("explanation for a stage moving back"), blank=True, max_length=TEXT)
    # No longer asked by any form, import or page: the decision, announcement and paper stop are milestones
    # (milestones 0003 copied them there). Kept until nothing reads them any more (the benchmark's generator
    # still writes them), then removed.

    departments_total = models.PositiveIntegerField(_("clinical departments"), default=0)
    departments_live = models.PositiveIntegerField(_("departments live on EMR"), default=0)
    departments_drop_explanation = models.TextField(
        _("explanation for fewer departments live"), blank=True, max_length=TEXT
    )

    inpatient_records = models.PositiveIntegerField(_("inpatient records opened"), default=0)
    inpatient_electronic = models.PositiveIntegerField(_("inpatient records, of which electronic"), default=0)
    outpatient_visits = models.PositiveIntegerField(_("outpatient visits"), default=0)
    outpatient_electronic = models.PositiveIntegerField(_("outpatient visits, of which electronic"), default=0)
    signed_share = models.DecimalField(
        _("EMR records fully digitally signed (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    lis_live = models.BooleanField(_("LIS live"), default=False)
    pacs_live = models.BooleanField(_("RIS/PACS live"), default=False)
    bhxh_on_time_share = models.DecimalField(
        _("BHXH signed XML sent on time (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    vneid_sent = models.BooleanField(_("VNeID health-book data sent for all patients"), default=False)

    signers_total = models.PositiveIntegerField(_("staff who sign records"), default=0)
    signers_with_certificate = models.PositiveIntegerField(_("signers holding a valid personal certificate"), default=0)

    security_approved = models.BooleanField(_("security-level dossier approved"), default=False)
    security_decision_date = models.DateField(_("security approval decision date"), null=True, blank=True)
    last_backup_date = models.DateField(_("last successful backup"), null=True, blank=True)
    last_restore_test_date = models.DateField(_("last restore test"), null=True, blank=True)

    staff_trained = models.PositiveIntegerField(_("staff trained on EMR"), default=0)
    staff_total = models.PositiveIntegerField(_("staff total"), default=0)
    spending_to_date = models.PositiveBigIntegerField(_("spending to date (VND)"), null=True, blank=True)

    difficulties = models.TextField(_("difficulties"), blank=True, max_length=LONG_TEXT)
    support_requested = models.TextField(_("support requested"), blank=True, max_length=LONG_TEXT)
    needs_escalation = models.BooleanField(_("needs escalation to the People's Committee"), default=False)

    # `submitted_at` is the last submission (review order, days waiting); this one is the first,
    # set once by save(): a resubmission after a return does not make an on-time report late.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "facility__code"]
        verbose_name = _("monthly progress report")
        verbose_name_plural = _("monthly progress reports")
        indexes = [
            # A facility's latest reports in a state; with the fields the compliance engine reads, so its
            # "last 6 counted reports of every facility" is an index-only scan (PostgreSQL; elsewhere the
            # included columns are left out).
            models.Index(
                fields=["facility", "status", "-period"],
                include=["stage", "departments_live", "departments_total", "reviewed_at"],
                name="report_facility_latest_idx",
            ),
            # The engine's "earliest paperless report" of a facility reads only these few rows.
            models.Index(
                fields=["facility", "period"],
                condition=Q(stage=Stage.PAPERLESS, status=Status.APPROVED),
                name="report_paperless_idx",
            ),
            # Reporting completeness counts a month's reports of the facilities in scope: every column it
            # reads is in the index, so at national scale it never visits the table (index-only scan).
            models.Index(
                fields=["period", "status", "facility", "submitted_at", "first_submitted_at"],
                name="report_month_status_idx",
            ),
            # A month's latest change: the version of the dashboard's memoised completeness (dashboard.memo).
            models.Index(fields=["period", "updated_at"], name="report_month_changed_idx"),
            # Reports awaiting review, oldest first (review queue, dashboard): a few thousand among millions.
            models.Index(
                fields=["submitted_at", "facility"],
                condition=Q(status=Status.SUBMITTED),
                name="report_awaiting_review_idx",
            ),
            # The same by facility: counting those of the facilities in scope (the dashboard, the queue's length)
            # merges it with the active facilities' index instead of hashing 60,000 facilities (31 -> 19 ms).
            models.Index(
                fields=["facility", "submitted_at"],
                condition=Q(status=Status.SUBMITTED),
                name="report_awaiting_facility_idx",
            ),
            # The few reports asking for escalation, by month (the dashboard's and the report's list).
            models.Index(fields=["period"], condition=Q(needs_escalation=True), name="report_escalation_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["facility", "period"], name="one_report_per_facility_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="report_period_first_of_month"),
            models.CheckConstraint(
                condition=Q(departments_live__lte=F("departments_total")), name="report_live_le_total"
            ),
            models.CheckConstraint(
                condition=Q(inpatient_electronic__lte=F("inpatient_records")), name="report_inpatient_e_le_total"
            ),
            models.CheckConstraint(
                condition=Q(outpatient_electronic__lte=F("outpatient_visits")), name="report_outpatient_e_le_total"
            ),
            models.CheckConstraint(
                condition=Q(signers_with_certificate__lte=F("signers_total")), name="report_certified_le_signers"
            ),
            models.CheckConstraint(condition=Q(staff_trained__lte=F("staff_total")), name="report_trained_le_staff"),
            models.CheckConstraint(
                condition=Q(signed_share__isnull=True) | Q(signed_share__gte=0, signed_share__lte=100),
                name="report_signed_share_percent",
            ),
            models.CheckConstraint(
                condition=Q(bhxh_on_time_share__isnull=True)
                | Q(bhxh_on_time_share__gte=0, bhxh_on_time_share__lte=100),
                name="report_bhxh_share_percent",
            ),
        ]

    def __str__(self):
        return f"{self.facility.code} – {self.period:%m/%Y}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        """Keep the first submission time: lateness is judged on it (see first_submission())."""
        if self.first_submitted_at is None and self.submitted_at is not None:
            self.first_submitted_at = self.submitted_at
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "first_submitted_at"}
        super().save(*args, **kwargs)

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=False):
        """Without the table's constraints unless asked: they are the report form's own rules (its month field,
        PARTS, the percent fields, one report a month), checked there in Python with their own wording, and
        Django would ask the database once for each (eight queries a form, 24 inside a submission's
        savepoints). The database still enforces every one of them on save."""
        super().full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints)

    @property
    def period_end(self) -> datetime.date:
        return period_end(self.period)

    @property
    def due_date(self) -> datetime.date:
        return due_date(self.period)

    @property
    def first_submission(self) -> datetime.datetime | None:
        """The Python side of first_submission(): when the report was first sent, if it was."""
        return self.first_submitted_at or self.submitted_at

    @property
    def is_late(self) -> bool:
        """First submitted after the due day (in the province's time zone); late submissions are allowed."""
        if self.first_submission is None:
            return False
        return timezone.localdate(self.first_submission) > self.due_date


def carried_over_values(last: MonthlyReport | None) -> dict:
    """The values a new report starts from: those of the facility's last approved report, `last`."""
    return {name: getattr(last, name) for name in CARRIED_OVER_FIELDS} if last else {}
