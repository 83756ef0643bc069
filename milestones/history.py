"""A milestone's audit history as a timeline: who, when, which transition, which values changed (old -> new)."""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from core.history import Change

from .models import Milestone

TRACKED = [
    "date",
    "assessment",
    "number",
    "effective_date",
    "signer",
    "scope_inpatient",
    "scope_day_care",
    "scope_outpatient",
    "all_departments",
    "departments",
    "link",
    "evidence_name",
]
ACTIONS = {
    "created": gettext_lazy("Created"),
    "edited": gettext_lazy("Edited"),
    "submitted": gettext_lazy("Submitted"),
    "approved": gettext_lazy("Verified by the Department of Health"),
    "returned": gettext_lazy("Returned for changes"),
    "migrated": gettext_lazy("Carried over from the monthly reports"),
}


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    action: str
    reason: str
    comment: str = ""
    attested_by: str = ""
    head_confirmed: bool = False
    changes: list[Change] = field(default_factory=list)


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(gettext_lazy("yes") if value else gettext_lazy("no"))
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def milestone_timeline(milestone: Milestone) -> list[Entry]:
    """Newest first; one query whatever the number of entries (diffs are computed in memory)."""
    rows = list(milestone.history.select_related("history_user").order_by("history_date", "history_id"))
    entries, previous = [], None
    for row in rows:
        reason = row.history_change_reason or ""
        entry = Entry(
            when=row.history_date,
            who=row.history_user.display_name if row.history_user else "",
            action=str(ACTIONS.get(reason, reason or row.get_history_type_display())),
            reason=reason,
            comment=row.review_comment if reason == "returned" else "",
            attested_by=row.attested_by_name if reason == "submitted" else "",
            head_confirmed=row.head_confirmed,
        )
        if previous is not None:
            delta = row.diff_against(previous, included_fields=TRACKED)
            for change in sorted(delta.changes, key=lambda c: TRACKED.index(c.field)):
                label = Milestone._meta.get_field(change.field).verbose_name
                entry.changes.append(Change(label=str(label), old=_shown(change.old), new=_shown(change.new)))
        entries.append(entry)
        previous = row
    return entries[::-1]
