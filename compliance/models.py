"""Stored results of the compliance engine (SPEC section 6).

Pages and exports read these rows; they never recompute compliance during a request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from facilities.models import Area, Facility, FacilityType


class ComplianceStatus(models.TextChoices):
    """The deployment status: the first obligation, EMR deployed by the deadline (SPEC section 6)."""

    DEPLOYED_ON_TIME = "deployed_on_time", _("Deployed on time")
    DEPLOYED_LATE = "deployed_late", _("Deployed late")
    OVERDUE = "overdue", _("Overdue")
    NO_DATA = "no_data", _("No data")
    AT_RISK = "at_risk", _("At risk")
    ON_TRACK = "on_track", _("On track")


class PaperlessStatus(models.TextChoices):
    """The paperless status: the second obligation, paper records replaced from the paperless date."""

    PAPERLESS_ON_TIME = "paperless_on_time", _("Paper replaced on time")
    PAPERLESS_LATE = "paperless_late", _("Paper replaced late")
    PAPER_IN_USE = "paper_in_use", _("Paper still in use")
    NOT_DUE = "not_due", _("Not due yet")


# Both obligations' statuses and their labels (the codes never collide).
STATUS_LABELS = {**dict(ComplianceStatus.choices), **dict(PaperlessStatus.choices)}

RAG = {
    ComplianceStatus.DEPLOYED_ON_TIME: "green",
    ComplianceStatus.ON_TRACK: "green",
    ComplianceStatus.AT_RISK: "amber",
    ComplianceStatus.OVERDUE: "red",
    ComplianceStatus.DEPLOYED_LATE: "red",
    ComplianceStatus.NO_DATA: "grey",
    PaperlessStatus.PAPERLESS_ON_TIME: "green",
    PaperlessStatus.PAPERLESS_LATE: "red",
    PaperlessStatus.PAPER_IN_USE: "red",
    PaperlessStatus.NOT_DUE: "grey",
}


# Worst first: the order of the status column, the cards and the behind-schedule list.
STATUS_ORDER = [
    ComplianceStatus.OVERDUE,
    ComplianceStatus.AT_RISK,
    ComplianceStatus.DEPLOYED_LATE,
    ComplianceStatus.NO_DATA,
    ComplianceStatus.ON_TRACK,
    ComplianceStatus.DEPLOYED_ON_TIME,
]
PAPERLESS_ORDER = [
    PaperlessStatus.PAPER_IN_USE,
    PaperlessStatus.PAPERLESS_LATE,
    PaperlessStatus.NOT_DUE,
    PaperlessStatus.PAPERLESS_ON_TIME,
]
BEHIND = [ComplianceStatus.OVERDUE, ComplianceStatus.AT_RISK]
# "Missed the province deadline" (SPEC section 6): not deployed by it, or deployed after it.
MISSED_DEADLINE = [ComplianceStatus.OVERDUE, ComplianceStatus.DEPLOYED_LATE]


def status_severity() -> Case:
    """A sort key over `status` (a field or an annotation): overdue first, completed on time last, none after all."""
    return Case(
        *[When(status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)],
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )


class Projection(models.TextChoices):
    DATE = "date", _("Projected date")
    DEPLOYED = "deployed", _("Deployed: the deployment date, not a projection")
    NEVER = "never", _("Never (flat or falling progress)")
    UNKNOWN = "unknown", _("Unknown (fewer than 2 reports)")


class ComplianceResult(models.Model):
    """The fields one engine run computes for one facility as of one date."""

    as_of = models.DateField(_("as of"))
    # "compliance" context: the rollout status (tình trạng), not core's workflow status (trạng thái).
    status = models.CharField(pgettext_lazy("compliance", "status"), max_length=20, choices=ComplianceStatus.choices)
    reasons = models.JSONField(
        _("reasons"), default=list, help_text="The deployment status's reasons: compliance.reasons (code and values)."
    )
    deadline = models.DateField(_("deadline"))
    legal_deadline = models.DateField(_("legal deadline (TT 13/2025)"), null=True, blank=True)
    days_to_deadline = models.IntegerField(_("days to the deadline"))
    progress = models.DecimalField(_("progress"), max_digits=5, decimal_places=4, default=0)
    deployed = models.BooleanField(_("EMR deployed"), default=False)
    deployment_date = models.DateField(_("deployment date"), null=True, blank=True)
    after_legal_deadline = models.BooleanField(_("deployed after the legal deadline"), default=False)
    paperless_status = models.CharField(
        _("paperless status"), max_length=20, choices=PaperlessStatus.choices, default=PaperlessStatus.NOT_DUE
    )
    paperless_reasons = models.JSONField(_("paperless reasons"), default=list)
    paperless_from = models.DateField(_("paper replaced from"), null=True, blank=True)
    paperless_date = models.DateField(_("paper stopped on"), null=True, blank=True)
    projection = models.CharField(_("projection"), max_length=8, choices=Projection.choices, default=Projection.UNKNOWN)
    projected_completion = models.DateField(_("projected completion"), null=True, blank=True)
    latest_period = models.DateField(_("last counted report"), null=True, blank=True)
    latest_stage = models.PositiveSmallIntegerField(_("stage"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def rag(self) -> str:
        return RAG[self.status]

    @property
    def paperless_rag(self) -> str:
        return RAG[self.paperless_status]


class FacilityCompliance(ComplianceResult):
    """The facility's current compliance: the latest run's result."""

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, primary_key=True, related_name="compliance")

    class Meta:
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["paperless_status"], name="compliance_paperless_idx"),
            # The latest write: the version of the dashboard's memoised blocks (dashboard.memo).
            models.Index(fields=["computed_at"], name="compliance_written_idx"),
            # The dashboard's behind-schedule lists, worst first (ties by facility): their first rows read off
            # the index, however many facilities share a deadline and a progress.
            models.Index(
                status_severity(),
                F("days_to_deadline"),
                F("progress"),
                F("facility_id"),
                condition=Q(status__in=BEHIND),
                name="compliance_behind_order_idx",
            ),
        ]
        verbose_name = _("current compliance")
        verbose_name_plural = _("current compliance")

    def __str__(self):
        return f"{self.facility_id}: {self.status}"


class ComplianceSnapshot(ComplianceResult):
    """One row per facility per day; rerunning a day replaces its rows."""

    # No index of its own: the unique (facility, as_of) serves a facility's lookups, one index less per row written.
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="compliance_snapshots", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["facility", "as_of"], name="one_snapshot_per_facility_day")]
        indexes = [
            # A day's facilities of a status, and a past day's behind-schedule lists in their order (worst first,
            # ties by facility): their first rows read off the index instead of sorting 40,000 of a national day.
            models.Index(
                fields=["as_of", "status", "days_to_deadline", "progress", "facility"], name="snapshot_day_status_idx"
            ),
            models.Index(fields=["as_of", "paperless_status"], name="snapshot_day_paperless_idx"),
            # A day's latest write: the version of the dashboard's memoised trend (dashboard.memo).
            models.Index(fields=["as_of", "computed_at"], name="snapshot_day_written_idx"),
        ]
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")

    def __str__(self):
        return f"{self.facility_id} {self.as_of}: {self.status}"


class RollupCell(models.Model):
    """Where a rollup row counts: a day, a facility type, an area (empty: every area, the province's row) and an
    ownership. Not shown to anyone (no admin, no page): no translated names.

    The type and the area are foreign keys for Django (deleting a type or an area deletes its rows) but not for the
    database: the rows are computed from the facilities' own type and area and rebuilt whole by each nightly run,
    whose 80,000 rows at 60,000 facilities the deferred checks of those constraints held at its commit for 0.7-0.9 s.
    No index on either alone: the rows are read by day (the indexes below), and Django finds a deleted area's rows
    by reading the table, once, in the registry's rarest change."""

    day = models.DateField()
    type = models.ForeignKey(
        FacilityType, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    ownership = models.CharField(max_length=10)

    class Meta:
        abstract = True


class ComplianceRollup(RollupCell):
    """The dashboard's headline numbers, precomputed: active facilities per day × type × area × ownership ×
    deployment status × paperless status, with their count of deployed, of deployed after the legal deadline,
    their summed progress and latest computation (compliance.rollups keeps them, in the engine's transaction).

    `area` empty: the row adds up every area (the province's rows, what an unfiltered dashboard reads); an
    empty status: active facilities not computed yet. A day's rows are what the statuses of that day were
    at its last write; today's (or the latest day's) are the current statuses.
    """

    status = models.CharField(max_length=20, blank=True)
    paperless_status = models.CharField(max_length=20, blank=True)
    facilities = models.PositiveIntegerField(default=0)
    deployed = models.PositiveIntegerField(default=0)
    after_legal = models.PositiveIntegerField(default=0)
    progress = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    # Each facility's latest assessment approved as of the day (compliance.asof): how many have one, and the
    # budgets (VND) they state.
    assessed = models.PositiveIntegerField(default=0)
    budget_needed = models.PositiveBigIntegerField(default=0)
    budget_secured = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["day", "area"], name="rollup_day_area_idx"),
            # A write's province rows add up the area rows of its (type, ownership): read by this, not the whole day.
            models.Index(fields=["day", "type", "ownership"], name="rollup_day_type_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.type_id}/{self.area_id}/{self.ownership}: {self.status} {self.facilities}"


class ReportingRollup(RollupCell):
    """The dashboard's reporting completeness, precomputed: per day × reporting month (the six before the day) ×
    type × area × ownership, the active facilities' reports sent for that month by then, and those first sent by
    the due day (compliance.selectors.reporting_completeness()'s rule). Written with ComplianceRollup, by the same
    writes, plus every submission and return of a report; `area` empty: the province's rows. A cell with no
    report sent has no row.
    """

    period = models.DateField()
    reported = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["day", "area"], name="reporting_rollup_day_area_idx"),
            # With the month last: a report's submission re-adds the province's rows of its own month.
            models.Index(fields=["day", "type", "ownership", "period"], name="reporting_rollup_day_type_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.period:%m/%Y} {self.type_id}/{self.area_id}/{self.ownership}: {self.reported}"


class ReminderKind(models.TextChoices):
    REPORT_DUE = "report_due", _("Monthly report reminder (1st of the month)")
    REPORT_DUE_TOMORROW = "report_due_tomorrow", _("Monthly report reminder (day before the due day)")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly digest for DoH officers")


class ReminderLog(models.Model):
    """One reminder to one person: claimed (inserted) before sending, so nobody gets it twice.

    The unique key makes the claim atomic: a second run, even a concurrent one, fails to insert
    the same (kind, period, recipient) and skips that person. A failed send releases its claim.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    period = models.DateField(
        _("period"), help_text=_("The reported month for report reminders; the week's Monday for digests.")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period", "recipient"], name="one_reminder_per_kind_period_person")
        ]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self):
        return f"{self.kind} {self.period} → {self.email}"
