"""Thin Celery wrappers: they take ids and call the engine."""

from celery import shared_task
from django.utils import timezone

from .engine import compute_compliance


@shared_task
def recompute_facility(facility_id: int) -> None:
    compute_compliance(timezone.localdate(), facility_ids=[facility_id])


@shared_task
def recompute_all() -> None:
    compute_compliance(timezone.localdate())
