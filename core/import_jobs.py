"""Large imports: the web request keeps the file and queues a job (the worker's side is exports.imports).

Above EXPORT_BACKGROUND_THRESHOLD data rows (the exports' setting, one threshold for every
long spreadsheet job) an upload of the registry or of monthly reports is not checked in the
request: the file is kept by core.uploads and an ImportJob is queued. It goes through the
same preview → confirm as a small file, each step in the worker and through the same
functions as the pages (facilities.imports, reports.imports):

1. check: every row is checked and nothing is written; the job keeps the preview (counts, old →
   new for each changed field, row-by-row refusals) and waits for its user's confirmation
   (`checked`), or ends when any row is refused;
2. confirm (`import_confirm`): only the job's user, only a job waiting for it;
3. commit: the file is checked again and committed in one transaction, all or nothing, and only
   when every row comes out as the preview showed; anything that moved in between refuses it.

A job left running by a worker that died is marked failed when its user next looks (`fail_lost`).
"""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ImportJob, JobStatus

logger = logging.getLogger(__name__)
# The task's hard time limit (exports.tasks.run_import, 35 minutes) and a margin: a job still running after
# this lost its worker (killed, machine restarted). Its commit, one transaction, died with it.
LOST_AFTER = datetime.timedelta(minutes=40)


def row_estimate(path: Path) -> int:
    """The number of lines of the file's first sheet, read without loading it (0 when it cannot tell).

    An xlsx states its dimension (else its rows are streamed); a CSV's lines are counted. Other
    files (xls, ods, damaged files) answer 0 and are checked in the request as before, which
    reports what is wrong with them.
    """
    try:
        with open(path, "rb") as file:
            head = file.read(4)
            if head.startswith(b"PK"):
                from openpyxl import load_workbook

                file.seek(0)
                workbook = load_workbook(file, read_only=True, data_only=True)
                try:
                    sheet = workbook.worksheets[0]
                    return sheet.max_row or sum(1 for _row in sheet.iter_rows(values_only=True))
                finally:
                    workbook.close()
            if head.startswith(b"\xd0\xcf"):
                return 0
            file.seek(0)
            return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 16), b""))
    except Exception:  # noqa: BLE001 - an unreadable file is left to the request's check, which explains it
        return 0


def runs_in_background(path: Path) -> bool:
    return row_estimate(path) > settings.EXPORT_BACKGROUND_THRESHOLD


def import_start(*, user, kind: str, token: str, allow_unchanged: bool = False) -> ImportJob:
    """Record the job and enqueue it once the transaction commits."""
    job = ImportJob.objects.create(user=user, kind=kind, token=token, allow_unchanged=allow_unchanged)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def import_confirm(job: ImportJob) -> bool:
    """Queue the commit of a previewed job; False when the job was not waiting for confirmation."""
    confirmed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.CHECKED).update(
        status=JobStatus.PENDING, confirmed_at=timezone.now()
    )
    if confirmed:
        transaction.on_commit(lambda: _enqueue(job.pk))
    return bool(confirmed)


def _enqueue(job_id) -> None:
    """A broker that is down must not cost a 500: the job is marked failed with the exports' message."""
    from celery import current_app

    try:
        current_app.send_task("exports.tasks.run_import", args=[str(job_id)])
    except Exception:
        logger.exception("Could not enqueue import %s", job_id)
        ImportJob.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
            status=JobStatus.FAILED, error="broker_down", finished_at=timezone.now()
        )


def fail_lost(jobs, now: datetime.datetime | None = None) -> int:
    """Mark failed the jobs among `jobs` still running LOST_AFTER after they started; returns how many.

    Run when a user opens their imports, so no schedule is needed. A job whose commit still holds
    its row lock (exports.imports) is alive, however long it takes, and is skipped.
    """
    now = now or timezone.now()
    running = jobs.filter(status=JobStatus.RUNNING, started_at__lt=now - LOST_AFTER)
    if not running.exists():
        return 0  # the usual case: a plain read, no transaction, no lock (a write would pin the user to the primary)
    with transaction.atomic():
        lost = list(running.select_for_update(skip_locked=True).values_list("pk", flat=True))
        failed = {"status": JobStatus.FAILED, "error": "interrupted", "finished_at": now}
        return ImportJob.objects.filter(pk__in=lost).update(**failed)
