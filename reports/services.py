"""Workflow transitions of monthly reports: every caller (pages, the bulk import, the demo) goes through here.

They wrap core.workflow (locking, state checks, version, history) and add the report's
side effects: an approval schedules the facility's compliance recompute.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core import workflow

from .forms import validate_report
from .models import MonthlyReport

DUPLICATE_MONTH = _("The facility already has a report for this month.")
INVALID_AT_SUBMIT = _(
    "The report was not submitted: it no longer passes the checks (for example against a month approved "
    "since it was saved). Correct the fields shown, save the draft, then submit it."
)


class ReportInvalid(workflow.WorkflowError):
    """A submission refused because the report breaks a rule of SPEC section 4; `errors` by field name."""

    def __init__(self, errors):
        super().__init__(INVALID_AT_SUBMIT)
        self.errors = errors


def report_save_draft(*, report: MonthlyReport, by, expected_version: int | None) -> MonthlyReport:
    """Create or update an editable report; a stale or missing `expected_version` raises workflow.StaleEdit."""
    try:
        return workflow.save_draft(report, by=by, expected_version=expected_version)
    except IntegrityError:
        # Two people created the same month at once: the database's unique constraint decides.
        raise workflow.WorkflowError(DUPLICATE_MONTH) from None


@transaction.atomic
def report_submit(
    *, report: MonthlyReport, by, attested_by_name: str, expected_version: int | None = None
) -> MonthlyReport:
    """Submit with the facility head's attestation; late submissions are allowed (and shown as late).

    `expected_version` is the version the user read (the page's hidden field); code that submits
    what it has just saved (the bulk import) leaves it out and the version of `report` is used.
    The rules are checked again: an earlier month approved since the draft was saved may make a
    drop in departments live or a stage moving back need an explanation (ReportInvalid).
    """
    current = workflow.locked_editable(report, report.version if expected_version is None else expected_version)
    form = validate_report(facility=report.facility, values={}, report=current)  # a report never changes facility
    if not form.is_valid():
        raise ReportInvalid(form.errors)
    return workflow.submit(current, by=by, attested_by_name=attested_by_name)


def report_approve(*, report: MonthlyReport, by) -> MonthlyReport:
    """A DoH officer accepts the report; the facility's compliance is recomputed once this commits.

    The transition is its own transaction (core.workflow.approve): no second one around it."""
    return workflow.approve(report, by=by)


def report_return(*, report: MonthlyReport, by, comment: str) -> MonthlyReport:
    """Send a submitted report back to the facility with the officer's comment (required)."""
    return workflow.return_for_changes(report, by=by, comment=comment)
