"""Milestones (SPEC section 4a): the legal steps of going live, each recorded when it happens.

A milestone is a submission like the others (core.workflow: draft -> submitted -> approved, or
returned), except that the DoH's approval of a milestone is called verification in the UI.
One milestone of each kind per facility: a wrong one is returned and corrected, never duplicated.
`head_confirmed` is true only when the facility head's own account submitted it; otherwise
staff typed the head's name and the milestone shows "chưa có xác nhận của người đứng đầu".
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Status, Submission
from facilities.models import Facility


class MilestoneKind(models.TextChoices):
    # In their legal order: self-assessed <= decision <= announced; paper stopped >= decision.
    SELF_ASSESSED = "self_assessed", _("Self-assessed against TT 13/2025")
    DECISION = "decision", _("Decision to use EMR in place of paper records")
    ANNOUNCED = "announced", _("Announced on the Ministry of Health's EMR portal")
    PAPER_STOPPED = "paper_stopped", _("Paper medical records stopped")


def evidence_path(instance, filename):
    """Stored under MEDIA_ROOT (outside the web root) with a random name; the original name is kept apart."""
    return f"milestones/{instance.facility.code}/{uuid.uuid4().hex}"


class MilestoneQuerySet(models.QuerySet):
    def for_user(self, user):
        return Facility.objects.for_user(user).restrict(self)

    def verified(self):
        return self.filter(status=Status.APPROVED)

    def awaiting_review(self):
        return self.filter(status=Status.SUBMITTED)


class Milestone(Submission):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("milestone"), max_length=20, choices=MilestoneKind.choices)
    date = models.DateField(_("date"))
    # self_assessed: the approved assessment it rests on.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    # decision
    number = models.CharField(_("decision number"), max_length=100, blank=True)
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    # decision and paper_stopped: which treatment and departments it covers.
    scope_inpatient = models.BooleanField(_("inpatient"), default=True)
    scope_day_care = models.BooleanField(_("day care"), default=True)
    scope_outpatient = models.BooleanField(_("outpatient"), default=True)
    all_departments = models.BooleanField(_("all departments"), default=True)
    departments = models.TextField(_("departments covered"), blank=True)
    # announced
    link = models.URLField(_("link"), max_length=500, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    head_confirmed = models.BooleanField(_("confirmed by the facility head's own account"), default=False)

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["facility", "date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [models.UniqueConstraint(fields=["facility", "kind"], name="one_milestone_per_facility_kind")]
        indexes = [
            models.Index(
                fields=["submitted_at", "facility"],
                condition=Q(status=Status.SUBMITTED),
                name="milestone_awaiting_review_idx",
            ),
        ]

    def __str__(self):
        return f"{self.facility.code} – {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("milestones:detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.status == Status.APPROVED

    @property
    def scope_labels(self) -> list[str]:
        """The treatment the decision or the paper stop covers, as shown."""
        labels = [
            (self.scope_inpatient, _("inpatient")),
            (self.scope_day_care, _("day care")),
            (self.scope_outpatient, _("outpatient")),
        ]
        return [str(label) for flag, label in labels if flag]
