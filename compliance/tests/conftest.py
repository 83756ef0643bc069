import contextlib
import datetime
import socket

import pytest
import time_machine

from compliance.engine import compute_compliance
from compliance.models import FacilityCompliance
from core.tests.dates import local_noon
from rollout_portal.celery import app as celery_app


@pytest.fixture
def compute(db):
    """Travel to noon of day D, run the engine for D and return the facility's current compliance."""

    def run(day: datetime.date, facility=None, facility_ids=None):
        with time_machine.travel(local_noon(day), tick=False):
            counts = compute_compliance(day, facility_ids=facility_ids)
        if facility is None:
            return counts
        return FacilityCompliance.objects.get(facility=facility)

    return run


@contextlib.contextmanager
def broker_at(url: str, *, queue: str | None = None):
    """Publish this process's tasks to a real broker at `url` (on `queue`), not in-process.

    Sets the write URL (CELERY_BROKER_URL in the environment overrides `broker_url` itself) and
    resets Celery's cached connection pools and routes around the block.
    """
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.get("broker_write_url"), conf.task_routes

    def reset():
        celery_app._pool = celery_app.amqp._producer_pool = None
        celery_app.amqp.flush_routes()
        celery_app.amqp.__dict__.pop("router", None)

    conf.task_always_eager, conf.broker_write_url = False, url
    if queue:
        conf.task_routes = {"compliance.tasks.*": {"queue": queue}}
    reset()
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_write_url, conf.task_routes = saved
        reset()


@pytest.fixture
def unreachable_broker():
    """A broker address where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with broker_at(f"redis://127.0.0.1:{port}/0"):
        yield


@pytest.fixture
def hung_broker():
    """A broker that accepts connections and never answers: a listening socket that reads nothing."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        with broker_at(f"redis://127.0.0.1:{sock.getsockname()[1]}/0"):
            yield
