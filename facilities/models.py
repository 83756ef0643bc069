import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import fold
from core.validators import TEXT

FACILITY_CODE = RegexValidator(r"^[0-9A-Z]{5}$", _("The facility code has exactly 5 digits or capital letters."))
NATIONAL_ID = RegexValidator(r"^\d{13}$", _("The national facility identifier has exactly 13 digits."))
AREA_CODE = RegexValidator(r"^\d{5}$", _("The area code has exactly 5 digits."))


class AreaKind(models.TextChoices):
    COMMUNE = "xa", _("Commune")
    WARD = "phuong", _("Ward")
    SPECIAL_ZONE = "dac_khu", _("Special zone")


class Area(models.Model):
    """A commune-level unit (xã / phường / đặc khu); since 2025 there is no district level."""

    code = models.CharField(_("code"), max_length=5, unique=True, validators=[AREA_CODE])
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=8, choices=AreaKind.choices, default=AreaKind.COMMUNE)

    class Meta:
        ordering = ["name"]
        # Area selects read the first AREA_SELECT_LIMIT + 1 by name on every filtered page: a walk of this index,
        # not a sort of the country's 3,300 communes (1.6 ms a page).
        indexes = [models.Index(fields=["name", "code"], name="area_name_code_idx")]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name


class FacilityType(models.Model):
    """A facility type; `deadline` sets a type-wide EMR deadline over the province's (e.g. the legal dates)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_hospital = models.BooleanField(_("hospital"), default=False)
    deadline = models.DateField(_("EMR deadline for this type"), null=True, blank=True)
    # TT 13/2025 Article 4: hospitals by 30/09/2025, other facilities by 31/12/2026; shown beside the province's.
    legal_deadline = models.DateField(_("legal EMR deadline (TT 13/2025)"), null=True, blank=True)
    paperless_from = models.DateField(_("paper records replaced from"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("facility type")
        verbose_name_plural = _("facility types")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" else self.name


def per_type(rows: models.QuerySet, through: str = "") -> models.QuerySet:
    """`rows` grouped by facility type (reached through `through`, e.g. "facility__"), in the registry's order:
    annotate the aggregates after. Each group carries the type's code, names and sort order."""
    fields = [f"{through}type__{name}" for name in ("code", "name", "name_en", "sort_order")]
    return rows.values(*fields).order_by(f"{through}type__sort_order", f"{through}type__code")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    ARMY = "army", _("Army")
    POLICE = "police", _("Police")
    MINISTRY = "ministry", _("Other ministry")


