"""The wiring end to end: a committed change -> Redis -> a real `celery worker` process -> stored compliance.

The worker is a separate process (as in production) consuming a queue of its own, so messages
other tests leave on the broker never reach it, and pointed at the test database, which is why
these tests commit (committed_db).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from kombu import Exchange, Queue

from assessments.tests.factories import AssessmentFactory
from compliance import tasks
from compliance.models import ComplianceSnapshot, FacilityCompliance
from compliance.services import schedule_facility_recompute
from core.models import Status
from core.tests.dates import month
from reports.tests.factories import MonthlyReportFactory
from rollout_portal.celery import app as celery_app

from .conftest import broker_at

pytestmark = [pytest.mark.broker, pytest.mark.postgres]
BASE_DIR = Path(settings.BASE_DIR)


def worker_database_url() -> str:
    """The test database (test_<name>), which the worker process must use to see what the test committed."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def purge(queue: str) -> None:
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)


def delete(queue: str) -> None:
    """Remove the queue and its exchange binding from the broker: the test leaves nothing behind."""
    with celery_app.connection_for_write() as conn:
        declared = Queue(queue, Exchange(queue), routing_key=queue).bind(conn.default_channel)
        declared.declare()  # so this channel knows the binding it deletes
        declared.delete()


@pytest.fixture
def worker(committed_db, tmp_path):
    """`celery -A rollout_portal worker` on a queue of its own, against the test database; stopped cleanly."""
    queue = f"compliance-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    env = os.environ | {"DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    command = [sys.executable, "-m", "celery", "-A", "rollout_portal", "worker", "-Q", queue, "-n", f"{queue}@%h"]
    command += ["--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"]
    with broker_at(settings.CELERY_BROKER_URL, queue=queue):
        purge(queue)
        with log.open("w") as output:
            process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: "ready." in log.read_text(), timeout=60, what=f"the worker to start:\n{log.read_text()}")
            yield log
        finally:
            process.terminate()  # warm shutdown: finish the current task, then exit
            try:
                assert process.wait(timeout=30) == 0, log.read_text()
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise
            delete(queue)


def wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def test_an_approval_through_the_web_is_recomputed_by_a_real_worker(worker, officer_client, facility):
    AssessmentFactory(approved=True, facility=facility)
    report = MonthlyReportFactory(
        counted=True, facility=facility, period=month("2026-02"), status=Status.SUBMITTED, reviewed_at=None
    )
    response = officer_client.post(reverse("reports:approve", args=[report.pk]))
    assert response.status_code == 302
    row = wait_until(
        lambda: FacilityCompliance.objects.filter(facility=facility).first(),
        timeout=30,
        what=f"the worker's recompute:\n{worker.read_text()}",
    )
    assert row.latest_period == month("2026-02") and row.status != "no_data"
    assert "compliance.tasks.recompute_facility[" in worker.read_text()


def test_a_real_worker_recomputes_a_facility_after_a_commit(worker, facility):
    AssessmentFactory(approved=True, facility=facility)
    MonthlyReportFactory(counted=True, facility=facility, period=month("2026-01"))
    with transaction.atomic():
        schedule_facility_recompute(facility.pk)
    row = wait_until(
        lambda: FacilityCompliance.objects.filter(facility=facility).first(),
        timeout=30,
        what=f"the worker's recompute:\n{worker.read_text()}",
    )
    assert row.latest_period == month("2026-01")
    assert "compliance.tasks.recompute_facility" in worker.read_text()


def test_a_real_worker_runs_the_nightly_recompute(worker, facility, other_facility):
    tasks.recompute_all.delay()
    wait_until(
        lambda: ComplianceSnapshot.objects.count() == 2,
        timeout=30,
        what=f"the nightly recompute:\n{worker.read_text()}",
    )
    assert FacilityCompliance.objects.count() == 2
