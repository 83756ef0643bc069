"""Workflow transitions of monthly reports: every caller (pages, the bulk import, the demo) goes through here.

They wrap core.workflow (locking, state checks, version, history) and add the report's
side effects: an approval schedules the facility's compliance recompute.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from compliance.services import schedule_facility_recompute
from core import workflow

from .models import MonthlyReport

DUPLICATE_MONTH = _("The facility already has a report for this month.")


def report_save_draft(*, report: MonthlyReport, by, expected_version: int | None) -> MonthlyReport:
    """Create or update an editable report; a stale `expected_version` raises workflow.StaleEdit."""
    try:
        return workflow.save_draft(report, by=by, expected_version=expected_version)
    except IntegrityError:
        # Two people created the same month at once: the database's unique constraint decides.
        raise workflow.WorkflowError(DUPLICATE_MONTH) from None


def report_submit(*, report: MonthlyReport, by, attested_by_name: str) -> MonthlyReport:
    """Submit with the facility head's attestation; late submissions are allowed (and shown as late)."""
    return workflow.submit(report, by=by, attested_by_name=attested_by_name)


@transaction.atomic
def report_approve(*, report: MonthlyReport, by) -> MonthlyReport:
    report = workflow.approve(report, by=by)
    schedule_facility_recompute(report.facility_id)
    return report


def report_return(*, report: MonthlyReport, by, comment: str) -> MonthlyReport:
    """Send a submitted report back to the facility with the officer's comment (required)."""
    return workflow.return_for_changes(report, by=by, comment=comment)
