"""Large imports run by the worker: the flow and its threshold are described once, in core.import_jobs."""

import logging

from django.utils import timezone

from core import uploads
from core.models import ImportJob, ImportKind

from .models import ExportError, ExportStatus

logger = logging.getLogger(__name__)
REPORTED_ROWS = 1000  # rejected rows kept in a job's report; the counts cover every row


def import_fail(*, job_id, error: str) -> ImportJob | None:
    ImportJob.objects.filter(pk=job_id, status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]).update(
        status=ExportStatus.FAILED, error=error, finished_at=timezone.now()
    )
    return ImportJob.objects.filter(pk=job_id).first()


def import_release(*, job_id) -> None:
    ImportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(status=ExportStatus.PENDING)


def _result(report) -> dict:
    """The report as the page shows it: counts, file error, notes and the rejected rows with their errors."""
    rejected = [r for r in report.rows if r.outcome == "rejected"]
    return {
        "counts": report.counts,
        "file_error": str(report.file_error),
        "notes": [str(note) for note in report.notes],
        "rows": [
            {"row": r.row, "code": r.code, "errors": [[str(c), str(m)] for c, m in r.errors]}
            for r in rejected[:REPORTED_ROWS]
        ],
        "more": max(0, len(rejected) - REPORTED_ROWS),
    }


def import_run(*, job_id) -> ImportJob | None:
    """Claim a waiting job, check and commit its file (all or nothing), store the report, drop the upload.

    The claim is a conditional update, so a task delivered twice imports the file once.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    path = uploads.stashed(job.user, job.token)
    if path is None:
        return import_fail(job_id=job_id, error=ExportError.FAILED)
    if job.kind == ImportKind.FACILITIES:
        from facilities.imports import import_facilities

        report = import_facilities(path, by=job.user, commit=True)
    else:
        from reports.imports import import_reports

        report = import_reports(path, by=job.user, commit=True, allow_unchanged=job.allow_unchanged)
    uploads.discard(job.user, job.token)
    ImportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.READY,
        rows_total=len(report.rows),
        committed=report.committed,
        result=_result(report),
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
