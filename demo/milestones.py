"""Demo milestones, following the path each facility's demo reports take (demo.reports.draws()).

- on_time and late facilities: self-assessed, decision, announcement and paper stop, all verified by
  the DoH a few days after each date; the self-assessment rests on the facility's approved assessment
  (assessments.demo approves it early in 2026). On time, the decision is signed by 30/09/2026 (82001's
  on 29/09, effective 01/10, verified on 30/09); late, in October (the first one on 01/10/2026, paper
  stopped the same day: demo.reports.DATED_DECISIONS).
- overdue facilities that reached the self-assessment in September: self-assessed and verified; the
  first of them has since submitted a decision awaiting verification, the second had its decision
  returned with the DoH's comment, the third's self-assessment awaits verification.
- the demo users' facilities: 82001's head submits from his own account; 82101 has no head account,
  so its staff submitted with the head's typed name ("chưa có xác nhận của người đứng đầu"); 82221's
  staff prepared a decision that waits for the head (a draft on his page); 82401's staff submitted a
  self-assessment with the head's typed name, awaiting verification.

Facilities without demo accounts submitted through their head's account (not a demo login): the
milestones are marked confirmed by the head, with no submitting account shown. Each milestone gets
its dated history (created, submitted, verified or returned). Facilities that already have a
milestone of a kind keep it, so a rerun changes nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.models import Assessment
from core.models import Status
from facilities.models import Facility, MemberRole, Membership
from milestones.models import Milestone, MilestoneKind
from reports.models import Stage

from . import reports as reports_demo

User = get_user_model()
PORTAL = "https://benhandientu.moh.gov.vn/co-so/{code}"
TYPED_NAME = {"82101", "82401"}  # staff accounts only: the head's name is typed
HEAD_ACCOUNT = {"82001"}
RETURN_COMMENT = (
    "Số quyết định trên cổng không khớp với bản quyết định đã ký; đề nghị đơn vị kiểm tra, "
    "bổ sung bản scan quyết định và gửi lại."
)
ABBREVIATIONS = reports_demo.ABBREVIATIONS


@dataclass
class Plan:
    facility: Facility
    kind: str
    date: datetime.date
    fate: str  # verified, submitted, returned, draft
    values: dict


def _moment(day: datetime.date, rng: random.Random, first_hour: int = 8, last_hour: int = 16) -> datetime.datetime:
    local = datetime.datetime.combine(day, datetime.time(rng.randint(first_hour, last_hour), rng.randint(0, 59)))
    return min(timezone.make_aware(local), reports_demo.last_event())


def _scope(facility: Facility) -> dict:
    scope = {
        "scope_inpatient": facility.has_inpatient,
        "scope_day_care": facility.has_daycare,
        "scope_outpatient": facility.has_outpatient,
    }
    return scope if any(scope.values()) else {}


def _decision(facility: Facility, day: datetime.date, rng: random.Random, effective=None, number="") -> dict:
    unit = ABBREVIATIONS.get(facility.type.code, "BV")
    return {
        "number": number or f"{rng.randint(45, 980)}/QĐ-{unit}",
        "effective_date": effective or day,
        "signer": facility.head_name,
        **_scope(facility),
    }


def _self_assessed_day(shape, rng: random.Random) -> datetime.date | None:
    """A day in the first month the reports reach the self-assessment, never after the decision."""
    month = next((k for k, stage in enumerate(shape.stage) if stage >= Stage.SELF_ASSESSED), None)
    if month is None:
        return None
    day = reports_demo.months()[month].replace(day=rng.randint(3, 26))
    return min(day, shape.decision) if shape.decision else day


def _facility_plans(facility, scenario, variant, index, *, self_only: int | None, approved) -> list[Plan]:
    shape, _fates, base, _rng = reports_demo.draws(facility, scenario, variant, index)
    rng = random.Random(f"milestones-demo-{facility.code}")
    plans = []
    assessed = _self_assessed_day(shape, rng)
    if assessed and approved:
        fate = "submitted" if self_only == 2 else "verified"
        plans.append(Plan(facility, MilestoneKind.SELF_ASSESSED, assessed, fate, {"assessment": approved}))
    if shape.decision:
        effective = datetime.date(2026, 10, 1) if shape.decision == datetime.date(2026, 9, 29) else None
        values = _decision(facility, shape.decision, rng, effective, number=base["decision_number"])
        plans.append(Plan(facility, MilestoneKind.DECISION, shape.decision, "verified", values))
    elif self_only in (0, 1) and plans:
        day = datetime.date(2026, 11, 10) if self_only == 0 else datetime.date(2026, 11, 2)
        fate = "submitted" if self_only == 0 else "returned"
        plans.append(Plan(facility, MilestoneKind.DECISION, day, fate, _decision(facility, day, rng)))
    if shape.announced:
        link = {"link": PORTAL.format(code=facility.code)}
        plans.append(Plan(facility, MilestoneKind.ANNOUNCED, shape.announced, "verified", link))
    if shape.paper_stopped:
        plans.append(Plan(facility, MilestoneKind.PAPER_STOPPED, shape.paper_stopped, "verified", _scope(facility)))
    return plans


def _demo_users_plans(facility: Facility, approved) -> list[Plan]:
    """What the demo users find in progress on their facility's page."""
    rng = random.Random(f"milestones-demo-users-{facility.code}")
    if facility.code == "82221":  # prepared by the staff, waiting for the head's account
        day = datetime.date(2026, 11, 20)
        return [Plan(facility, MilestoneKind.DECISION, day, "draft", _decision(facility, day, rng))]
    if facility.code == "82401" and approved:  # no head account: the head's name typed by the staff
        day = datetime.date(2026, 11, 16)
        return [Plan(facility, MilestoneKind.SELF_ASSESSED, day, "submitted", {"assessment": approved})]
    return []


