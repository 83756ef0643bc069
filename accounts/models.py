from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FACILITY = "facility", _("Facility user")
    OFFICER = "officer", _("DoH officer")
    LEADERSHIP = "leadership", _("Leadership")
    AGENCY = "agency", _("Partner agency")


class User(AbstractUser):
    """A portal user. Facility users reach facilities through facilities.Membership (staff or head)."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.FACILITY)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    @property
    def is_officer(self) -> bool:
        return self.is_active and (self.role == Role.OFFICER or self.is_superuser)

    @property
    def is_leadership(self) -> bool:
        return self.is_active and self.role == Role.LEADERSHIP

    @property
    def is_agency(self) -> bool:
        """A partner agency's account (BHXH, police, a department, a commune People's Committee): facilities.Agency."""
        return self.is_active and self.role == Role.AGENCY

    @property
    def sees_all_facilities(self) -> bool:
        """DoH officers, leadership and administrators see the whole province."""
        return self.is_officer or self.is_leadership

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class PasswordResetRequest(models.Model):
    """One request for a password-reset e-mail: what was typed and from where, to rate-limit them (accounts.resets)."""

    email = models.CharField(_("e-mail typed"), max_length=254)
    address = models.GenericIPAddressField(_("network address"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            models.Index(fields=["email", "created_at"], name="accounts_reset_email_idx"),
            models.Index(fields=["address", "created_at"], name="accounts_reset_address_idx"),
        ]

    def __str__(self):
        return f"{self.email} ({self.address})"
