"""The audit timeline of an assessment: who changed what and when, old -> new, and each transition.

Built from django-simple-history rows in three queries whatever their number (assessment,
answers, evidence), by diffing consecutive rows of the same object with `diff_against`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from core.history import Change

from .models import Answer, AnswerStatus, AnswerType, Assessment, Criterion, Evidence

# Transitions are shown as such; these fields are what they set, not values the facility typed.
WORKFLOW_FIELDS = [
    "status",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "review_comment",
    "attested_by_name",
    "created_by",
    "facility",
    "catalogue",
]
TRACKED_FIELDS = [
    f.name for f in Assessment._meta.fields if f.editable and f.name not in WORKFLOW_FIELDS and not f.primary_key
]
MONEY_FIELDS = {"budget_needed", "budget_secured"}
# Answers saved in the same request as the assessment join its entry.
SAME_SAVE = datetime.timedelta(seconds=10)


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    action: str  # created, edited, submitted, approved, returned, evidence
    title: str
    detail: str = ""
    changes: list[Change] = field(default_factory=list)
    user_id: int | None = None


def _show(value, *, money: bool = False, unit: str = "") -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if unit:
        return _show(value) + unit
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if money:
        return f"{number_format(value, decimal_pos=0, force_grouping=True)} ₫"
    if isinstance(value, Decimal):
        return number_format(value.normalize() if value == value.to_integral() else value, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(value)


def _label(name: str) -> str:
    label = str(Assessment._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _who(row) -> str:
    return row.history_user.display_name if row.history_user else _("system")


TITLES = {
    "created": lambda: _("Created the assessment"),
    "edited": lambda: _("Saved changes"),
    "submitted": lambda: _("Submitted for review"),
    "approved": lambda: _("Approved"),
    "returned": lambda: _("Returned for changes"),
}


def _assessment_entries(rows) -> list[Entry]:
    entries, previous = [], None
    for row in rows:
        action = row.history_change_reason if row.history_change_reason in TITLES else "edited"
        entry = Entry(
            when=row.history_date, who=_who(row), action=action, title=TITLES[action](), user_id=row.history_user_id
        )
        if action == "submitted":
            entry.detail = _("Attested by the facility head: %(name)s") % {"name": row.attested_by_name}
        elif action == "returned":
            entry.detail = row.review_comment
        if previous is not None:
            changes = [
                (c.field, c.old, c.new) for c in row.diff_against(previous, excluded_fields=WORKFLOW_FIELDS).changes
            ]
        else:
            changes = [(name, None, getattr(row, name)) for name in TRACKED_FIELDS]
        for name, old, new in changes:
            if old in (None, "", False, []) and new in (None, "", False, []):
                continue
            money = name in MONEY_FIELDS
            entry.changes.append(Change(_label(name), _show(old, money=money), _show(new, money=money)))
        entries.append(entry)
        previous = row
    return entries


def _answer_value(row, criterion: Criterion | None):
    """The answer as shown: met / partly met / not met / not applicable for yes/no (and any N/A), else the value."""
    status = getattr(row, "status", "")
    if status and (status == AnswerStatus.NOT_APPLICABLE or (criterion and criterion.answer_type == AnswerType.YES_NO)):
        return str(AnswerStatus(status).label)
    if criterion is None:
        return row.value_bool if row.value_bool is not None else row.value_number or row.value_date
    if criterion.answer_type == AnswerType.YES_NO:
        return row.value_bool
    if criterion.answer_type == AnswerType.DATE:
        return row.value_date
    return row.value_number


def _answer_changes(rows, criteria: dict[int, Criterion]) -> list[tuple]:
    """(history row, [Change]) for each answer row that changed a value or a note."""
    result, last = [], {}
    for row in rows:
        criterion = criteria.get(row.criterion_id)
        code = criterion.code if criterion else "?"
        before = last.get(row.id)
        old_value = _answer_value(before, criterion) if before else None
        old_note = before.note if before else ""
        changes = []
        new_value = _answer_value(row, criterion)
        if old_value != new_value:
            unit = " %" if criterion and criterion.answer_type == AnswerType.PERCENT else ""
            changes.append(Change(code, _show(old_value, unit=unit), _show(new_value, unit=unit)))
        if old_note != row.note:
            changes.append(Change(f"{code} · {_('note')}", _show(old_note), _show(row.note)))
        if changes:
            result.append((row, changes))
        last[row.id] = row
    return result


def timeline(assessment: Assessment, criteria: list[Criterion]) -> list[Entry]:
    """Newest first. Three queries; `criteria` (the page already has them) name the answers."""
    by_id = {c.id: c for c in criteria}
    assessment_rows = list(assessment.history.select_related("history_user").order_by("history_date", "history_id"))
    answer_rows = list(
        Answer.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    evidence_rows = list(
        Evidence.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = _assessment_entries(assessment_rows)
    edits = [e for e in entries if e.action in ("created", "edited")]
    for row, changes in _answer_changes(answer_rows, by_id):
        owner = next(
            (e for e in reversed(edits) if e.user_id == row.history_user_id and e.when <= row.history_date + SAME_SAVE),
            None,
        )
        if owner is None or row.history_date - owner.when > SAME_SAVE:
            owner = Entry(
                when=row.history_date,
                who=_who(row),
                action="edited",
                title=TITLES["edited"](),
                user_id=row.history_user_id,
            )
            entries.append(owner)
            edits.append(owner)
        owner.changes.extend(changes)
    for row in evidence_rows:
        if row.history_type == "~":
            continue
        criterion = by_id.get(row.criterion_id)
        name = f"{row.original_name} ({criterion.code})" if criterion else row.original_name
        title = _("Uploaded evidence") if row.history_type == "+" else _("Removed evidence")
        entries.append(Entry(when=row.history_date, who=_who(row), action="evidence", title=title, detail=name))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
