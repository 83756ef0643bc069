"""Workflow of milestones (SPEC section 4a): every caller (pages, the demo) goes through here.

They wrap core.workflow (locking, state checks, version, history) like the assessments' and the
reports' services. What is particular to milestones: the head's own account submits (the
attestation is the account, `head_confirmed`); staff may submit with the head's typed name only
where the facility has no head account; the DoH's approval is called verification, and it
like every approval (core.workflow.approved), has the facility's compliance recomputed once it commits.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core import workflow
from core.models import Status
from facilities.models import Facility, MemberRole, Membership

from .forms import milestone_errors
from .models import Milestone

DUPLICATE_KIND = _("The facility already has this milestone; open it and correct it instead.")
INVALID_AT_SUBMIT = _(
    "The milestone was not submitted: it no longer passes the checks (for example against another "
    "milestone changed since it was saved). Correct the fields shown, save the draft, then submit it."
)
HEAD_MUST_SUBMIT = _(
    "The facility has a head account: the head submits this milestone from their own account. "
    "Save the draft; it waits on the head's page."
)
HEAD_NAME_REQUIRED = _("Type the full name of the facility head.")
ALREADY_VERIFIED = _("%(who)s already verified this milestone on %(when)s.")
NOT_A_MEMBER = _("Only the facility's own staff and head submit its milestones.")


class MilestoneInvalid(workflow.WorkflowError):
    """A submission refused because the milestone breaks a rule of SPEC section 4a; `errors` by field name."""

    def __init__(self, errors):
        super().__init__(INVALID_AT_SUBMIT)
        self.errors = errors


def is_head(user, facility: Facility) -> bool:
    """The user's own account is the facility's head (a membership with the head role)."""
    return Membership.objects.filter(user=user, facility=facility, role=MemberRole.HEAD, user__is_active=True).exists()


def has_head_account(facility: Facility) -> bool:
    return Membership.objects.filter(facility=facility, role=MemberRole.HEAD, user__is_active=True).exists()


def milestone_save_draft(*, milestone: Milestone, by, expected_version: int | None) -> Milestone:
    """Create or update an editable milestone (staff or head); a stale or missing version raises StaleEdit."""
    try:
        return workflow.save_draft(milestone, by=by, expected_version=expected_version)
    except IntegrityError:
        # Two people created the same kind at once: the database's unique constraint decides.
        raise workflow.WorkflowError(DUPLICATE_KIND) from None


@transaction.atomic
def milestone_submit(
    *, milestone: Milestone, by, head_name: str = "", expected_version: int | None = None
) -> Milestone:
    """Send the milestone to the DoH, confirmed by the facility head.

    The head's own account: `head_confirmed` is set and the attestation is the account's name.
    Staff: only where the facility has no head account, with the head's typed name;
    `head_confirmed` stays false and the milestone shows "chưa có xác nhận của người đứng đầu".
    The rules are checked again at submission (another milestone may have moved since).
    """
    current = workflow.locked_editable(milestone, milestone.version if expected_version is None else expected_version)
    facility = current.facility
    if not Facility.objects.editable_by(by).filter(pk=facility.pk).exists():
        raise workflow.WorkflowError(NOT_A_MEMBER)
    by_head = is_head(by, facility)
    if not by_head:
        if has_head_account(facility):
            raise workflow.WorkflowError(HEAD_MUST_SUBMIT)
        if not " ".join(head_name.split()):
            raise workflow.WorkflowError(HEAD_NAME_REQUIRED)
    errors = milestone_errors(current)
    if errors:
        raise MilestoneInvalid(errors)
    # Written before the transition so that its history row ("submitted") records it.
    Milestone.objects.filter(pk=current.pk).update(head_confirmed=by_head)
    name = by.display_name if by_head else " ".join(head_name.split())
    return workflow.submit(current, by=by, attested_by_name=name)


@transaction.atomic
def milestone_verify(*, milestone: Milestone, by) -> Milestone:
    """A DoH officer verifies the milestone ("Sở Y tế xác nhận"); compliance is recomputed once this commits.

    Two officers verifying at once: the row lock orders them; the second is told who verified it.
    """
    current = Milestone.objects.select_for_update(of=("self",)).select_related("reviewed_by").get(pk=milestone.pk)
    if current.status == Status.APPROVED and by.is_officer:
        when = date_format(timezone.localtime(current.reviewed_at), "SHORT_DATETIME_FORMAT")
        who = current.reviewed_by.display_name if current.reviewed_by else _("Another officer")
        raise workflow.WorkflowError(ALREADY_VERIFIED % {"who": who, "when": when})
    return workflow.approve(current, by=by)  # its `approved` signal schedules the compliance recompute


def milestone_return(*, milestone: Milestone, by, comment: str) -> Milestone:
    """Send a submitted milestone back with the DoH's comment (required); the facility corrects it."""
    return workflow.return_for_changes(milestone, by=by, comment=comment)
