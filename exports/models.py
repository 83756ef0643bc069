"""Excel exports built in the background: who asked, for what, how far along, and the file."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Building")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportError(models.TextChoices):
    """Why an export failed, stored as a code so each user reads it in their own language."""

    BROKER_DOWN = "broker_down", _("The background service is not available right now. Try again in a few minutes.")
    FAILED = "failed", _("The file could not be built. Try again; if it fails again, tell the administrator.")
    TIMEOUT = "timeout", _("Building the file took too long. Narrow the filters and try again.")
    FORBIDDEN = "forbidden", _("You may no longer download this kind of export.")
    INTERRUPTED = (
        "interrupted",
        _(
            "The background service stopped before finishing this import (no result after 40 minutes). "
            "Nothing was saved: import the file again."
        ),
    )
    UPLOAD_GONE = (
        "upload_gone",
        _(
            "The uploaded file is kept for one day and is no longer available. "
            "Nothing was saved: import the file again."
        ),
    )


class ExportQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user sees and downloads only the exports they made, of kinds they may still ask for.

        Anyone else's export answers 404, and so does one made before the user lost the right to
        that kind (an officer moved to a facility role no longer gets the review queue's file).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        from .kinds import KINDS

        return self.filter(user=user, kind__in=[key for key, kind in KINDS.items() if kind.allowed(user)])

    def downloadable(self, now=None):
        return self.filter(status=ExportStatus.READY, expires_at__gt=now or timezone.now())


def export_path(export: "Export", filename: str) -> str:
    """Under MEDIA_ROOT (outside the web root), named by the export's random id; served only by the view."""
    return f"exports/{export.user_id}/{export.pk}.xlsx"


class Export(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("kind"), max_length=30)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, blank=True, max_length=200)
    error = models.CharField(_("error"), max_length=20, choices=ExportError.choices, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["status", "expires_at"])]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.kind} {self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("exports:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status not in (ExportStatus.PENDING, ExportStatus.RUNNING)

    @property
    def is_downloadable(self) -> bool:
        return self.status == ExportStatus.READY and self.expires_at > timezone.now()

    @property
    def kind_label(self) -> str:
        from .kinds import KINDS

        kind = KINDS.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def download_name(self) -> str:
        from .kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.download_name(self.parameters) if kind else f"{self.kind}.xlsx"


class IssuedReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Issued reports are the province's: officers and leadership see them; anyone else gets 404."""
        if not user.is_authenticated or not user.sees_all_facilities:
            return self.none()
        return self

    def latest_for_scope(self, scope_query: str):
        return self.filter(scope_query=scope_query).order_by("-issued_on", "-issued_at").first()


def issued_report_path(report: "IssuedReport", filename: str) -> str:
    """Under MEDIA_ROOT (outside the web root), by year and a random name; served only by the authorised view."""
    return f"official/{report.year}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class IssuedReport(models.Model):
    """A report issued to the Provincial People's Committee: its number, its two files, who issued it and when.

    Read-only once issued (save() refuses an update; the admin cannot change it): a correction is a
    new report with a new number, as with any administrative document.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=30)
    as_of = models.DateField(_("figures as of"))
    issued_on = models.DateField(_("document date"))
    scope_query = models.CharField(_("filters"), max_length=500, blank=True)
    scope_text = models.CharField(_("scope"), max_length=500, blank=True)
    signer_authority = models.CharField(_("signing authority"), max_length=50)
    signer_title = models.CharField(_("signer's title"), max_length=50, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200)
    assessment = models.TextField(_("general assessment"), blank=True)
    recommendations = models.TextField(_("proposals"), blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    deployed = models.PositiveIntegerField(_("facilities deployed"))
    facilities = models.PositiveIntegerField(_("facilities in scope"))
    missed = models.PositiveIntegerField(_("facilities that missed the deadline"))
    report_file = models.FileField(_("report (Word)"), upload_to=issued_report_path, max_length=200)
    annex_file = models.FileField(_("annex (Excel)"), upload_to=issued_report_path, max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    objects = IssuedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number", "symbol"], name="one_issued_report_per_number"),
        ]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An issued report cannot change; issue a new one.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("exports:official_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """ "05/BC-SYT": the number as the document shows it."""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def file_stem(self) -> str:
        return f"bao-cao-{self.number:02d}-{self.symbol.lower()}-{self.issued_on:%Y%m%d}"
