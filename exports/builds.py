"""Building, failing and expiring exports: what the worker runs (exports.tasks), and the tests directly.

exports.services starts an export and queues it; these functions hold the rest of its life.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from core import replica, uploads

from .models import Export, ExportError, ExportStatus, export_path

# A running export older than this has lost its worker (the task's hard limit is shorter).
STUCK_AFTER = datetime.timedelta(hours=2)
PROGRESS_EVERY = 500  # rows between two progress updates


def expiry_delay() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.EXPORT_EXPIRY_HOURS)


def export_build(*, export_id) -> Export | None:
    """Claim a waiting export, write its file under MEDIA_ROOT with progress, and mark it ready.

    The claim is a conditional update, so a task delivered twice builds the file once.
    """
    now = timezone.now()
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=now, progress=0, error=""
    )
    if not claimed:
        return None
    export = Export.objects.select_related("user").get(pk=export_id)
    from .kinds import KINDS

    kind = KINDS.get(export.kind)
    if kind is None or not kind.allowed(export.user):
        return export_fail(export_id=export_id, error=ExportError.FORBIDDEN)
    total = max(export.rows_total, 1)

    def progress(count: int) -> None:
        if count % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=export_id).update(progress=min(99, count * 100 // total))

    name = export_path(export, "")
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    try:
        # The rows from the replica (if any); the progress counter written meanwhile does not concern them.
        with replica.reads(follow_writes=False):
            rows = kind.write(export.user, export.parameters, str(partial), progress)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    finished = timezone.now()
    Export.objects.filter(pk=export_id).update(
        status=ExportStatus.READY,
        progress=100,
        rows_total=rows,
        file=name,
        finished_at=finished,
        expires_at=finished + expiry_delay(),
    )
    export.refresh_from_db()
    return export


def export_release(*, export_id) -> None:
    """Put a running export back in the queue before its task retries."""
    Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(status=ExportStatus.PENDING)


def export_fail(*, export_id, error: str) -> Export | None:
    Export.objects.filter(pk=export_id, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]).update(
        status=ExportStatus.FAILED, error=error, finished_at=timezone.now()
    )
    return Export.objects.filter(pk=export_id).first()


def exports_cleanup(*, now: datetime.datetime | None = None) -> int:
    """Delete expired export files and abandoned import uploads, fail exports whose worker vanished.

    Returns the count of exports expired.
    """
    now = now or timezone.now()
    uploads.discard_stale(now)
    Export.objects.filter(status=ExportStatus.RUNNING, started_at__lte=now - STUCK_AFTER).update(
        status=ExportStatus.FAILED, error=ExportError.TIMEOUT, finished_at=now
    )
    expired = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED).iterator():
        if export.file:
            default_storage.delete(export.file.name)
        Export.objects.filter(pk=export.pk).update(status=ExportStatus.EXPIRED, file="")
        expired += 1
    return expired
