"""What happens to each synthetic facility: its registry data and its month-by-month rollout.

Pure functions of a seed: the same seed, size and months give the same data whatever the
database. Each facility draws from its own random stream, so facilities do not depend on how
the generator batches them.

A facility follows one trajectory: it completes early, near its deadline or late; it progresses
steadily without finishing, stalls, regresses, never starts, or stops reporting. Departments
live follow that curve; the stage follows the departments (pilot while some are live,
facility-wide when all are, then self-assessment, decision, announcement and paperless a month
or so apart). Each month's report is approved, submitted, returned, a draft or missing, with
the recent months the least settled, as on a real portal.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from reports.models import Stage, add_months

from . import names

# National proportions (Vietnam, order of magnitude): mostly private clinics and commune
# health stations, a few thousand hospitals and regional centres in 60,000.
TYPE_SHARES = [
    ("general_hospital", 0.010),
    ("specialty_hospital", 0.010),
    ("regional_centre", 0.020),
    ("health_station", 0.200),
    ("private_hospital", 0.010),
    ("private_clinic", 0.730),
    ("other", 0.020),
]
HOSPITAL_LIKE = {"general_hospital", "specialty_hospital", "regional_centre", "private_hospital"}
# The national legal dates: hospitals by 30/09/2025, every other facility by 31/12/2026.
HOSPITAL_DEADLINE = datetime.date(2025, 9, 30)
OTHER_DEADLINE = datetime.date(2026, 12, 31)
EXTENDED_DEADLINE = datetime.date(2027, 3, 31)
FACILITIES_PER_AREA = 18  # about 3,300 communes for 60,000 facilities

# Trajectory weights per type group.
TRAJECTORIES = {
    "hospital": {"early": 25, "near": 30, "late": 25, "steady": 7, "stalled": 7, "regressing": 4, "silent": 2},
    "station": {"early": 12, "near": 25, "steady": 30, "stalled": 13, "regressing": 6, "not_started": 8, "silent": 6},
    "clinic": {"early": 8, "near": 15, "steady": 27, "stalled": 15, "regressing": 5, "not_started": 18, "silent": 12},
}
# (status weights) for the last month, the one before, and older months.
LAST_MONTH = {"approved": 58, "submitted": 14, "returned": 3, "draft": 7, "missing": 18}
PREVIOUS_MONTH = {"approved": 91, "submitted": 2, "returned": 1, "draft": 1, "missing": 5}
OLDER_MONTH = {"approved": 96.5, "submitted": 0.3, "returned": 0.2, "missing": 3}


class Rng(random.Random):
    """random.Random with a cheaper randint (the generator draws tens of millions of them)."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def type_counts(n: int) -> dict[str, int]:
    """Facilities per type for `n` facilities: the national shares, largest remainder, each type once at least."""
    raw = {code: n * share for code, share in TYPE_SHARES}
    counts = {code: int(value) for code, value in raw.items()}
    if n >= len(TYPE_SHARES):
        for code in counts:
            counts[code] = max(counts[code], 1)
    by_remainder = sorted(raw, key=lambda code: raw[code] - int(raw[code]), reverse=True)
    i = 0
    while sum(counts.values()) < n:
        counts[by_remainder[i % len(by_remainder)]] += 1
        i += 1
    while sum(counts.values()) > n:  # the minimum of one each overshot: take from the largest
        counts[max(counts, key=counts.get)] -= 1
    return counts


@dataclass(slots=True)
class AreaSpec:
    id: int
    code: str
    name: str
    kind: str


def build_areas(n_facilities: int, seed: int) -> list[AreaSpec]:
    rng = Rng(f"areas-{seed}")
    count = max(1, round(n_facilities / FACILITIES_PER_AREA))
    areas = []
    for i in range(count):
        roll = rng.random()
        kind, label = ("phuong", "Phường") if roll < 0.21 else ("xa", "Xã")
        if roll > 0.996:
            kind, label = "dac_khu", "Đặc khu"
        areas.append(AreaSpec(id=i + 1, code=f"{10001 + i:05d}", name=f"{label} {names.place(rng)}", kind=kind))
    return areas


