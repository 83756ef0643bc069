"""Starting exports: straight back when small, else recorded and queued for the worker (exports.builds)."""

import logging
import tempfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .builds import expiry_delay, export_fail
from .kinds import ExportKind
from .models import Export, ExportError
from .tasks import build_export

logger = logging.getLogger(__name__)


def runs_in_background(row_count: int) -> bool:
    """Small exports stream straight back; larger ones would hold a request (and a worker) too long."""
    return row_count > settings.EXPORT_BACKGROUND_THRESHOLD


def export_file(*, user, kind: ExportKind, parameters: dict):
    """Build an export now into a temporary file (rewound), for a direct download of a small export."""
    target = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes it after streaming
    kind.write(user, parameters, target, None)
    target.seek(0)
    return target


def export_start(*, user, kind: ExportKind, parameters: dict, row_count: int = 0) -> Export:
    """Record the export and enqueue its build once the transaction commits."""
    export = Export.objects.create(
        user=user,
        kind=kind.key,
        parameters=parameters,
        rows_total=row_count,
        expires_at=timezone.now() + expiry_delay(),
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id) -> None:
    """A broker that is down must not cost a 500: the export is marked failed with a clear message."""
    try:
        build_export.delay(str(export_id))
    except Exception:
        logger.exception("Could not enqueue export %s", export_id)
        export_fail(export_id=export_id, error=ExportError.BROKER_DOWN)
