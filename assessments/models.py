"""Readiness assessments against a versioned criteria catalogue (SPEC section 3)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Status, Submission
from facilities.models import Facility


class CatalogueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def current(self):
        """The newest published catalogue: the one new assessments are answered on."""
        return self.published().order_by("-version").first()


class Catalogue(models.Model):
    """One version of the criteria catalogue. Published versions are never edited: publish a new one."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    notes = models.TextField(_("notes"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("criteria catalogue")
        verbose_name_plural = _("criteria catalogues")

    def __str__(self):
        return f"v{self.version} – {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CriterionGroup(models.Model):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["catalogue", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="unique_group_code")]
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")

    def __str__(self):
        return f"{self.code}. {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" else self.name


class Mandatory(models.TextChoices):
    REQUIRED = "B", _("Mandatory")
    WHERE_APPLIES = "B?", _("Mandatory where it applies")
    RECOMMENDED = "N", _("Recommended")


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percentage")
    DATE = "date", _("Date")


class Criterion(models.Model):
    """A criterion; numbers and percentages are met at or above `threshold`, dates when given."""

    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=8)
    text = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"))
    mandatory = models.CharField(_("mandatory"), max_length=2, choices=Mandatory.choices)
    applicability_note = models.CharField(_("applicability note (Vietnamese)"), max_length=255, blank=True)
    applicability_note_en = models.CharField(_("applicability note (English)"), max_length=255, blank=True)
    applies_to_hospitals = models.BooleanField(_("applies to hospitals"), default=True)
    applies_to_others = models.BooleanField(_("applies to other facilities"), default=True)
    requires_bhyt = models.BooleanField(_("only with a BHYT contract"), default=False)
    requires_rented_software = models.BooleanField(_("only with rented or cloud software"), default=False)
    requires_health_checks = models.BooleanField(_("only for facilities doing health checks"), default=False)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    evidence = models.CharField(_("expected evidence (Vietnamese)"), max_length=255, blank=True)
    evidence_en = models.CharField(_("expected evidence (English)"), max_length=255, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    answer_type = models.CharField(
        _("answer type"), max_length=8, choices=AnswerType.choices, default=AnswerType.YES_NO
    )
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Catalogue v2 (SPEC section 3). `decides_compliance` is the legal definition of "EMR deployed" (domain.md
    # section 14), apart from the B / B? / N label that describes the criterion's own legal force.
    decides_compliance = models.BooleanField(
        _("decides compliance (legal definition of EMR deployed)"),
        default=False,
        help_text=_("Only these criteria, where they apply, decide whether mandatory criteria are met."),
    )
    legal_from = models.DateField(
        _("legally required from"),
        null=True,
        blank=True,
        help_text=_("Before this date the criterion shows the date and is no gap."),
    )
    also_applies_to_types = models.JSONField(
        _("also applies to facility types"),
        default=list,
        blank=True,
        help_text=_("Facility type codes a hospitals-only criterion also applies to (e.g. regional_centre)."),
    )
    not_applicable_allowed = models.BooleanField(
        _("may be answered not applicable"),
        default=False,
        help_text=_("For conditions the registry does not record (a laboratory, imaging…); a reason is required."),
    )
    threshold_by_doh = models.BooleanField(
        _("threshold chosen by the DoH"), default=False, help_text=_("The threshold is the DoH's choice, not law.")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="unique_criterion_code")]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.text_en if get_language() == "en" else self.text

    @property
    def evidence_label(self) -> str:
        return self.evidence_en if get_language() == "en" else self.evidence

    @property
    def applicability_label(self) -> str:
        return self.applicability_note_en if get_language() == "en" else self.applicability_note

    @property
    def is_mandatory(self) -> bool:
        """Decides compliance ("mandatory met"); the B / B? / N label is `mandatory`, shown beside it."""
        return self.decides_compliance

    def is_upcoming(self, today: datetime.date) -> bool:
        """Its legal date is still ahead: shown with that date, no gap yet."""
        return self.legal_from is not None and today < self.legal_from

    @property
    def is_measured(self) -> bool:
        """Numbers and percentages are compared with `threshold`."""
        return self.answer_type in (AnswerType.NUMBER, AnswerType.PERCENT)


IN_PROGRESS_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


class AssessmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return Facility.objects.for_user(user).restrict(self)

    def approved(self):
        return self.filter(status=Status.APPROVED)

    def awaiting_review(self):
        return self.filter(status=Status.SUBMITTED)

    def in_progress(self):
        """Draft, submitted or returned: a facility has at most one (a database constraint)."""
        return self.filter(status__in=IN_PROGRESS_STATUSES)


class Assessment(Submission):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="assessments")
    catalogue = models.ForeignKey(Catalogue, on_delete=models.PROTECT, related_name="assessments")
    his_vendor = models.CharField(_("HIS vendor"), max_length=200, blank=True)
    his_version = models.CharField(_("HIS version"), max_length=100, blank=True)
    emr_vendor = models.CharField(_("EMR vendor"), max_length=200, blank=True)
    it_staff_count = models.PositiveIntegerField(_("IT staff"), null=True, blank=True)
    clinical_departments = models.PositiveIntegerField(_("clinical departments"), null=True, blank=True)
    budget_needed = models.PositiveBigIntegerField(_("budget needed (VND)"), null=True, blank=True)
    budget_secured = models.PositiveBigIntegerField(_("budget secured (VND)"), null=True, blank=True)
    uses_rented_software = models.BooleanField(_("rented or cloud software"), default=False)
    does_health_checks = models.BooleanField(_("performs health checks"), default=False)
    # Derived from the answers by assessments.scoring whenever they are saved.
    score = models.DecimalField(_("readiness score"), max_digits=5, decimal_places=2, null=True, blank=True)
    mandatory_met = models.BooleanField(_("all mandatory criteria met"), default=False)
    # The codes of the compliance-deciding criteria not met, in catalogue order (read by the compliance engine).
    mandatory_gaps = models.JSONField(_("mandatory criteria not met"), default=list, blank=True)

    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["facility", "status", "-reviewed_at"]),
            # The latest change: the version of the dashboard's memoised budgets (dashboard.memo).
            models.Index(fields=["updated_at"], name="assessment_updated_idx"),
            # The review queue and the officer's dashboard: the oldest submitted first (5 ms -> 0.2 ms at 60,000
            # facilities, where the one-in-progress index was read whole and sorted), and their count.
            models.Index(
                fields=["submitted_at", "facility"],
                condition=models.Q(status=Status.SUBMITTED),
                name="assessment_awaiting_review_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["facility"],
                condition=models.Q(status__in=IN_PROGRESS_STATUSES),
                name="one_assessment_in_progress_per_facility",
            )
        ]
        verbose_name = _("readiness assessment")
        verbose_name_plural = _("readiness assessments")

    def __str__(self):
        return f"{self.facility.code} – {self.created_at:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])