class FacilityQuerySet(models.QuerySet):
    def for_user(self, user):
        """The facilities `user` may see. Every view, export and task scopes through here."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_facilities:
            return self
        if user.is_agency:
            # A commune People's Committee sees the facilities of its commune; other agencies none.
            return self.filter(area__agencies__memberships__user=user)
        return self.filter(memberships__user=user)

    def restrict(self, rows: models.QuerySet, via: str = "facility") -> models.QuerySet:
        """`rows`, whose required link `via` names a facility, limited to these facilities: how the submissions'
        for_user(), the review queue and the dashboard's count of what awaits review apply a facility scope.

        Every facility (an officer's or leader's unfiltered scope) adds no condition: the foreign key already ties
        each row to one, while `IN (SELECT id FROM facility)` has PostgreSQL hash all of them first (the review
        queue's count at 60,000 facilities and 38,000 items waiting: 70 → 9 ms, and 7 ms less planning).
        """
        query = self.query
        if query.where or query.is_sliced or query.combinator:
            return rows.filter(**{f"{via}__in": self})
        return rows

    def areas_for_user(self, user):
        """for_user() as whole areas, where it is a rule of areas: None for every facility, the areas of a commune
        People's Committee's accounts (none for other agencies), False for a facility member's own facilities."""
        if not user.is_authenticated or not user.is_active:
            return Area.objects.none()
        if user.sees_all_facilities:
            return None
        if user.is_agency:
            return Area.objects.filter(agencies__memberships__user=user)
        return False

    def editable_by(self, user):
        """The facilities whose submissions `user` may write: members only, never officers or leadership."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user)

    def active(self):
        return self.filter(is_active=True)

    def search(self, query: str):
        """Code, name or address, ignoring case and Vietnamese diacritics ("tan hong" finds "Tân Hồng")."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def with_deadline(self):
        """Annotate `effective_deadline`: the facility's extension, else its type's, else the province's."""
        return self.annotate(
            effective_deadline=Coalesce(F("deadline"), F("type__deadline"), Value(settings.EMR_DEADLINE))
        )


class Facility(models.Model):
    code = models.CharField(
        _("facility code"),
        max_length=5,
        unique=True,
        validators=[FACILITY_CODE],
        help_text=_("The 5-character KCB code used with Social Insurance."),
    )
    national_id = models.CharField(
        _("national facility identifier"), max_length=13, blank=True, validators=[NATIONAL_ID]
    )
    name = models.CharField(_("name"), max_length=255)
    type = models.ForeignKey(FacilityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="facilities")
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="facilities")
    address = models.CharField(_("address"), max_length=255, blank=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    has_inpatient = models.BooleanField(_("inpatient treatment"), default=False)
    has_daycare = models.BooleanField(_("day-care treatment"), default=False)
    has_outpatient = models.BooleanField(_("outpatient treatment"), default=True)
    bhyt_contract = models.BooleanField(_("health-insurance (BHYT) contract"), default=True)
    head_name = models.CharField(_("head's name"), max_length=200, blank=True)
    head_phone = models.CharField(_("head's phone"), max_length=20, blank=True)
    head_email = models.EmailField(_("head's e-mail"), blank=True)
    it_contact = models.CharField(_("IT contact"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    deadline = models.DateField(_("extended deadline"), null=True, blank=True)
    deadline_reason = models.TextField(_("reason for the extension"), blank=True, max_length=TEXT)
    deadline_document_number = models.CharField(_("extension document number"), max_length=100, blank=True)
    deadline_document_date = models.DateField(_("extension document date"), null=True, blank=True)
    search_text = models.CharField(max_length=600, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        # The registry's latest change: part of the version of the dashboard's memoised blocks.
        indexes = [
            models.Index(fields=["updated_at"], name="facility_updated_idx"),
            # The active facilities' ids, narrow: "facility in scope" (review and escalation counts) reads it,
            # not the wide table.
            models.Index(fields=["id"], condition=Q(is_active=True), name="facility_active_id_idx"),
        ]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text(self.code, self.name, self.address)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("facilities:detail", args=[self.code])

    @staticmethod
    def build_search_text(code: str, name: str, address: str) -> str:
        """The folded text search() matches; bulk writers must fill it with this too."""
        return fold(f"{code} {name} {address}")

    @cached_property
    def effective_deadline(self) -> datetime.date:
        """Same rule as FacilityQuerySet.with_deadline(), whose annotation fills this when present."""
        return self.deadline or self.type.deadline or settings.EMR_DEADLINE

    @property
    def legal_deadline(self) -> datetime.date | None:
        """TT 13/2025 Article 4 for the facility's type (hospitals 30/09/2025, others 31/12/2026)."""
        return self.type.legal_deadline

    @property
    def extension_beyond_legal(self) -> bool:
        """Rule (SPEC section 6, Extensions): an extension later than the type's legal deadline is allowed and
        marked "vượt thời hạn theo TT 13/2025" wherever it shows."""
        legal = self.type.legal_deadline
        return bool(self.deadline and legal and self.deadline > legal)


class MemberRole(models.TextChoices):
    STAFF = "staff", _("Staff")
    HEAD = "head", _("Facility head")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "facility"], name="unique_membership")]
        ordering = ["facility__code", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.facility.code} ({self.get_role_display()})"


class AgencyKind(models.TextChoices):
    """The partner agencies the provincial dispatch asks to report difficulties (SPEC section 1)."""

    SOCIAL_INSURANCE = "bhxh", _("Social Insurance (BHXH)")
    POLICE = "police", _("Provincial Police")
    SCIENCE = "science", _("Department of Science and Technology")
    FINANCE = "finance", _("Department of Finance")
    CULTURE = "culture", _("Department of Culture, Sports and Tourism")
    COMMUNE = "commune", _("Commune People's Committee")
    OTHER = "other", _("Other agency")


class Agency(models.Model):
    """A partner agency or a commune People's Committee (`area` set): its accounts report difficulties
    and see the escalation items that concern it; a commune's also see its facilities' status."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=AgencyKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="agencies"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="commune", area__isnull=False) | (~Q(kind="commune") & Q(area__isnull=True)),
                name="agency_area_only_for_communes",
            )
        ]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")

    def __str__(self):
        return self.name


class AgencyMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="unique_agency_membership")]
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")

    def __str__(self):
        return f"{self.user} @ {self.agency}"
