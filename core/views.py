from celery import current_app as celery_app
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "unreachable"


def broker_state() -> str:
    """The project's Celery app is the current one (rollout_portal/__init__.py loads it first)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    try:
        with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
            conn.default_channel.client.ping()
        return "ok"
    except Exception:
        return "unreachable"


@never_cache
def healthz(request):
    """200 while the database answers; the broker's state is reported, since tasks catch up later."""
    state = {"database": database_state(), "broker": broker_state()}
    state["status"] = "ok" if state["database"] == "ok" else "error"
    return JsonResponse(state, status=200 if state["status"] == "ok" else 503)
