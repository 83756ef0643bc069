"""`make test` runs the suite in two processes (pytest-xdist). Each keeps its own test database (pytest-django
names it after the worker) but they share the Redis servers, so each worker's cache keys and Celery queue
carry its name: no worker empties, or runs the tasks of, another's."""

import os

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def isolate_worker() -> None:
    """Name this worker's cache keys and default queue; called before any test touches either."""
    if not WORKER:
        return
    from rollout_portal.celery import app

    settings.CACHES["default"]["KEY_PREFIX"] = WORKER
    app.conf.task_default_queue = f"celery-{WORKER}"


def clear_cache() -> None:
    """Empty this process's cache: on Redis, clear() would empty the database the other worker uses too."""
    cache = caches["default"]  # the backend itself: `django.core.cache.cache` is a proxy to it
    if not (WORKER and isinstance(cache, RedisCache)):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
    if keys:
        client.delete(*keys)
