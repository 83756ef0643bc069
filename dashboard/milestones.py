"""What the facility page shows of milestones: the four steps in their legal order, and what waits for the head."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from core.models import Status
from facilities.models import Facility
from milestones.models import Milestone, MilestoneKind
from milestones.services import is_head
from reports.models import MonthlyReport


@dataclass
class Slot:
    """One step of the timeline: the facility's milestone of that kind, if recorded."""

    kind: str
    label: str
    milestone: Milestone | None
    create_url: str


def facility_timeline(facility: Facility, *, can_write: bool) -> list[Slot]:
    """The four milestones in their legal order, each with its state, data and confirmations (1 query)."""
    by_kind = {
        m.kind: m
        for m in Milestone.objects.filter(facility=facility).select_related(
            "assessment", "submitted_by", "reviewed_by", "created_by"
        )
    }
    return [
        Slot(
            kind=kind,
            label=str(label),
            milestone=by_kind.get(kind),
            create_url=reverse("milestones:create", args=[facility.code, kind]) if can_write else "",
        )
        for kind, label in MilestoneKind.choices
    ]


@dataclass
class Waiting:
    """A draft that the head's own account should check and submit."""

    title: str
    prepared_by: str
    updated_at: object
    url: str


def waiting_for_head(facility: Facility, user) -> list[Waiting]:
    """Drafts prepared at the facility that wait for the head's submission ("Chờ anh/chị xác nhận").

    Shown to the facility's head only: milestones (which only the head's account submits where
    the facility has one), and monthly reports and assessments still in draft (ready to submit).
    Returned items are not here: they wait for corrections first and are listed under "what to do next".
    """
    if not is_head(user, facility):
        return []
    items = []
    for m in Milestone.objects.filter(facility=facility, status=Status.DRAFT).select_related("created_by"):
        items.append(Waiting(m.get_kind_display(), _who(m), m.updated_at, m.get_absolute_url()))
    for r in MonthlyReport.objects.filter(facility=facility, status=Status.DRAFT).select_related("created_by"):
        title = _("Monthly report %(month)s") % {"month": f"{r.period:%m/%Y}"}
        items.append(Waiting(str(title), _who(r), r.updated_at, r.get_absolute_url()))
    for a in Assessment.objects.filter(facility=facility, status=Status.DRAFT).select_related("created_by"):
        items.append(Waiting(str(_("Readiness assessment")), _who(a), a.updated_at, a.get_absolute_url()))
    return sorted(items, key=lambda item: item.updated_at)


def _who(item) -> str:
    return item.created_by.display_name if item.created_by else ""
