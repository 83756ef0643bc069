"""The escalation register: every difficulty beyond a facility's (or an agency's) reach, from its words to
the People's Committee's direction.

An item comes from an approved monthly report marked "needs escalation" (the facility's words as
the DoH accepted them, never a draft or a returned report), or from a partner agency's account.
The DoH triages it: resolved by the DoH (with the action), handled with another agency (which),
or proposed to the People's Committee (the proposal); then UBND's direction (number, date,
content) and the outcome. Every change is kept in the history, with who and when.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilities.models import Agency, Facility


class EscalationState(models.TextChoices):
    OPEN = "open", _("Awaiting triage")
    WITH_AGENCY = "with_agency", _("Handled with another agency")
    PROPOSED = "proposed", _("Proposed to the People's Committee")
    DIRECTED = "directed", _("Directed by the People's Committee")
    RESOLVED = "resolved", _("Resolved")


OPEN_STATES = [EscalationState.OPEN, EscalationState.WITH_AGENCY, EscalationState.PROPOSED, EscalationState.DIRECTED]

# Which transitions each state allows (the services check them): triage from open; a referral may still
# need UBND; a direction closes with its outcome.
NEXT = {
    EscalationState.OPEN: {EscalationState.RESOLVED, EscalationState.WITH_AGENCY, EscalationState.PROPOSED},
    EscalationState.WITH_AGENCY: {EscalationState.RESOLVED, EscalationState.PROPOSED},
    EscalationState.PROPOSED: {EscalationState.DIRECTED},
    EscalationState.DIRECTED: {EscalationState.RESOLVED},
    EscalationState.RESOLVED: set(),
}

AGE_BUCKETS = [(0, 30), (30, 60), (60, None)]  # days since raised: under 30, 30 to 59, 60 and more


class EscalationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The items `user` may see. Officers and leadership: all. A facility's users (and a commune
        People's Committee, through its facilities): their facilities' items. An agency's users: the
        items it raised and those the DoH handles with it. Anyone else asking gets 404."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_facilities:
            return self
        return self.filter(
            Q(facility__in=Facility.objects.for_user(user))
            | Q(agency__memberships__user=user)
            | Q(partner__memberships__user=user)
        ).distinct()

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def concerning(self, facilities):
        """Items of `facilities` (a scoped queryset) and those partner agencies raised (they concern the province).

        An EXISTS probe per item, not `facility IN (facilities)`: beside the OR, PostgreSQL hashed all 60,000
        active facilities for each of the dashboard's three escalation queries (20-25 ms each) to keep a few items.
        """
        return self.filter(Exists(facilities.filter(pk=OuterRef("facility_id"))) | Q(facility__isnull=True))

    def as_of(self, day: datetime.date, since: datetime.date):
        """Items raised by `day` that were raised from `since` (the reporting window) or were still unresolved on `day`.

        Their state is today's: the register keeps each step's date in its history, not a state per day.
        """
        unresolved = Q(resolved_on__isnull=True) | Q(resolved_on__gt=day)
        return self.filter(Q(raised_on__gte=since) | unresolved, raised_on__lte=day)

    def proposed_since(self, since: datetime.datetime | None):
        """Items proposed to the People's Committee after `since` (the last issued report), oldest first."""
        items = self.filter(proposed_at__isnull=False)
        if since is not None:
            items = items.filter(proposed_at__gt=since)
        return items.order_by("proposed_at", "pk")

    def open_by_age(self, today: datetime.date) -> list[tuple[tuple[int, int | None], int]]:
        """Open items per age bucket (days since raised), one query."""
        aggregates = {}
        for low, high in AGE_BUCKETS:
            condition = Q(raised_on__lte=today - datetime.timedelta(days=low))
            if high is not None:
                condition &= Q(raised_on__gt=today - datetime.timedelta(days=high))
            aggregates[f"n{low}"] = models.Count("pk", filter=condition)
        row = self.open().aggregate(**aggregates)
        return [((low, high), row[f"n{low}"]) for low, high in AGE_BUCKETS]


class EscalationItem(models.Model):
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.OneToOneField(
        "reports.MonthlyReport",
        verbose_name=_("monthly report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalation",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("raised by agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_on = models.DateField(_("raised on"))
    difficulty = models.TextField(_("difficulty"))
    support_requested = models.TextField(_("support requested"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=EscalationState.choices, default=EscalationState.OPEN)
    action = models.TextField(_("DoH's action"), blank=True)
    partner = models.ForeignKey(
        Agency,
        verbose_name=_("handled with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations_handled",
    )
    proposal = models.TextField(_("proposal to the People's Committee"), blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    direction_number = models.CharField(_("direction document number"), max_length=100, blank=True)
    direction_date = models.DateField(_("direction date"), null=True, blank=True)
    direction_content = models.TextField(_("direction"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["raised_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(facility__isnull=False) | Q(agency__isnull=False), name="escalation_has_a_source"
            ),
        ]
        indexes = [models.Index(fields=["state", "raised_on"], name="escalation_state_idx")]
        verbose_name = _("escalation item")
        verbose_name_plural = _("escalation items")

    def __str__(self):
        return f"#{self.pk} {self.source}"

    def get_absolute_url(self):
        return reverse("escalations:detail", args=[self.pk])

    @property
    def source(self) -> str:
        """Who raised it: the facility, or the agency."""
        return self.facility.name if self.facility_id else str(self.agency)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def age(self, today: datetime.date | None = None) -> int:
        """Days since it was raised."""
        return ((today or timezone.localdate()) - self.raised_on).days

    def allows(self, state: str) -> bool:
        return state in NEXT[self.state]
