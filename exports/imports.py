"""Large imports run by the worker: the flow and its threshold are described once, in core.import_jobs."""

import hashlib
import json
import logging

from django.db import transaction
from django.utils import timezone

from core import uploads
from core.models import ImportJob, ImportKind, JobStatus

from .models import ExportError

logger = logging.getLogger(__name__)
REPORTED_ROWS = 1000  # rows kept in a job's report (rejected, and to be saved); the counts cover every row


def import_fail(*, job_id, error: str) -> ImportJob | None:
    ImportJob.objects.filter(pk=job_id, status__in=[JobStatus.PENDING, JobStatus.RUNNING]).update(
        status=JobStatus.FAILED, error=error, finished_at=timezone.now()
    )
    return ImportJob.objects.filter(pk=job_id).first()


def import_release(*, job_id) -> None:
    ImportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(status=JobStatus.PENDING)


def _facility_row(row) -> dict:
    return {"row": row.row, "code": row.code, "outcome": row.outcome, "changes": [list(c) for c in row.changes]}


def _report_row(row) -> dict:
    period = f"{row.period:%m/%Y}" if row.period else ""
    return {"row": row.row, "code": row.code, "outcome": row.outcome, "period": period}


def _preview(kind: str, report) -> dict:
    """The report as the page shows it: counts, notes, rejected rows, the rows to save (old → new for the
    registry) and a fingerprint of every row's outcome, which the commit compares to tell what changed since."""
    rejected = [r for r in report.rows if r.outcome == "rejected"]
    entry = _facility_row if kind == ImportKind.FACILITIES else _report_row
    entries = [entry(r) for r in report.rows]
    saved = [e for e in entries if e["outcome"] not in ("rejected", "unchanged")]
    # Only a file without refused rows is previewed for saving: the outcomes say everything (no errors to add).
    fingerprint = hashlib.sha256(json.dumps(entries, ensure_ascii=False).encode()).hexdigest()
    return {
        "counts": report.counts | ({"identical": report.unchanged} if kind == ImportKind.REPORTS else {}),
        "file_error": str(report.file_error),
        "notes": [str(note) for note in report.notes],
        "rows": [
            {"row": r.row, "code": r.code, "errors": [[str(c), str(m)] for c, m in r.errors]}
            for r in rejected[:REPORTED_ROWS]
        ],
        "more": max(0, len(rejected) - REPORTED_ROWS),
        "saved": saved[:REPORTED_ROWS],
        "more_saved": max(0, len(saved) - REPORTED_ROWS),
        "fingerprint": fingerprint,
    }


def _import(job: ImportJob, path, *, commit: bool):
    if job.kind == ImportKind.FACILITIES:
        from facilities.imports import import_facilities

        return import_facilities(path, by=job.user, commit=commit)
    from reports.imports import import_reports

    return import_reports(path, by=job.user, commit=commit, allow_unchanged=job.allow_unchanged)


def import_run(*, job_id) -> ImportJob | None:
    """Claim a waiting job and run its step: check and preview the file, or, once confirmed, commit it.

    The claim is a conditional update, so a task delivered twice runs its step once.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    path = uploads.stashed(job.user, job.token)
    if path is None:
        return import_fail(job_id=job_id, error=ExportError.UPLOAD_GONE)
    if job.confirmed_at is None:
        _check(job, path)
    else:
        _commit(job, path)
    job.refresh_from_db()
    return job


def _finish(job: ImportJob, report, result: dict, *, status: str, committed: bool = False) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        rows_total=len(report.rows),
        committed=committed,
        result=result,
        finished_at=None if status == JobStatus.CHECKED else timezone.now(),
    )


def _check(job: ImportJob, path) -> None:
    """Every row checked, nothing written: a clean file waits for the user's confirmation, a refused one ends."""
    report = _import(job, path, commit=False)
    if not report.ok:
        uploads.discard(job.user, job.token)
    _finish(job, report, _preview(job.kind, report), status=JobStatus.CHECKED if report.ok else JobStatus.READY)


def _commit(job: ImportJob, path) -> None:
    """Check again and commit in one transaction, only when every row comes out as the preview showed.

    Anything that moved since the preview (a facility edited, a report sent for the same month)
    refuses the whole file. The job's row stays locked until the commit ends, so a long commit is
    not taken for a dead worker (core.import_jobs.fail_lost skips locked jobs), and the job is
    marked saved in the same transaction as the rows.
    """
    with transaction.atomic():
        ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        report = _import(job, path, commit=True)
        result = _preview(job.kind, report)
        committed = report.committed and result["fingerprint"] == job.result.get("fingerprint")
        if committed:
            _finish(job, report, result, status=JobStatus.READY, committed=True)
        else:
            transaction.set_rollback(True)
    if not committed:
        _finish(job, report, result | {"changed_since_preview": True}, status=JobStatus.READY)
    uploads.discard(job.user, job.token)
