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
