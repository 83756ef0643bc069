import pytest

from rollout_portal.celery import app as celery_app


@pytest.fixture
def celery_worker(committed_db):
    """A real Celery worker (solo pool, in a thread) consuming from CELERY_BROKER_URL.

    Tests using it are marked `broker` and commit (committed_db), so the worker's own connection sees
    what the test wrote.
    """
    from celery.contrib.testing.worker import start_worker

    celery_app.control.purge()  # messages other tests left behind are not ours to run
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        yield