@dataclass(slots=True)
class FacilitySpec:
    id: int
    code: str
    type_code: str
    name: str
    ownership: str
    area: AreaSpec
    address: str
    beds: int | None
    has_inpatient: bool
    bhyt_contract: bool
    head_name: str
    head_phone: str
    is_active: bool
    deadline: datetime.date | None  # an extension, rarely
    effective_deadline: datetime.date
    departments: int
    staff: int
    outpatient: int  # visits a month
    trajectory: str
    seed: str

    @property
    def group(self) -> str:
        if self.type_code in HOSPITAL_LIKE:
            return "hospital"
        return "clinic" if self.type_code == "private_clinic" else "station"


def _facility_name(type_code: str, area: AreaSpec, rng: random.Random) -> tuple[str, str]:
    """(name, ownership)"""
    where = area.name.split(" ", 1)[1]
    if type_code == "general_hospital":
        return f"Bệnh viện Đa khoa {names.place(rng)}", "public"
    if type_code == "specialty_hospital":
        return f"Bệnh viện {rng.choice(names.SPECIALTIES)} {names.place(rng)}", "public"
    if type_code == "regional_centre":
        return f"Trung tâm Y tế khu vực {where}", "public"
    if type_code == "health_station":
        return f"Trạm Y tế {area.name.split(' ', 1)[0].lower()} {where}", "public"
    if type_code == "private_hospital":
        return f"Bệnh viện {names.brand(rng)} {where}", "private"
    if type_code == "private_clinic":
        return f"Phòng khám {rng.choice(names.CLINIC_KINDS)} {names.brand(rng)}", "private"
    unit = rng.choice(names.OTHER_UNITS)
    ownership = "army" if "Quân" in unit or "Bộ đội" in unit else "police" if "Công an" in unit else "ministry"
    return f"{unit} {where}", ownership


# type: (departments range, staff range, beds range or None, outpatient visits a month range)
SIZES = {
    "general_hospital": ((20, 45), (600, 2000), (300, 1500), (20000, 60000)),
    "specialty_hospital": ((8, 25), (150, 600), (50, 500), (5000, 30000)),
    "regional_centre": ((10, 25), (150, 500), (60, 300), (8000, 30000)),
    "private_hospital": ((6, 20), (80, 400), (30, 300), (3000, 15000)),
    "health_station": ((1, 3), (4, 10), (3, 10), (300, 1500)),
    "private_clinic": ((1, 4), (3, 30), None, (150, 2500)),
    "other": ((1, 6), (10, 80), (10, 60), (200, 2000)),
}


def build_facilities(n: int, areas: list[AreaSpec], seed: int) -> list[FacilitySpec]:
    """The registry: `n` facilities in national proportions, spread over the areas (stations one per area first)."""
    rng = Rng(f"registry-{seed}")
    types = [code for code, count in type_counts(n).items() for _ in range(count)]
    rng.shuffle(types)
    facilities = []
    stations_placed = 0
    for i, type_code in enumerate(types):
        if type_code == "health_station":  # every commune has its station, then a few more points
            area = areas[stations_placed % len(areas)]
            stations_placed += 1
        else:
            area = rng.choice(areas)
        own_seed = f"{seed}-{i}"
        frng = Rng(own_seed)
        name, ownership = _facility_name(type_code, area, frng)
        departments, staff, beds, outpatient = SIZES[type_code]
        is_hospital = type_code in HOSPITAL_LIKE
        deadline = None
        effective = HOSPITAL_DEADLINE if is_hospital else OTHER_DEADLINE
        if type_code == "health_station" and frng.random() < 0.02:
            deadline = effective = EXTENDED_DEADLINE
        group = "hospital" if is_hospital else "clinic" if type_code == "private_clinic" else "station"
        first, last = names.person(frng)
        facilities.append(
            FacilitySpec(
                id=i + 1,
                code=f"{10000 + i + 1:05d}",
                type_code=type_code,
                name=name,
                ownership=ownership,
                area=area,
                address=f"Ấp {frng.randint(1, 9)}, {area.name}",
                beds=frng.randint(*beds) if beds else None,
                has_inpatient=is_hospital or (type_code == "other" and frng.random() < 0.5),
                bhyt_contract=type_code != "private_clinic" or frng.random() < 0.35,
                head_name=f"{first} {last}",
                head_phone=f"09{frng.randint(10_000_000, 99_999_999)}",
                is_active=not (type_code == "private_clinic" and frng.random() < 0.01),
                deadline=deadline,
                effective_deadline=effective,
                departments=frng.randint(*departments),
                staff=frng.randint(*staff),
                outpatient=frng.randint(*outpatient),
                trajectory=_pick(frng, TRAJECTORIES[group]),
                seed=own_seed,
            )
        )
    return facilities