class AnswerStatus(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


class Answer(models.Model):
    """A facility's answer to one criterion; `met` is derived by assessments.scoring when saved.

    `status` is the answer as the form gives it: met / partly met / not met / not applicable (the last only
    where the criterion allows it, with the reason in `note`). Yes/no criteria also keep `value_bool`
    (True only when met) so that readers of earlier answers keep working.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    value_bool = models.BooleanField(null=True, blank=True)
    value_number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    value_date = models.DateField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("answer"), max_length=8, choices=AnswerStatus.choices, blank=True)
    met = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="unique_answer")]

    def __str__(self):
        return f"{self.assessment_id}/{self.criterion.code}"


class SharedPlatformQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_user(self, user):
        """The DoH (officers, leadership) sees every platform; a facility user only the active platforms of the
        facilities they see (to read its evidence from their facility page)."""
        if user.is_authenticated and user.sees_all_facilities:
            return self
        return self.active().filter(
            pk__in=self.model.members.through.objects.filter(facility__in=Facility.objects.for_user(user)).values(
                "sharedplatform_id"
            )
        )


def platform_evidence_path(instance, filename):
    """A random name keeping the extension that core.evidence gave by the file's content (it decides the type
    served)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"platforms/{uuid.uuid4().hex}" + (f".{extension}" if extension.isalnum() else "")


class SharedPlatform(models.Model):
    """A platform the DoH runs for many facilities (e.g. the provincial HIS used by commune stations).

    The DoH declares, with the platform's own evidence, the criteria the platform meets; for each member
    facility those criteria count as met "qua nền tảng dùng chung" and the facility proves nothing for them.
    Criteria are matched by code, so a declaration holds across catalogue versions.
    """

    name = models.CharField(_("name"), max_length=255)
    operator = models.CharField(_("operated by"), max_length=255, default="Sở Y tế")
    description = models.TextField(_("description"), blank=True)
    criteria_codes = models.JSONField(_("criteria met by the platform (codes)"), default=list)
    evidence_description = models.TextField(
        _("platform evidence"), blank=True, help_text=_("Decision numbers and dates, e.g. the security-level approval.")
    )
    evidence_file = models.FileField(_("evidence file"), upload_to=platform_evidence_path, blank=True)
    members = models.ManyToManyField(
        Facility, verbose_name=_("member facilities"), related_name="platforms", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[members])
    objects = SharedPlatformQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("shared platform")
        verbose_name_plural = _("shared platforms")

    def __str__(self):
        return self.name


def evidence_path(instance, filename):
    """Stored under MEDIA_ROOT (outside the web root) with a random name; the original name is kept apart."""
    return f"evidence/{instance.assessment.facility.code}/{uuid.uuid4().hex}"


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user):
        return Facility.objects.for_user(user).restrict(self, via="assessment__facility")


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name
