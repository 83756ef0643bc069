"""Thin Celery wrappers: they take ids and call exports.builds."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError

from . import builds
from .models import ExportError

# Transient failures worth another attempt; anything else is a bug that would fail again.
RETRY_ON = (DatabaseError, OSError)


@shared_task(bind=True, acks_late=True, max_retries=2, soft_time_limit=30 * 60, time_limit=35 * 60)
def build_export(self, export_id: str) -> None:
    try:
        builds.export_build(export_id=export_id)
    except SoftTimeLimitExceeded:
        builds.export_fail(export_id=export_id, error=ExportError.TIMEOUT)
    except RETRY_ON as exc:
        if self.request.retries >= self.max_retries:
            builds.export_fail(export_id=export_id, error=ExportError.FAILED)
            raise
        builds.export_release(export_id=export_id)
        raise self.retry(exc=exc, countdown=15 * (self.request.retries + 1)) from exc
    except Exception:
        builds.export_fail(export_id=export_id, error=ExportError.FAILED)
        raise


@shared_task(soft_time_limit=10 * 60, time_limit=15 * 60)
def cleanup_expired_exports() -> int:
    return builds.exports_cleanup()
