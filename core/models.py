"""Building blocks shared by the submission apps (assessments and monthly reports)."""

from django.conf import settings
from django.db import models
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
