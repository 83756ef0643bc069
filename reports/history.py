"""A report's audit history as a timeline: who, when, which transition, which values changed (old -> new)."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from core.history import Change

from .display import display
from .forms import REPORT_FIELDS
from .models import MonthlyReport

TRACKED = ["period", *REPORT_FIELDS]
ACTIONS = {
    "created": gettext_lazy("Created"),
    "edited": gettext_lazy("Edited"),
    "submitted": gettext_lazy("Submitted"),
    "approved": gettext_lazy("Approved"),
    "returned": gettext_lazy("Returned for changes"),
}


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    action: str
    reason: str
    comment: str = ""
    attested_by: str = ""
    changes: list[Change] = field(default_factory=list)


def report_timeline(report: MonthlyReport) -> list[Entry]:
    """Newest first; one query whatever the number of entries (diffs are computed in memory)."""
    rows = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    order = {name: i for i, name in enumerate(TRACKED)}
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
        )
        if previous is not None:
            delta = row.diff_against(previous, included_fields=TRACKED)
            for change in sorted(delta.changes, key=lambda c: order[c.field]):
                label = MonthlyReport._meta.get_field(change.field).verbose_name
                entry.changes.append(
                    Change(
                        label=str(label), old=display(change.field, change.old), new=display(change.field, change.new)
                    )
                )
        entries.append(entry)
        previous = row
    return entries[::-1]
