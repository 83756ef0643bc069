"""Demo readiness assessments, shaped by each facility's scenario in demo.facilities.scenarios().

- on_time, late, on_track: an approved assessment with every mandatory criterion met;
- overdue: approved with mandatory gaps for most, met for a few;
- at_risk: approved with mandatory gaps for about half;
- no_data: no approved assessment (a draft for some, nothing for the others).
On top, some facilities (the demo users' ones among them) have a second assessment in
progress: submitted and awaiting review, returned with a comment, or a draft, so every state
shows. Approvals date from early 2026, follow-ups from October-November 2026.

Written with simple-history's bulk helpers (one history row per state, dated, with who did
it), since the services stamp the current time; scores come from assessments.scoring like
every save. Facilities that already have an assessment are left alone, so a rerun changes
nothing.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.models import Answer, AnswerStatus, AnswerType, Assessment, Catalogue, Criterion, SharedPlatform
from assessments.scoring import applies, catalogue_criteria, evaluate, is_met
from core.models import Status
from demo import facilities as facilities_demo
from facilities.models import Facility

User = get_user_model()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MET_SCENARIOS = {"on_time", "late", "on_track"}
# The demo users' facilities each have something in progress (see demo.facilities.DEMO_USERS).
FOLLOW_UPS = {"82001": Status.SUBMITTED, "82101": Status.RETURNED, "82221": Status.DRAFT, "82401": Status.DRAFT}
# The demo station's nurse finds gaps to close (demo.facilities gives it an extension).
SHOW_GAPS = {"82221"}
EXTRA_FOLLOW_UPS = [Status.SUBMITTED] * 6 + [Status.RETURNED] * 3 + [Status.DRAFT] * 4
# Criteria of the legal definition of EMR deployed that facilities most often lack, most likely first.
LIKELY_GAPS = ["E1", "D1", "B6", "E2", "D3", "A3", "C2", "G3", "B2", "C3", "B1", "C7", "C5", "B4", "D2"]
HIS_VENDORS = [
    ("VNPT-HIS", "VNPT-EMR"),
    ("Viettel-HIS", "Viettel-EMR"),
    ("FPT.eHospital", "FPT.eHospital EMR"),
    ("HIS Mê Kông", "EMR Mê Kông"),
    ("OneHealth HIS", "OneHealth EMR"),
]
RETURN_COMMENTS = [
    "Đề nghị bổ sung quyết định ban hành quy chế HSBA điện tử (A3) và biên bản diễn tập khôi phục dữ liệu (B6).",
    "Tỷ lệ nhân viên có chứng thư số (D1) chưa khớp với báo cáo tháng gần nhất; đề nghị rà soát lại số liệu.",
    "Chưa có minh chứng quyết định phê duyệt hồ sơ cấp độ an toàn hệ thống thông tin (E1); đề nghị bổ sung.",
]
DECISION_NOTES = ["QĐ số {n}/QĐ-{unit}", "Quyết định {n}/QĐ-{unit}", "Số {n}/QĐ-{unit}"]
# The provincial HIS that commune and ward health stations use: the DoH runs it, holds its security-level
# approval and its backups, so it meets the system criteria for every station on it.
PLATFORM = {
    "name": "HIS dùng chung của tỉnh (trạm y tế xã, phường)",
    "operator": "Sở Y tế Đồng Tháp",
    "description": "Phần mềm HIS/HSBA điện tử dùng chung do Sở Y tế triển khai tại trung tâm dữ liệu của tỉnh "
    "cho các trạm y tế xã, phường.",
    "criteria_codes": [
        "B3", "B4", "B6", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "E1", "E2", "E3", "E5", "E7",
        "I1",
    ],
    "evidence_description": "Hồ sơ đề xuất cấp độ 3 của hệ thống đã được phê duyệt; quy chế an ninh mạng của Sở Y tế; "
    "biên bản diễn tập khôi phục dữ liệu; kết quả kiểm thử phần mềm HSBA điện tử theo Công văn 365 (dữ liệu mẫu).",
}  # fmt: skip
# Stations have neither a laboratory nor imaging of their own: they answer these "not applicable".
STATION_NOT_APPLICABLE = {
    "C11": "Trạm không có phòng xét nghiệm; mẫu gửi trung tâm y tế khu vực.",
    "C12": "Trạm không có chẩn đoán hình ảnh.",
    "A9": "Trạm không số hóa hồ sơ bệnh án giấy cũ.",
}


@dataclass
class Plan:
    facility: Facility
    approved: str | None  # "met", "gaps" or None
    follow_up: str | None = None  # a Status of a second assessment in progress, or None
    answers: dict = field(default_factory=dict)


def _plans(facilities: list[Facility], scenarios: dict[str, str], rng: random.Random) -> list[Plan]:
    plans = []
    for index, facility in enumerate(facilities):
        scenario = scenarios.get(facility.code, "overdue")
        if scenario in MET_SCENARIOS:
            approved = "met"
        elif scenario == "overdue":
            approved = "met" if rng.random() < 0.2 else "gaps"
        elif scenario == "at_risk":
            approved = "gaps" if rng.random() < 0.5 or facility.code in SHOW_GAPS else "met"
        else:  # no_data: a draft for every other one
            approved = None
        plan = Plan(facility=facility, approved=approved)
        if approved is None:
            plan.follow_up = Status.DRAFT if index % 2 == 0 else None
        plan.follow_up = FOLLOW_UPS.get(facility.code, plan.follow_up)
        plans.append(plan)
    candidates = [p for p in plans if p.approved and p.follow_up is None]
    chosen = rng.sample(candidates, min(len(candidates), len(EXTRA_FOLLOW_UPS)))
    for plan, status in zip(chosen, EXTRA_FOLLOW_UPS[: len(chosen)], strict=True):
        plan.follow_up = status
    return plans


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(8 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=TZ)


def _value(criterion: Criterion, met: bool, facility: Facility, before: datetime.date, rng: random.Random) -> dict:
    """Answer values that meet (or miss) the criterion, as a facility would type them."""
    if criterion.answer_type == AnswerType.YES_NO:
        return {"value_bool": met, "status": AnswerStatus.MET if met else AnswerStatus.NOT_MET}
    if criterion.answer_type == AnswerType.DATE:
        if not met:
            return {"note": "Đang trình ký"} if rng.random() < 0.5 else {}
        day = before - datetime.timedelta(days=rng.randint(10, 200))
        unit = "BV" if facility.type.is_hospital else "TYT" if facility.type.code == "health_station" else "TTYT"
        note = rng.choice(DECISION_NOTES).format(n=rng.randint(12, 480), unit=unit)
        return {"value_date": day, "note": note}
    threshold = criterion.threshold if criterion.threshold is not None else Decimal(1)
    if criterion.answer_type == AnswerType.PERCENT:
        low = int(threshold) if met else max(0, int(threshold) - 40)
        high = 100 if met else int(threshold) - 1
        return {"value_number": Decimal(rng.randint(low, max(low, high)))}
    return {"value_number": threshold + (rng.randint(0, 3) if met else -threshold)}


def _answers(plan_gaps, criteria, flags, facility, before, rng) -> dict[int, Answer]:
    """Every applicable criterion answered: mandatory ones met except `plan_gaps`, recommended ones mostly."""
    answers = {}
    for criterion in criteria:
        if not applies(criterion, **flags):
            continue
        if criterion.code in flags["platform_codes"]:
            continue  # the shared platform provides it: nothing to answer
        if facility.type.code == "health_station" and criterion.not_applicable_allowed:
            reason = STATION_NOT_APPLICABLE.get(criterion.code)
            if reason:
                answers[criterion.id] = Answer(criterion=criterion, status=AnswerStatus.NOT_APPLICABLE, note=reason)
                continue
        met = criterion.code not in plan_gaps if criterion.is_mandatory else rng.random() < 0.6
        values = _value(criterion, met, facility, before, rng)
        if values:
            answers[criterion.id] = Answer(criterion=criterion, **values)
    return answers


def _gaps(criteria_codes: set[str], rng: random.Random, count: int) -> set[str]:
    pool = [code for code in LIKELY_GAPS if code in criteria_codes]
    return set(rng.sample(pool[: max(count * 3, 6)], count))


def _assessment(facility, catalogue, criteria, gaps, rng, *, before, actor) -> Assessment:
    rented = rng.random() < 0.25
    checks = facility.type.is_hospital or facility.type.code == "regional_centre" or rng.random() < 0.2
    flags = {"is_hospital": facility.type.is_hospital, "bhyt": facility.bhyt_contract, "rented": rented}
    flags |= {"health_checks": checks, "type_code": facility.type.code, "platform_codes": facility.demo_platform}
    answers = _answers(gaps, criteria, flags, facility, before, rng)
    for answer in answers.values():
        answer.met = is_met(answer.criterion, answer, before)
    evaluation = evaluate(criteria, answers, today=before, **flags)
    his, emr = rng.choice(HIS_VENDORS)
    departments = {"general_hospital": 30, "specialty_hospital": 12, "private_hospital": 10, "regional_centre": 9}
    total = departments.get(facility.type.code, 2)
    budget = rng.randint(2, 40) * total * 50_000_000
    assessment = Assessment(
        facility=facility,
        catalogue=catalogue,
        created_by=actor,
        his_vendor=his,
        his_version=f"{rng.randint(3, 6)}.{rng.randint(0, 9)}",
        emr_vendor=emr if rng.random() < 0.8 else "",
        it_staff_count=max(1, total // 5 + rng.randint(0, 2)),
        clinical_departments=total,
        budget_needed=budget,
        budget_secured=budget * rng.randint(3, 10) // 10,
        uses_rented_software=rented,
        does_health_checks=checks,
        score=evaluation.score,
        mandatory_met=evaluation.mandatory_met,
        mandatory_gaps=evaluation.mandatory_gap_codes,
        version=1,
    )
    assessment.demo_answers = list(answers.values())
    return assessment


def _platform(facilities: list[Facility]) -> SharedPlatform:
    """The provincial HIS with every commune and ward health station as a member (created once)."""
    platform = SharedPlatform.objects.filter(name=PLATFORM["name"]).first()
    if platform is None:
        platform = SharedPlatform.objects.create(**PLATFORM)
        platform.members.set([f for f in facilities if f.type.code == "health_station"])
    return platform


def _stamp(obj, when, user, reason):
    obj._history_date, obj._history_user, obj._change_reason = when, user, reason


def _write(assessments: list[Assessment], officer) -> int:
    """Create the assessments with their answers, then move them through submit and review: one dated
    history row per state, by the facility user who wrote it or the DoH officer who reviewed it."""
    for a in assessments:
        _stamp(a, a.created, a.created_by, "created")
    bulk_create_with_history(assessments, Assessment, batch_size=500)
    answers = []
    for a in assessments:
        for answer in a.demo_answers:
            answer.assessment = a
            _stamp(answer, a.created, a.created_by, "edited")
            answers.append(answer)
    bulk_create_with_history(answers, Answer, batch_size=1000)

    submitted = [a for a in assessments if a.outcome != Status.DRAFT]
    for a in submitted:
        a.status, a.version = Status.SUBMITTED, 2
        a.submitted_at, a.submitted_by, a.attested_by_name = a.sent, a.created_by, a.facility.head_name
        a.created_at, a.updated_at = a.created, a.sent
        _stamp(a, a.sent, a.created_by, "submitted")
    fields = ["status", "version", "submitted_at", "submitted_by", "attested_by_name", "created_at", "updated_at"]
    bulk_update_with_history(submitted, Assessment, fields, batch_size=500)

    reviewed = [a for a in submitted if a.outcome != Status.SUBMITTED]
    for a in reviewed:
        a.status, a.version = a.outcome, 3
        a.reviewed_at, a.reviewed_by, a.updated_at = a.done, officer, a.done
        _stamp(a, a.done, officer, "approved" if a.outcome == Status.APPROVED else "returned")
    fields = ["status", "version", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
    bulk_update_with_history(reviewed, Assessment, fields, batch_size=500)
    return len(answers)


@transaction.atomic
def build(stdout=None) -> dict:
    """Create the demo assessments of facilities that have none; running it again changes nothing."""
    catalogue = Catalogue.objects.current()
    if catalogue is None:
        return {"assessments": 0}
    rng = random.Random(2026)
    criteria = catalogue_criteria(catalogue.pk)
    codes = {c.code for c in criteria}
    officer = User.objects.filter(username="canbo").first()
    facilities = list(Facility.objects.select_related("type").prefetch_related("memberships__user").order_by("code"))
    platform = _platform(facilities)
    members = set(platform.members.values_list("pk", flat=True)) if platform.is_active else set()
    provided = {code: platform.name for code in platform.criteria_codes}
    for facility in facilities:
        facility.demo_platform = provided if facility.pk in members else {}
    plans = _plans(facilities, facilities_demo.scenarios(), rng)
    # Plans and answers are drawn for every facility so a rerun draws the same; only new ones are written.
    done = set(Assessment.objects.values_list("facility_id", flat=True))

    approved, follow_ups = [], []
    for plan in plans:
        facility = plan.facility
        actor = next((m.user for m in facility.memberships.all()), None)
        if plan.approved:
            start = datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randint(0, 30))
            count = 0 if plan.approved == "met" else rng.randint(1, 4)
            a = _assessment(
                facility,
                catalogue,
                criteria,
                _gaps(codes - set(facility.demo_platform), rng, count),
                rng,
                before=start,
                actor=actor,
            )
            a.created, a.outcome = _at(start, rng), Status.APPROVED
            a.sent = _at(start + datetime.timedelta(days=rng.randint(4, 12)), rng)
            a.done = a.sent + datetime.timedelta(days=rng.randint(3, 14), hours=rng.randint(0, 5))
            approved.append(a)
        if plan.follow_up:
            start = datetime.date(2026, 10, 20) + datetime.timedelta(days=rng.randint(0, 14))
            count = rng.randint(0, 2) if plan.approved else rng.randint(3, 8)
            a = _assessment(
                facility,
                catalogue,
                criteria,
                _gaps(codes - set(facility.demo_platform), rng, count),
                rng,
                before=start,
                actor=actor,
            )
            # A draft is being written now (its created_at is now); the others started in the autumn.
            a.created = timezone.now() if plan.follow_up == Status.DRAFT else _at(start, rng)
            a.outcome = plan.follow_up
            a.sent = _at(start + datetime.timedelta(days=rng.randint(3, 8)), rng)
            a.done = a.sent + datetime.timedelta(days=rng.randint(2, 10), hours=rng.randint(0, 5))
            a.review_comment = rng.choice(RETURN_COMMENTS) if a.outcome == Status.RETURNED else ""
            follow_ups.append(a)
    approved = [a for a in approved if a.facility_id not in done]
    follow_ups = [a for a in follow_ups if a.facility_id not in done]
    # Approved ones first: a facility has one assessment in progress at most.
    answers = _write(approved, officer) + _write(follow_ups, officer)
    created = approved + follow_ups

    counts = {status: sum(1 for a in created if a.outcome == status) for status in Status.values}
    if stdout:
        stdout.write(
            "Demo assessments: " + ", ".join(f"{counts[s]} {s}" for s in Status.values) + f" ({answers} answers)."
        )
    return {"assessments": len(created), "answers": answers, **counts}