def _plans(facilities: dict[str, Facility], approved: dict[int, Assessment]) -> list[Plan]:
    plans, reached = [], 0
    for code, (scenario, variant, index) in reports_demo.variants().items():
        facility = facilities[code]
        assessment = approved.get(facility.pk)
        self_only = None
        if scenario == "overdue":
            shape = reports_demo.draws(facility, scenario, variant, index)[0]
            if max(shape.stage) >= Stage.SELF_ASSESSED and assessment:
                self_only, reached = reached, reached + 1
        found = _facility_plans(facility, scenario, variant, index, self_only=self_only, approved=assessment)
        plans += found or _demo_users_plans(facility, assessment)
    return plans


def _people(facilities) -> dict[int, dict]:
    people: dict[int, dict] = {}
    for m in Membership.objects.filter(facility__in=facilities).select_related("user"):
        people.setdefault(m.facility_id, {})[m.role] = m.user
    return people


def _stamp(obj, when, user, reason):
    obj._history_date, obj._history_user, obj._change_reason = when, user, reason


@transaction.atomic
def build(stdout=None) -> dict:
    """Create the demo milestones that do not exist yet; running it again changes nothing."""
    officer = User.objects.filter(username="canbo").first()
    facilities = {f.code: f for f in Facility.objects.select_related("type")}
    approved = {}
    for a in Assessment.objects.filter(status=Status.APPROVED).order_by("facility_id", "reviewed_at", "pk"):
        approved[a.facility_id] = a  # the latest approved one
    existing = set(Milestone.objects.values_list("facility_id", "kind"))
    plans = [p for p in _plans(facilities, approved) if (p.facility.pk, p.kind) not in existing]
    people = _people([p.facility for p in plans])

    milestones, steps = [], []
    for plan in plans:
        facility = plan.facility
        rng = random.Random(f"milestones-demo-{facility.code}-{plan.kind}")
        members = people.get(facility.pk, {})
        staff, head = members.get(MemberRole.STAFF), members.get(MemberRole.HEAD)
        submitter = head if facility.code in HEAD_ACCOUNT else staff if facility.code in TYPED_NAME else None
        values = dict(plan.values)
        assessment = values.pop("assessment", None)
        milestone = Milestone(
            facility=facility, kind=plan.kind, date=plan.date, assessment=assessment, version=1, **values
        )
        milestone.created_by = staff or submitter
        created = _moment(plan.date, rng, 8, 10)
        if plan.fate == "draft":
            created = _moment(plan.date + datetime.timedelta(days=2), rng, 8, 10)
        _stamp(milestone, created, milestone.created_by, "created")
        milestone.demo_created = milestone.updated_at = created
        milestones.append(milestone)
        if plan.fate == "draft":
            continue
        submitted = min(created + datetime.timedelta(hours=rng.randint(2, 6)), reports_demo.last_event())
        reviewed = min(
            submitted + datetime.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 3)), reports_demo.last_event()
        )
        if plan.date == datetime.date(2026, 9, 29):  # signed on 29/09, verified on 30/09: it counts on the deadline
            reviewed = timezone.make_aware(datetime.datetime(2026, 9, 30, 9, 30))
        steps.append((milestone, plan, submitter, submitted, reviewed))
    bulk_create_with_history(milestones, Milestone, batch_size=500)

    sent = []
    for milestone, _plan, submitter, submitted, _reviewed in steps:
        typed = milestone.facility.code in TYPED_NAME
        milestone.status, milestone.version = Status.SUBMITTED, 2
        milestone.submitted_at, milestone.submitted_by = submitted, submitter
        milestone.attested_by_name = milestone.facility.head_name
        milestone.head_confirmed = not typed
        milestone.updated_at = submitted
        _stamp(milestone, submitted, submitter, "submitted")
        sent.append(milestone)
    fields = ["status", "version", "submitted_at", "submitted_by", "attested_by_name", "head_confirmed", "updated_at"]
    bulk_update_with_history(sent, Milestone, fields, batch_size=500)

    reviewed_items = []
    for milestone, plan, _submitter, _submitted, reviewed in steps:
        if plan.fate not in ("verified", "returned"):
            continue
        milestone.status = Status.APPROVED if plan.fate == "verified" else Status.RETURNED
        milestone.version, milestone.reviewed_at, milestone.reviewed_by = 3, reviewed, officer
        milestone.review_comment = RETURN_COMMENT if plan.fate == "returned" else ""
        milestone.updated_at = reviewed
        _stamp(milestone, reviewed, officer, "approved" if plan.fate == "verified" else "returned")
        reviewed_items.append(milestone)
    fields = ["status", "version", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    bulk_update_with_history(reviewed_items, Milestone, fields, batch_size=500)
    # bulk_create stamped the rows with the time of the run; the demo's own times are what the pages show.
    for milestone in milestones:
        milestone.created_at = milestone.demo_created
        if milestone.status == Status.DRAFT:
            milestone.updated_at = milestone.demo_created
    Milestone.objects.bulk_update(milestones, ["created_at", "updated_at"], batch_size=500)

    counts = {status: sum(1 for m in milestones if m.status == status) for status in Status.values}
    if stdout:
        stdout.write("Demo milestones: " + ", ".join(f"{counts[s]} {s}" for s in Status.values) + ".")
    return {"milestones": len(milestones), **counts}
