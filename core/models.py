"""Building blocks shared by the submission apps (assessments and monthly reports)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .validators import TEXT


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
SENT_STATUSES = (Status.SUBMITTED, Status.APPROVED)  # with the DoH: waiting for review or accepted


class Submission(models.Model):
    """A facility's submission moving draft -> submitted -> approved (or returned and resubmitted).

    `version` is bumped on every save through core.workflow, so a stale form is refused
    instead of silently overwriting a colleague's edit.
    """

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attested_by_name = models.CharField(_("attested by (facility head)"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True, max_length=TEXT)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Building")
    CHECKED = "checked", _("Waiting for your confirmation")  # an import previewed, nothing saved yet
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ImportKind(models.TextChoices):
    FACILITIES = "facilities", _("Facility registry")
    REPORTS = "reports", _("Monthly reports")


class ImportJobQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user sees only the imports they started: anyone else's job answers 404."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)


class ImportJob(models.Model):
    """A large import checked, previewed and, once its user confirms, committed by the worker, all or nothing.

    The flow is core.import_jobs. The upload stays where core.uploads kept it (found by `token`
    in the user's folder); `result` holds the preview, then the report of the commit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    token = models.CharField(max_length=40)
    allow_unchanged = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    committed = models.BooleanField(_("saved"), default=False)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=20, blank=True)  # an exports.models.ExportError code
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.kind} import {self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("exports:import_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status not in (JobStatus.PENDING, JobStatus.RUNNING)

    @property
    def state_label(self) -> str:
        """The status as the list of imports shows it: a finished check says whether anything was saved."""
        if self.status == JobStatus.RUNNING:
            return _("Saving") if self.confirmed_at else _("Checking")
        if self.status == JobStatus.READY:
            return _("Saved") if self.committed else _("Not saved")
        return self.get_status_display()
