"""Short labels of the compliance reasons, for tables (compliance.reasons holds the full rules)."""

from django.utils.translation import gettext_lazy as _

from compliance.models import ComplianceStatus
from compliance.reasons import Reason

SHORT_REASONS = {
    Reason.COMPLETED_ON_TIME: _("completed on time"),
    Reason.COMPLETED_LATE: _("completed after the deadline"),
    Reason.OVERDUE: _("deadline passed"),
    Reason.NO_DATA: _("no approved data"),
    Reason.PROJECTED_LATE: _("projected late"),
    Reason.PROJECTED_NEVER: _("no progress"),
    Reason.STALE: _("no recent report"),
    Reason.MANDATORY_UNMET: _("mandatory criteria unmet"),
    Reason.EARLY_STAGE: _("early stage"),
    Reason.ON_TRACK: _("on track"),
}


def reasons_short(codes, status: str | None = None) -> list[tuple[str, str]]:
    """(short, full) labels of the reasons, leaving out the one that only repeats the status (kept when it is an
    overdue facility's only reason: a list of facilities behind schedule must say why each one is there)."""
    full = dict(Reason.choices)
    codes = list(codes or [])
    codes = [code for code in codes if code != status] or [code for code in codes if code == ComplianceStatus.OVERDUE]
    return [(str(SHORT_REASONS.get(code, code)), str(full.get(code, code))) for code in codes]