@dataclass(slots=True)
class MonthPlan:
    """One month of a facility's rollout, and what happened to its report."""

    index: int
    period: datetime.date
    status: str  # approved, submitted, returned, draft (no report when the month is missing)
    stage: int
    live: int
    decision_date: datetime.date | None
    announced_date: datetime.date | None
    paper_stopped_date: datetime.date | None
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    stage_back: bool = False
    dropped: bool = False


@dataclass(slots=True)
class Rollout:
    start: int  # first month reported
    stop: int  # last month reported (silent facilities stop early)
    begin: float  # month where departments start going live
    full: float  # month where every department is live
    stage_months: list[int] = field(default_factory=list)  # month each stage after facility-wide is reached
    stall: int | None = None
    drop: int | None = None
    drop_by: int = 0
    planned: int = 0  # month the plan is made (not-started facilities)
    complete: bool = False


TZ = datetime.timezone(datetime.timedelta(hours=7))  # Asia/Ho_Chi_Minh has no daylight saving


def local_datetime(day: datetime.date, rng: random.Random) -> datetime.datetime:
    minutes = rng.randint(7 * 60 + 30, 17 * 60)
    return datetime.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=TZ)


def month_index(periods: list[datetime.date], day: datetime.date) -> int:
    """The index of `day`'s month in `periods` (may be outside 0..len-1)."""
    first = periods[0]
    return (day.year - first.year) * 12 + day.month - first.month


