"""Thin Celery wrappers: they take ids and call the engine or the reminder services.

Every task is idempotent (the engine upserts; reminders claim a log row before sending), so a
retry or a duplicate delivery (acks_late) does no harm. Database errors are retried with
exponential backoff; other errors are bugs and fail at once.
"""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from . import reminders
from .engine import compute_compliance

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 30,  # 30 s, 60 s, 120 s... with jitter
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def recompute_facility(facility_id: int) -> None:
    """After an approval or a milestone's verification (compliance.services.schedule_facility_recompute, on
    commit): the facility's compliance as of today."""
    compute_compliance(timezone.localdate(), facility_ids=[facility_id])


@shared_task(**RETRY, soft_time_limit=10 * 60, time_limit=12 * 60)
def recompute_all() -> None:
    """Nightly (01:00, django-celery-beat): every active facility as of today, and today's snapshots."""
    compute_compliance(timezone.localdate())


# Reminders retry a mail server that is down too: claims of unsent e-mails are released, so a retry sends only those.
@shared_task(**(RETRY | {"autoretry_for": (DatabaseError, OSError)}), soft_time_limit=10 * 60, time_limit=12 * 60)
def send_report_reminders() -> int:
    """Daily: on the 1st and on the day before the due day, remind members of facilities without a report."""
    return reminders.send_report_reminders(today=timezone.localdate())


@shared_task(**(RETRY | {"autoretry_for": (DatabaseError, OSError)}), soft_time_limit=10 * 60, time_limit=12 * 60)
def send_weekly_digest() -> int:
    """Mondays: the DoH officers' digest of facilities behind schedule and items awaiting review."""
    return reminders.send_weekly_digest(today=timezone.localdate())
