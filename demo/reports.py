"""Demo monthly reports from January 2026 to the last month due, each facility's scenario for the engine.

demo.facilities.scenarios() says what each facility must look like (SPEC section 6). They were
planned for 25/11/2026, when September and October were the last two months due; seeded later,
"the last two months" are the last two due by then (months()):

- on_time: paperless with every department live, decision and paper stop on or before 30/09/2026;
- late: paperless with the paper stop in October 2026 (approved October report);
- overdue: stalled before paperless (at pilot or facility-wide), a few months missing;
- on_track: steadily rising, its least-squares line reaching 100 % before the (extended or
  type) deadline, at least facility-wide, the last two months approved;
- at_risk: slow (projected after the deadline), flat (projects "never") or stale (nothing
  approved for the last two months);
- no_data: nothing approved (some drafts, some awaiting review, or nothing).

Around them every workflow state occurs: most reports approved, some awaiting review (on
time and late), a few returned with the officer's comment (one for the demo station 82221),
some drafts, and the last month missing for a handful of facilities. Each report gets a realistic
timeline (created, submitted, maybe returned and fixed, approved) written with
simple-history's bulk helpers, so the report pages show their history. Facilities without a
demo account report through the DoH officer (the bulk Excel import does the same).
Idempotent: months that already have a report are left alone.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from compliance.rules import CountedReport, projected_completion
from core.models import Status
from demo.facilities import scenarios
from facilities.models import Facility, Membership
from reports.models import MonthlyReport, Stage, add_months, due_date, period_end

User = get_user_model()

FIRST_MONTH = datetime.date(2026, 1, 1)
OCTOBER = 9  # the month a "late" facility goes paperless, after the 30/09/2026 deadline


def months() -> list[datetime.date]:
    """January 2026 to the last month whose report was due before today, October 2026 at the least.

    The scenarios were planned for 25/11/2026, when October was the last month due. Seeded later, the
    demo also has the months since, reported the way the last one is, so its latest month is not simply
    missing for every facility (a demo seeded on 07/12/2026 has November's reports, due 05/12/2026).
    """
    today = timezone.localdate()
    last = add_months(today.replace(day=1), -1)
    if due_date(last) >= today:
        last = add_months(last, -1)
    found, month = [], FIRST_MONTH
    while month <= max(last, FIRST_MONTH.replace(month=OCTOBER + 1)):
        found.append(month)
        month = add_months(month, 1)
    return found


def last_event() -> datetime.datetime:
    """Nothing in the demo happens later than the afternoon before today."""
    return datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=1), datetime.time(16, 30), datetime.UTC
    )


# The columns each workflow action changes (an edit also changes the corrected values).
REVIEW_FIELDS = ["status", "version", "reviewed_at", "reviewed_by", "review_comment", "updated_at"]
ACTION_FIELDS = {
    "submitted": [
        "status",
        "version",
        "submitted_at",
        "first_submitted_at",
        "submitted_by",
        "attested_by_name",
        "updated_at",
    ],
    "returned": REVIEW_FIELDS,
    "approved": REVIEW_FIELDS,
}
OFFICER = "canbo"
# The deadline's edges (milestones.demo records the milestones): (decision signed, announced, paper
# records stopped). The first "on_time" facility's decision, signed on 29/09/2026, counts on the deadline;
# the first "late" facility's, signed on 01/10/2026, is one day late (paper stopped the same day).
DATED_DECISIONS = {
    "on_time": (datetime.date(2026, 9, 29), datetime.date(2026, 9, 30), datetime.date(2026, 9, 30)),
    "late": (datetime.date(2026, 10, 1), datetime.date(2026, 10, 5), datetime.date(2026, 10, 1)),
}

DIFFICULTIES = [
    "Thiếu máy tính, máy in tại các khoa; đường truyền Internet chập chờn vào giờ cao điểm.",
    "Nhà cung cấp phần mềm HIS chưa hoàn thiện kết nối với phần mềm bệnh án điện tử.",
    "Một số bác sĩ chưa có chứng thư số cá nhân, thủ tục cấp còn chậm.",
    "Kinh phí đầu tư hạ tầng chưa được bố trí, đang chờ phê duyệt dự toán.",
    "Chỉ có 01 nhân viên công nghệ thông tin kiêm nhiệm.",
    "Chưa có máy chủ dự phòng và phương án sao lưu ngoài cơ sở.",
    "Hồ sơ đề xuất cấp độ an toàn hệ thống thông tin chưa được thẩm định.",
    "Nhân viên lớn tuổi còn ngại sử dụng máy tính bảng khi khám bệnh.",
]
SUPPORT = [
    "Đề nghị Sở Y tế hỗ trợ kinh phí mua sắm thiết bị công nghệ thông tin.",
    "Đề nghị Sở Y tế làm việc với nhà cung cấp phần mềm để đẩy nhanh tiến độ.",
    "Đề nghị tổ chức tập huấn ký số cho nhân viên y tế.",
    "Đề nghị hướng dẫn thủ tục thẩm định hồ sơ đề xuất cấp độ an toàn hệ thống thông tin.",
]
ESCALATIONS = [
    "Dự án đầu tư hạ tầng công nghệ thông tin chưa được bố trí vốn ngân sách tỉnh, vượt thẩm quyền của Sở Y tế.",
    "Chưa có cơ chế chi trả chi phí thuê phần mềm bệnh án điện tử từ nguồn thu dịch vụ, cần UBND tỉnh cho ý kiến.",
    "Trạm sau sáp nhập chưa được giao biên chế nhân viên công nghệ thông tin.",
]
RETURN_COMMENTS = [
    "Số lượt khám ngoại trú có bệnh án điện tử chưa khớp với số liệu trên phần mềm HIS, đề nghị kiểm tra lại.",
    "Tỷ lệ hồ sơ ký số chưa hợp lý so với số người có chứng thư số, đề nghị rà soát và gửi lại.",
    "Đề nghị bổ sung phần khó khăn, vướng mắc và kiến nghị cụ thể của đơn vị.",
]
STATION_COMMENT = (
    "Số lượt khám ngoại trú có bệnh án điện tử lớn hơn thực tế triển khai (mới 2/4 khoa), "
    "đề nghị trạm rà soát lại và gửi báo cáo."
)


@dataclass
class Planned:
    """One demo report: its month, values, final state and the events that led there."""

    period: datetime.date
    values: dict
    fate: str  # approved, fixed (returned, corrected, approved), submitted, returned, draft
    late: bool = False
    comment: str = ""
    fix: dict = field(default_factory=dict)  # values before the correction, for "fixed"


# --- trajectories -----------------------------------------------------------------------------


def _departments(facility: Facility, rng: random.Random) -> int:
    kind = facility.type.code
    if kind == "general_hospital":
        return 36 if (facility.beds or 0) < 1000 else 40
    if kind in ("specialty_hospital", "private_hospital"):
        return rng.randint(20, 26)
    if kind == "regional_centre":
        return rng.randint(10, 20)
    if kind == "health_station":
        return rng.randint(2, 5)
    if kind == "private_clinic":
        return rng.randint(1, 6)
    return rng.randint(2, 5)


def _rising(total: int, start: float, end: float, count: int | None = None) -> list[int]:
    """Departments live rising evenly from share `start` to `end` over `count` months (never falling)."""
    live, count = [], count or len(months())
    for k in range(count):
        share = start + (end - start) * k / (count - 1)
        live.append(max(live[-1] if live else 0, min(total, round(total * share))))
    return live


def _projection(total: int, live: list[int], approved: list[bool]):
    points = [
        CountedReport(months()[k], Stage.HOSPITAL_WIDE, live[k], total)
        for k in range(len(live))
        if approved[k] and live[k] is not None
    ]
    return projected_completion(points)


def _projected_late(total: int, live: list[int], deadline: datetime.date, count: int) -> bool:
    """Whether the first `count` months, all approved, project completion after the deadline (or never)."""
    projection, projected = _projection(total, live[:count], [True] * count)
    return projected is None or projected > deadline


@dataclass
class Shape:
    """A facility's path over the demo's months: departments, stage and dates per month."""

    total: int
    live: list[int]
    stage: list[int]
    decision: datetime.date | None = None
    announced: datetime.date | None = None
    paper_stopped: datetime.date | None = None
    stage_reached: dict = field(default_factory=dict)


def _staged(total, live, *, start_stage=Stage.PILOT, milestones=None) -> Shape:
    """Stages follow the departments (pilot below 60 % live, then facility-wide) up to the milestones.

    `milestones` maps a month index to the stage reached that month (self-assessed, decision...).
    """
    stages, current = [], start_stage
    for k, n in enumerate(live):
        if current < Stage.PILOT and n > 0:
            current = Stage.PILOT
        if current < Stage.HOSPITAL_WIDE and total and n / total >= 0.6:
            current = Stage.HOSPITAL_WIDE
        for month, stage in (milestones or {}).items():
            if k >= month:
                current = max(current, stage)
        stages.append(current)
    return Shape(total=total, live=live, stage=stages)


def _day(month_index: int, rng: random.Random, first: int = 3, last: int = 26) -> datetime.date:
    return months()[month_index].replace(day=rng.randint(first, last))


def _completing(total, rng, paperless_month, *, stop_day=None, dates=None) -> Shape:
    """Every department live two months before going paperless; decision, announcement, then paper stops.

    `dates` (decision, announced, paper stopped) fixes the three dates instead of drawing them.
    """
    if dates:
        paperless_month = dates[2].month - 1
    live = _rising(total, rng.uniform(0.25, 0.5), 1.0, paperless_month - 1) + [total] * (
        len(months()) - paperless_month + 1
    )
    decision_month, announce_month = paperless_month - 2, paperless_month - 1
    if dates:
        decision_month, announce_month = dates[0].month - 1, dates[1].month - 1
    milestones = {
        decision_month - 1: Stage.SELF_ASSESSED,
        decision_month: Stage.DECISION_ISSUED,
        announce_month: Stage.ANNOUNCED,
        paperless_month: Stage.PAPERLESS,
    }
    shape = _staged(total, live, milestones=milestones)
    shape.decision = _day(decision_month, rng, 5, 25)
    shape.announced = _day(announce_month, rng, 3, 25)
    shape.paper_stopped = months()[paperless_month].replace(day=stop_day or rng.randint(1, 28))
    if dates:
        shape.decision, shape.announced, shape.paper_stopped = dates
    return shape


def _shape(scenario: str, variant: int, facility: Facility, rng: random.Random, index: int = -1) -> Shape:
    total = _departments(facility, rng)
    if scenario == "on_time":
        paperless_month = rng.choice([6, 7, 8, 8])
        return _completing(total, rng, paperless_month, dates=DATED_DECISIONS["on_time"] if index == 0 else None)
    if scenario == "late":
        # The decision came after the deadline, in October; paper stopped the same month.
        decided = datetime.date(2026, 10, rng.randint(1, 8))
        stopped = max(decided, datetime.date(2026, 10, rng.randint(1, 25)))
        dates = (decided, decided + datetime.timedelta(days=rng.randint(0, 5)), stopped)
        return _completing(total, rng, OCTOBER, dates=DATED_DECISIONS["late"] if index == 0 else dates)
    if scenario == "overdue":
        if variant % 2 == 0:  # stalled at pilot
            live = _rising(total, rng.uniform(0.0, 0.2), rng.uniform(0.25, 0.5))
            return _staged(total, live, start_stage=Stage.PLANNED if total > 2 else Stage.PILOT)
        live = _rising(total, rng.uniform(0.3, 0.5), rng.uniform(0.7, 1.0))
        milestones = {OCTOBER - 1: Stage.SELF_ASSESSED} if variant % 4 == 1 else {}
        return _staged(total, live, milestones=milestones)
    if scenario == "on_track":
        total = max(total, 4)
        deadline = facility.effective_deadline
        for end in (0.85, 0.9, 0.95, 1.0):
            live = _rising(total, rng.uniform(0.2, 0.35), end)
            shape = _staged(total, live, start_stage=Stage.PILOT)
            shape.stage = [max(s, Stage.HOSPITAL_WIDE) if k >= 6 else s for k, s in enumerate(shape.stage)]
            _, projected = _projection(total, live, [True] * len(live))
            if projected and projected <= deadline:
                return shape
        return shape
    if scenario == "at_risk":
        total = max(total, 4)
        if variant == 0:  # slow: the line reaches 100 % long after the deadline
            for end in (0.5, 0.4, 0.3, 0.25):
                live = _rising(total, 0.0, end)
                due = len(live)
                if all(_projected_late(total, live, facility.effective_deadline, count) for count in (due - 1, due)):
                    break
        elif variant == 1:  # flat: the same departments for months
            live = _rising(total, 0.2, 0.5, 4)
            live += [live[-1]] * (len(months()) - len(live))
        else:  # stale: nothing approved for the last two months
            live = _rising(total, 0.1, 0.4)
        return _staged(total, live, start_stage=Stage.PLANNED)
    # no_data: a facility that has barely started
    return _staged(total, [0] * len(months()), start_stage=Stage.NOT_STARTED if variant else Stage.PLANNED)


# --- fates: which months exist and how each ended ---------------------------------------------


def _fates(scenario: str, variant: int, code: str, rng: random.Random) -> list[str | None]:
    """The final state of each month's report (None: no report); `last` is the latest month due."""
    count = len(months())
    last, before = count - 1, count - 2  # October and September when the scenarios were planned
    fates: list[str | None] = ["approved"] * count
    for k in range(count - 1):
        if rng.random() < 0.05:
            fates[k] = "fixed"
    if scenario == "on_time":
        fates[last] = rng.choice(["approved"] * 5 + ["submitted", "submitted_late"])
    elif scenario == "overdue":
        if variant % 3 == 2:  # a few months never reported
            for k in rng.sample(range(1, before), 2):
                fates[k] = None
        fates[before] = rng.choice(["approved"] * 4 + ["submitted_late", "returned"])
        fates[last] = rng.choice(
            ["approved"] * 3 + ["submitted", "submitted_late", "returned", "draft", "draft", None, None]
        )
    elif scenario == "at_risk":
        if variant == 2:
            fates[before] = rng.choice(["submitted_late", "returned", None])
            fates[last] = rng.choice(["draft", None])
        if code == "82221":
            fates[last] = "returned_station"
    elif scenario == "no_data":
        if variant == 0:
            fates = [None] * count
        elif variant == 1:
            fates = [None] * last + ["draft"]
        else:
            fates = [None] * (before - 1) + ["returned", "submitted_late", "draft"]
    for k in (before, last):
        if scenario in ("late", "on_track") or (scenario == "at_risk" and variant != 2):
            fates[k] = fates[k] if fates[k] in ("approved", "fixed", "returned_station") else "approved"
    return fates


# --- values -------------------------------------------------------------------------------------

ABBREVIATIONS = {"health_station": "TYT", "regional_centre": "TTYT", "private_clinic": "PK", "other": "BX"}


def _values(facility: Facility, shape: Shape, k: int, rng: random.Random, base: dict) -> dict:
    """The report of month k: figures consistent with the facility's beds, type and progress.

    The path's stage goes on to the legal steps (self-assessed ... paperless), which demo.milestones
    records as milestones; the report itself states at most "hospital-wide in parallel with paper".
    """
    period, total, live, stage = months()[k], shape.total, shape.live[k], shape.stage[k]
    share = live / total if total else 0
    electronic = 0.0 if stage < Stage.PILOT else min(1.0, share * rng.uniform(0.85, 1.0))
    if stage == Stage.PAPERLESS:
        electronic = 1.0
    inpatient = round(base["inpatient"] * rng.uniform(0.9, 1.1))
    visits = round(base["visits"] * rng.uniform(0.88, 1.12))
    signers = base["signers"]
    certified = min(signers, round(signers * min(1.0, 0.3 + share * 0.75)))
    staff_total = base["staff"]
    security = base["security_month"] is not None and k >= base["security_month"]
    values = {
        "stage": min(stage, Stage.HOSPITAL_WIDE),
        "departments_total": total,
        "departments_live": live,
        "inpatient_records": inpatient,
        "inpatient_electronic": round(inpatient * electronic),
        "outpatient_visits": visits,
        "outpatient_electronic": round(visits * electronic),
        "signed_share": None
        if stage < Stage.PILOT
        else round(min(100.0, electronic * 100 * rng.uniform(0.85, 1.0)), 1),
        "lis_live": base["lis"],
        "pacs_live": base["pacs"],
        "bhxh_on_time_share": round(rng.uniform(86, 100), 1) if facility.bhyt_contract else None,
        "vneid_sent": k >= base["vneid_month"],
        "signers_total": signers,
        "signers_with_certificate": certified,
        "security_approved": security,
        "security_decision_date": base["security_date"] if security else None,
        "last_backup_date": period_end(period) - datetime.timedelta(days=rng.randint(0, 3)),
        "last_restore_test_date": (
            period_end(add_months(period, -(k % 3) - 1)) - datetime.timedelta(days=2)
            if k >= 2 and base["restore_tests"]
            else None
        ),
        "staff_total": staff_total,
        "staff_trained": min(staff_total, round(staff_total * min(1.0, 0.2 + share * 0.8))),
        "spending_to_date": int(round(base["budget"] * (0.25 + 0.75 * (k + 1) / len(months())), -6)),
    }
    if stage == Stage.PAPERLESS and values["signed_share"] is not None:
        values["signed_share"] = round(rng.uniform(98, 100), 1)
    return values


def _base(facility: Facility, rng: random.Random) -> dict:
    kind, beds = facility.type.code, facility.beds or 0
    hospital = kind in ("general_hospital", "specialty_hospital", "private_hospital")
    if hospital:
        visits, signers, staff, budget = beds * rng.uniform(18, 30), beds * 0.45, beds * 1.3, rng.uniform(1.2e9, 6e9)
    elif kind == "regional_centre":
        visits, signers, staff, budget = (
            beds * rng.uniform(25, 40),
            beds * 0.5,
            beds * 1.5 + 20,
            rng.uniform(3e8, 1.5e9),
        )
    elif kind == "health_station":
        visits, signers, staff, budget = (
            rng.uniform(350, 1300),
            rng.randint(4, 9),
            rng.randint(7, 14),
            rng.uniform(1.5e7, 1.2e8),
        )
    elif kind == "private_clinic":
        visits, signers, staff, budget = (
            rng.uniform(250, 1800),
            rng.randint(2, 12),
            rng.randint(4, 25),
            rng.uniform(2e7, 3e8),
        )
    else:
        visits, signers, staff, budget = (
            rng.uniform(150, 600),
            rng.randint(3, 10),
            rng.randint(6, 20),
            rng.uniform(2e7, 2e8),
        )
    signers, staff = max(1, round(signers)), max(2, round(staff))
    security_month = 0 if hospital else rng.choice([None, None, 3, 5, 7]) if kind != "regional_centre" else 4
    abbreviation = ABBREVIATIONS.get(kind, "BV")
    return {
        "inpatient": beds * rng.uniform(2.5, 3.6) if facility.has_inpatient else 0,
        "visits": visits,
        "signers": signers,
        "staff": max(staff, signers),
        "budget": budget,
        "lis": hospital or kind == "regional_centre" or rng.random() < 0.2,
        "pacs": hospital or (kind == "regional_centre" and rng.random() < 0.7),
        "vneid_month": rng.randint(2, 12),
        "security_month": security_month,
        "security_date": datetime.date(2025 if hospital else 2026, rng.randint(2, 4), rng.randint(1, 28)),
        "restore_tests": hospital or rng.random() < 0.4,
        "decision_number": f"{rng.randint(45, 980)}/QĐ-{abbreviation}",
    }


def variants() -> dict[str, tuple[str, int, int]]:
    """Facility code -> (scenario, variant, index among the facilities of that scenario)."""
    result, seen = {}, {}
    for code, scenario in sorted(scenarios().items()):
        index = seen.get(scenario, 0)
        seen[scenario] = index + 1
        result[code] = (scenario, 0 if code == "82221" else index % 3, index)
    return result


def draws(facility: Facility, scenario: str, variant: int, index: int):
    """The facility's path, report fates, base figures and the random source they came from (reproducible:
    milestones.demo reads the same path to record the milestones the reports lead to)."""
    rng = random.Random(f"reports-demo-{facility.code}")
    shape = _shape(scenario, variant, facility, rng, index)
    fates = _fates(scenario, variant, facility.code, rng)
    base = _base(facility, rng)
    return shape, fates, base, rng


def _plans(facility: Facility, scenario: str, variant: int, index: int = -1) -> list[Planned]:
    shape, fates, base, rng = draws(facility, scenario, variant, index)
    troubled = scenario in ("overdue", "at_risk", "no_data") or rng.random() < 0.15
    plans = []
    for k, fate in enumerate(fates):
        if fate is None:
            continue
        values = _values(facility, shape, k, rng, base)
        if troubled and rng.random() < 0.45:
            values["difficulties"] = rng.choice(DIFFICULTIES)
            values["support_requested"] = rng.choice(SUPPORT) if rng.random() < 0.6 else ""
        plan = Planned(period=months()[k], values=values, fate=fate.removesuffix("_late"), late=fate.endswith("_late"))
        if fate in ("approved", "fixed") and rng.random() < 0.1:
            plan.late = True
        if fate == "returned_station":
            plan.fate, plan.comment = "returned", STATION_COMMENT
            plan.values["outpatient_electronic"] = plan.values["outpatient_visits"]
        elif fate == "returned":
            plan.comment = rng.choice(RETURN_COMMENTS)
        elif fate == "fixed":
            plan.comment = RETURN_COMMENTS[0]
            wrong = min(values["outpatient_visits"], round(values["outpatient_electronic"] * 1.15) + 5)
            plan.fix = {"outpatient_electronic": wrong}
        plans.append(plan)
    return plans


def _escalate(plans_by_code: dict[str, list[Planned]], codes: list[str]) -> None:
    """A few facilities flag their latest difficulty for the People's Committee."""
    for i, code in enumerate(codes):
        plan = plans_by_code[code][-1]
        plan.values["difficulties"] = ESCALATIONS[i % len(ESCALATIONS)]
        plan.values["support_requested"] = SUPPORT[0]
        plan.values["needs_escalation"] = True


# --- timelines and writing ------------------------------------------------------------------


def _moment(day: datetime.date, rng: random.Random, first_hour: int = 7, last_hour: int = 16) -> datetime.datetime:
    local = datetime.datetime.combine(day, datetime.time(rng.randint(first_hour, last_hour), rng.randint(0, 59)))
    return min(timezone.make_aware(local), last_event())


def _events(plan: Planned, rng: random.Random) -> list[tuple[str, datetime.datetime]]:
    """(action, when) from creation to the plan's final state, in order."""
    next_month = add_months(plan.period, 1)
    created = next_month.replace(day=rng.randint(1, 3))
    if plan.fate == "draft":
        return [("created", _moment(created, rng))]
    submit_day = next_month.replace(day=rng.randint(6, 18) if plan.late else rng.randint(max(2, created.day), 5))
    events = [("created", _moment(created, rng, 7, 9)), ("submitted", _moment(submit_day, rng, 10, 16))]
    review_day = submit_day + datetime.timedelta(days=rng.randint(1, 5))
    if plan.fate in ("returned", "fixed"):
        events.append(("returned", _moment(review_day, rng)))
    if plan.fate == "fixed":
        fixed_day = review_day + datetime.timedelta(days=rng.randint(1, 3))
        events += [("edited", _moment(fixed_day, rng, 7, 9)), ("submitted", _moment(fixed_day, rng, 10, 16))]
        review_day = fixed_day + datetime.timedelta(days=rng.randint(1, 4))
    if plan.fate in ("approved", "fixed"):
        events.append(("approved", _moment(review_day, rng)))
    return events


def _apply(report: MonthlyReport, action: str, when, *, reporter, officer, plan: Planned) -> None:
    """Move the in-memory report one step, the way core.workflow would have at `when`."""
    by = officer if action in ("returned", "approved") else reporter
    if action == "edited":
        for name, value in plan.values.items():
            setattr(report, name, value)
    elif action == "submitted":
        report.status, report.submitted_at, report.submitted_by = Status.SUBMITTED, when, reporter
        report.first_submitted_at = report.first_submitted_at or when
        report.attested_by_name = report.facility.head_name
    elif action == "returned":
        report.status, report.reviewed_at, report.reviewed_by = Status.RETURNED, when, officer
        report.review_comment = plan.comment
    elif action == "approved":
        report.status, report.reviewed_at, report.reviewed_by = Status.APPROVED, when, officer
        report.review_comment = ""
    report.version += 1
    report.updated_at = when
    report._history_date, report._history_user, report._change_reason = when, by, action


@transaction.atomic
def build(stdout=None) -> dict:
    """Create the demo reports that do not exist yet; running it again changes nothing."""
    officer = User.objects.filter(username=OFFICER).first()
    members = {}
    for membership in Membership.objects.select_related("user").order_by("-role", "pk"):  # staff before heads
        members.setdefault(membership.facility_id, membership.user)
    facilities = {f.code: f for f in Facility.objects.select_related("type")}
    existing = set(MonthlyReport.objects.values_list("facility_id", "period"))
    plans_by_code = {}
    for code, (scenario, variant, index) in variants().items():
        plans_by_code[code] = _plans(facilities[code], scenario, variant, index)
    troubled = [c for c, s in sorted(scenarios().items()) if s in ("overdue", "at_risk") and plans_by_code[c]]
    _escalate(plans_by_code, troubled[::9][:5])

    reports, timelines = [], []
    for code, plans in plans_by_code.items():
        facility = facilities[code]
        reporter = members.get(facility.pk, officer)
        for plan in plans:
            if (facility.pk, plan.period) in existing:
                continue
            rng = random.Random(f"reports-demo-{code}-{plan.period}")
            events = _events(plan, rng)
            report = MonthlyReport(facility=facility, period=plan.period, version=1, created_by=reporter)
            for name, value in (plan.values | plan.fix).items():
                setattr(report, name, value)
            when = events[0][1]
            report._history_date, report._history_user, report._change_reason = when, reporter, "created"
            reports.append(report)
            timelines.append((report, events[1:], reporter, plan))
    if reports:
        bulk_create_with_history(reports, MonthlyReport, batch_size=500)
    step = 0
    while True:
        # Each step moves every report with a step left, one action at a time, updating only what it changes.
        batches: dict[str, list[MonthlyReport]] = {}
        changed: dict[str, set[str]] = {}
        for report, events, reporter, plan in timelines:
            if step < len(events):
                action, when = events[step]
                _apply(report, action, when, reporter=reporter, officer=officer, plan=plan)
                batches.setdefault(action, []).append(report)
                changed.setdefault(action, set()).update(plan.fix if action == "edited" else ())
        if not batches:
            break
        for action, batch in batches.items():
            fields = ACTION_FIELDS.get(action, ["version", "updated_at"]) + sorted(changed[action])
            bulk_update_with_history(batch, MonthlyReport, fields=fields, batch_size=500)
        step += 1
    counts = {str(label): 0 for label in Status.labels}
    for report in reports:
        counts[str(report.get_status_display())] += 1
    if stdout:
        stdout.write(f"Demo monthly reports: {len(reports)} created.")
    return {"reports": len(reports), "by_status": counts}