def plan_rollout(spec: FacilitySpec, months: int, deadline_index: int, rng: random.Random) -> Rollout:
    last = months - 1
    start = 0 if rng.random() < 0.88 or months < 8 else rng.randint(1, months // 2)
    kind = spec.trajectory
    stop = last
    if kind == "silent" or not spec.is_active:
        stop = max(start, last - rng.randint(2, 8))
    due = min(deadline_index, last)
    if kind in ("early", "near", "late"):
        if kind == "late" and deadline_index < last:
            done = rng.randint(deadline_index + 1, last)
        elif kind == "early" and due - 4 >= start + 4:
            done = rng.randint(start + 4, due - 4)
        else:
            done = rng.randint(max(start + 1, due - 3), max(start + 1, due))
        done = min(max(done, start + 1), last)
        steps = rng.randint(2, 4)  # facility-wide, then the paperwork a month or so apart
        full = done - steps
        begin = rng.uniform(full - 14, full - 3)
        stage_months = sorted(rng.sample(range(full + 1, done), min(3, max(done - full - 1, 0)))) + [done]
        while len(stage_months) < 4:
            stage_months.insert(0, stage_months[0])
        return Rollout(start, stop, begin, full, stage_months=stage_months, complete=True)
    if kind == "not_started":
        return Rollout(start, stop, begin=10**6, full=10**6 + 1, planned=rng.randint(start, last + 6))
    begin = rng.uniform(start - 12, last - 2)
    full = rng.uniform(max(begin + 2, last - 6), last + 18)
    rollout = Rollout(start, stop, begin, full)
    if full <= last:
        # Facility-wide within the window but the paperwork is not done: some of it, at most.
        first = int(full) + 1
        rollout.stage_months = [first + k * rng.randint(1, 3) for k in range(rng.randint(0, 2))]
    if kind == "stalled":
        rollout.stall = rng.randint(start + 1, max(start + 1, last - 2))
    elif kind == "regressing":
        rollout.drop = rng.randint(max(start + 2, last - 10), max(start + 2, last - 1))
        rollout.drop_by = max(1, round(spec.departments * rng.uniform(0.2, 0.5)))
    return rollout


def _share(rollout: Rollout, m: int) -> float:
    """Departments live as a share of the total in month m (before the stall or drop)."""
    if m < rollout.begin:
        return 0.0
    if m >= rollout.full:
        return 1.0
    return (m - rollout.begin + 1) / (rollout.full - rollout.begin + 1)


def departments_live(spec: FacilitySpec, rollout: Rollout, m: int) -> tuple[int, bool]:
    """(departments live in month m, whether it dropped against the month before)."""
    effective = min(m, rollout.stall) if rollout.stall is not None else m
    live = min(spec.departments, int(spec.departments * _share(rollout, effective) + 1e-9))
    if rollout.drop is not None and m >= rollout.drop:
        live = max(0, live - rollout.drop_by)
        return live, m == rollout.drop
    return live, False


def stage_of(spec: FacilitySpec, rollout: Rollout, m: int, live: int) -> int:
    effective = min(m, rollout.stall) if rollout.stall is not None else m
    if live == 0:
        planned = rollout.planned if rollout.full > 10**5 else rollout.begin - 3
        return Stage.PLANNED if effective >= planned else Stage.NOT_STARTED
    if live < spec.departments:
        return Stage.PILOT
    reached = sum(1 for month in rollout.stage_months if month <= effective)
    if rollout.complete:
        # self-assessed, decision, announced, paperless: the last one is the completion month.
        return Stage.HOSPITAL_WIDE + reached if reached < 4 else Stage.PAPERLESS
    return min(Stage.HOSPITAL_WIDE + reached, Stage.DECISION_ISSUED)


def _status(rng: random.Random, m: int, last: int, spec: FacilitySpec) -> str:
    weights = LAST_MONTH if m == last else PREVIOUS_MONTH if m == last - 1 else OLDER_MONTH
    status = _pick(rng, weights)
    if spec.trajectory == "not_started" and status == "approved" and rng.random() < 0.15:
        status = "missing"  # the facilities that do little also report least
    return status


def month_plans(
    spec: FacilitySpec,
    rollout: Rollout,
    periods: list[datetime.date],
    month_ends: list[datetime.date],
    now: datetime.datetime,
    rng: random.Random,
) -> Iterator[MonthPlan]:
    """The facility's reports month by month, oldest first (missing months left out), drawn lazily."""
    last = len(periods) - 1
    today = now.astimezone(TZ).date()
    decision = announced = paper = None
    previous_stage = 0
    for m in range(rollout.start, rollout.stop + 1):
        period = periods[m]
        live, dropped = departments_live(spec, rollout, m)
        stage = int(stage_of(spec, rollout, m, live))
        end = month_ends[m]
        # The paperwork dates are set in the month the stage is reached, then carried over.
        if stage >= Stage.DECISION_ISSUED and decision is None:
            decision = period.replace(day=rng.randint(3, 25))
        if stage >= Stage.ANNOUNCED and announced is None:
            announced = max(decision, period.replace(day=rng.randint(3, 27)))
        if stage >= Stage.PAPERLESS and paper is None:
            paper = max(announced, period.replace(day=rng.randint(1, end.day)))
        status = _status(rng, m, last, spec)
        stage_back = stage < previous_stage
        previous_stage = stage
        if status == "missing":
            continue
        submitted = reviewed = None
        if status == "draft":
            created = local_datetime(min(today, end + datetime.timedelta(days=rng.randint(1, 15))), rng)
        else:
            on_time = rng.random() < 0.82
            offset = rng.randint(1, 5) if on_time else rng.randint(6, 25)
            sent_day = min(end + datetime.timedelta(days=offset), today - datetime.timedelta(days=1))
            submitted = local_datetime(sent_day, rng)
            created = submitted - datetime.timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 5))
            if status in ("approved", "returned"):
                reviewed = submitted + datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 6))
                if reviewed >= now:
                    status, reviewed = "submitted", None  # not reviewed yet
        yield MonthPlan(
            m,
            period,
            status,
            stage,
            live,
            decision,
            announced,
            paper,
            created,
            submitted,
            reviewed,
            stage_back,
            dropped,
        )


def add(period: datetime.date, months: int) -> datetime.date:
    return add_months(period, months)
