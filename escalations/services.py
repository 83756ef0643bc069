"""Every change to the escalation register: one function per transition, each in one transaction, each
leaving a history row with who did it (the item's HistoricalRecords).

Triage and recording the People's Committee's answer are DoH officers' work; raising an item is the
approval of a report that asks for it, or a partner agency's own account.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import Agency

from .models import EscalationItem, EscalationState

NOT_ALLOWED = _("This step is not possible from the item's current state.")
NOT_AN_AGENCY = _("Only a partner agency's account reports difficulties here.")


class EscalationError(Exception):
    pass


def _officer(by) -> None:
    if not by.is_officer:
        raise PermissionDenied


def _move(item: EscalationItem, state: str, *, by, **fields) -> EscalationItem:
    """Lock the item, check the step is allowed, write the fields and the state, with `by` in the history."""
    item = EscalationItem.objects.select_for_update().get(pk=item.pk)
    if not item.allows(state):
        raise EscalationError(NOT_ALLOWED)
    for name, value in fields.items():
        setattr(item, name, value)
    item.state = state
    item._history_user = by
    item.full_clean()
    item.save()
    return item


def escalation_open_from_report(*, report, by) -> EscalationItem | None:
    """An approved report marked "needs escalation" becomes an item (once: re-approving adds nothing).

    The item keeps the facility's words as approved; a report returned or still a draft raises nothing.
    """
    if not report.needs_escalation or EscalationItem.objects.filter(report=report).exists():
        return None
    item = EscalationItem(
        facility=report.facility,
        report=report,
        raised_by=report.submitted_by,
        raised_on=timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate(),
        difficulty=report.difficulties or report.support_requested or "—",
        support_requested=report.support_requested,
    )
    item._history_user = by
    item.save()
    return item


def open_after_approval(sender, item, **kwargs) -> None:
    """An approval (core.workflow.approved, inside its transaction): a monthly report marked "needs escalation"
    enters the register with the words the DoH approved."""
    if sender._meta.label == "reports.MonthlyReport":
        escalation_open_from_report(report=item, by=item.reviewed_by)


@transaction.atomic
def escalation_raise(*, agency: Agency, difficulty: str, support_requested: str = "", by) -> EscalationItem:
    """A partner agency reports a difficulty from its own account (a member of that agency only)."""
    if not by.is_agency or not agency.memberships.filter(user=by).exists():
        raise PermissionDenied(NOT_AN_AGENCY)
    item = EscalationItem(
        agency=agency,
        raised_by=by,
        raised_on=timezone.localdate(),
        difficulty=difficulty,
        support_requested=support_requested,
    )
    item._history_user = by
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def escalation_resolve(*, item: EscalationItem, action: str, by) -> EscalationItem:
    """The DoH resolved it within its own authority (what it did), or closes it after UBND's direction
    (`action` is then the outcome)."""
    _officer(by)
    today = timezone.localdate()
    if item.state == EscalationState.DIRECTED:
        return _move(item, EscalationState.RESOLVED, by=by, outcome=action, resolved_on=today)
    return _move(item, EscalationState.RESOLVED, by=by, action=action, outcome=action, resolved_on=today)


@transaction.atomic
def escalation_refer(*, item: EscalationItem, partner: Agency, action: str, by) -> EscalationItem:
    """The DoH handles it with another agency (which one, and what was agreed)."""
    _officer(by)
    return _move(item, EscalationState.WITH_AGENCY, by=by, partner=partner, action=action)


@transaction.atomic
def escalation_propose(*, item: EscalationItem, proposal: str, by) -> EscalationItem:
    """Beyond the DoH's authority: the DoH proposes what the People's Committee should decide.

    The next report to the People's Committee lists it (items proposed since the last issued report).
    """
    _officer(by)
    return _move(item, EscalationState.PROPOSED, by=by, proposal=proposal, proposed_at=timezone.now())


@transaction.atomic
def escalation_record_direction(
    *, item: EscalationItem, number: str, date: datetime.date, content: str, by
) -> EscalationItem:
    """What the People's Committee directed: its document's number and date, and the content."""
    _officer(by)
    return _move(
        item,
        EscalationState.DIRECTED,
        by=by,
        direction_number=number,
        direction_date=date,
        direction_content=content,
    )
