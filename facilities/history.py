"""A facility's registry history as a timeline: who, when, what kind of change, which values (old -> new)."""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.history import Change

from .models import Facility

KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
HIDDEN = {"id", "created_at"}


@dataclass
class Entry:
    when: object
    who: str
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _shown(facility_field, value) -> str:
    if value in (None, ""):
        return "—"
    if facility_field.choices:
        return str(dict(facility_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if hasattr(value, "strftime"):
        return date_format(value, "d/m/Y")
    return str(value)


def registry_timeline(facility: Facility, limit: int = 20) -> list[Entry]:
    """Newest first, one query: the oldest row shown is diffed against the one before it."""
    rows = list(facility.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for row, older in zip(rows, [*rows[1:], None][: len(rows)], strict=True):
        entry = Entry(
            when=row.history_date,
            who=row.history_user.display_name if row.history_user else "",
            kind=str(KINDS.get(row.history_type, row.history_type)),
            reason=row.history_change_reason or "",
        )
        if older is not None and row.history_type == "~":
            for change in row.diff_against(older, foreign_keys_are_objs=True).changes:
                if change.field in HIDDEN:
                    continue
                model_field = Facility._meta.get_field(change.field)
                old, new = _shown(model_field, change.old), _shown(model_field, change.new)
                entry.changes.append(Change(str(model_field.verbose_name), old, new))
        entries.append(entry)
    return entries[:limit]
