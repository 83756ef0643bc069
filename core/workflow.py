"""Workflow transitions shared by assessments and monthly reports (SPEC section 5).

Each transition locks the row, checks the state it starts from, saves through the
model (so django-simple-history records who, when, old -> new with a reason) and
returns the saved item. App services wrap these to add their own side effects.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EDITABLE_STATUSES, Status, Submission

STALE_EDIT = _(
    "Someone else saved this form after you opened it. Reload the page to see their changes, then edit again."
)
NOT_EDITABLE = _("Only drafts and returned items can be edited.")
NOT_SUBMITTED = _("Only submitted items can be reviewed.")
COMMENT_REQUIRED = _("A comment is required to return an item.")
ATTESTATION_REQUIRED = _("The facility head's name and confirmation are required to submit.")


# Sent by approve() inside its transaction, with the approved `item`. The compliance app, which the
# submission apps may not import (it reads them), listens and recomputes the item's facility once
# the transaction commits; a return or a draft changes nothing that compliance's statuses count.
approved = Signal()
# Sent by submit() and return_for_changes() inside their transaction, with the `item`: what the facility has sent
# changed (the dashboard's reporting completeness, which the compliance app's rollup follows in that transaction).
sent_changed = Signal()


class WorkflowError(Exception):
    """A transition that the item's state or the input does not allow; the message is for the user."""


class StaleEdit(WorkflowError):
    pass


def _locked(item: Submission) -> Submission:
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def locked_editable(item: Submission, expected_version: int | None) -> Submission:
    """The item's current row, locked: refused unless it is still editable and unchanged since it was read."""
    current = _locked(item)
    if current.status not in EDITABLE_STATUSES:
        raise WorkflowError(NOT_EDITABLE)
    check_version(current, expected_version)
    return current


def check_version(current: Submission, expected_version: int | None) -> None:
    """Refuse a write based on an old read of `current`.

    A missing version counts as stale: a form posted without its hidden field (an old page, a
    hand-made request) must not overwrite a colleague's save.
    """
    if expected_version is None or current.version != expected_version:
        raise StaleEdit(STALE_EDIT)


def _save(item: Submission, *, by, reason: str) -> Submission:
    item.version += 1
    item._change_reason = reason
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def save_draft(item: Submission, *, by, expected_version: int | None) -> Submission:
    """Create or update an editable item; refuse if it changed since `expected_version` was read.

    `expected_version` is ignored for a new item and required for an existing one.
    """
    if item.pk is None:
        item.created_by = by
        item.status = Status.DRAFT
        return _save(item, by=by, reason="created")
    current = locked_editable(item, expected_version)
    item.version = current.version
    item.status = current.status
    return _save(item, by=by, reason="edited")


@transaction.atomic
def submit(item: Submission, *, by, attested_by_name: str) -> Submission:
    item = _locked(item)
    if item.status not in EDITABLE_STATUSES:
        raise WorkflowError(NOT_EDITABLE)
    if not attested_by_name.strip():
        raise WorkflowError(ATTESTATION_REQUIRED)
    item.status = Status.SUBMITTED
    item.submitted_at = timezone.now()
    item.submitted_by = by
    item.attested_by_name = attested_by_name.strip()
    item = _save(item, by=by, reason="submitted")
    sent_changed.send(sender=type(item), item=item)
    return item


def _review_locked(item: Submission, by) -> Submission:
    """Only DoH officers approve or return (SPEC section 5), and only submitted items."""
    if not by.is_officer:
        raise PermissionDenied
    item = _locked(item)
    if item.status != Status.SUBMITTED:
        raise WorkflowError(NOT_SUBMITTED)
    return item


@transaction.atomic
def approve(item: Submission, *, by) -> Submission:
    item = _review_locked(item, by)
    item.status = Status.APPROVED
    item.reviewed_at = timezone.now()
    item.reviewed_by = by
    item.review_comment = ""
    item = _save(item, by=by, reason="approved")
    approved.send(sender=type(item), item=item)
    return item


@transaction.atomic
def return_for_changes(item: Submission, *, by, comment: str) -> Submission:
    item = _review_locked(item, by)
    if not comment.strip():
        raise WorkflowError(COMMENT_REQUIRED)
    item.status = Status.RETURNED
    item.reviewed_at = timezone.now()
    item.reviewed_by = by
    item.review_comment = comment.strip()
    item = _save(item, by=by, reason="returned")
    sent_changed.send(sender=type(item), item=item)
    return item
