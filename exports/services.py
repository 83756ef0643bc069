"""Starting exports: straight back when small, else recorded and queued for the worker (exports.builds)."""

import logging
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import official, provincial, selectors
from .builds import expiry_delay, export_fail
from .kinds import ExportKind
from .models import Export, ExportError, IssuedReport
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


NUMBER_TAKEN = _("This number has already been issued this year. Give the next free number.")


class NumberTaken(Exception):
    pass


def official_report_issue(
    *, report: official.OfficialReport, number: int, facilities, filters: str, scope_query: str, by
) -> IssuedReport:
    """Issue the report with `number`: write the Word report and its Excel annex from the same date and
    facilities, and keep both, read-only, with who issued them and when.

    `report` is the draft the officer edited (its `issued_on` is the document's date). The annex is the
    provincial workbook for the same date and filters, so the two files say the same numbers.
    A number already issued in the document's year raises NumberTaken (the database decides a race).
    """
    report.number = official.format_number(number)
    year = report.issued_on.year
    if IssuedReport.objects.filter(year=year, number=number, symbol=report.symbol).exists():
        raise NumberTaken(NUMBER_TAKEN)
    annex = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed below
    with annex:
        provincial.write_provincial_report(annex, selectors.provincial_report(report.as_of, facilities, filters))
        annex.seek(0)
        issued = IssuedReport(
            year=year,
            number=number,
            symbol=report.symbol,
            as_of=report.as_of,
            issued_on=report.issued_on,
            scope_query=scope_query,
            scope_text=report.scope,
            signer_authority=report.signer.authority,
            signer_title=report.signer.title,
            signer_name=report.signer.name,
            assessment=report.assessment,
            recommendations=report.recommendations,
            recipients="\n".join(report.recipients),
            deployed=report.total.deployed,
            facilities=report.total.total,
            missed=report.total.missed,
            issued_by=by,
        )
        issued.report_file.save("bao-cao.docx", ContentFile(official.official_report_bytes(report)), save=False)
        issued.annex_file.save("phu-luc.xlsx", annex, save=False)
    try:
        with transaction.atomic():
            issued.save()
    except IntegrityError:
        issued.report_file.delete(save=False)
        issued.annex_file.delete(save=False)
        raise NumberTaken(NUMBER_TAKEN) from None
    return issued
