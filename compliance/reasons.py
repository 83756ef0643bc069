"""Reason codes stored with each compliance status, and their labels for users (SPEC section 6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    COMPLETED_ON_TIME = "completed_on_time", _("Paperless, with the decision and paper stop on or before the deadline")
    COMPLETED_LATE = "completed_late", _("Paperless, but completed after the deadline")
    OVERDUE = "overdue", _("The deadline has passed and the rollout is not complete")
    NO_DATA = "no_data", _("No approved monthly report and no approved assessment")
    PROJECTED_LATE = "projected_late", _("At the current pace, completion is projected after the deadline")
    PROJECTED_NEVER = "projected_never", _("Progress is flat or falling: completion cannot be projected")
    STALE = "stale", _("No approved report for either of the last two complete months")
    MANDATORY_UNMET = (
        "mandatory_unmet",
        _("Mandatory readiness criteria are not met (or no approved assessment) with fewer than 90 days left"),
    )
    EARLY_STAGE = "early_stage", _("Still before facility-wide rollout with fewer than 60 days left")
    ON_TRACK = "on_track", _("Progressing to finish before the deadline")


def reason_labels(codes: list[str]) -> list[str]:
    labels = dict(Reason.choices)
    return [str(labels.get(code, code)) for code in codes]
