"""Fill a database with a synthetic country: areas, facilities, users, assessments, reports, compliance.

Everything is written in one transaction, with COPY on PostgreSQL (bench.tables): a failure
leaves the database as it was. Ids are chosen here so rows refer to each other without reading
anything back; sequences are moved past them at the end. Facilities are written in chunks, each
chunk's assessments, answers, reports and past snapshots together, so memory stays bounded.

History (django-simple-history): each facility gets its "created" history row, as the registry
import would leave; assessments, answers and reports get none. Their history is read one object
at a time through an index on the object's id, so its size does not change any hot path, and
writing ~9 million history rows would double the time and disk of a 60,000 × 36 dataset. The
reports the benchmark and the load test create go through the services and get full history.

Today's compliance (current rows and today's snapshot) is computed by the real engine; past
snapshots by bench.snapshots from the planned data with the real rules.
"""

import datetime
import gc
import random
import time
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from assessments import scoring
from assessments.models import Answer, AnswerType, Assessment, Catalogue, Criterion
from compliance import rules
from compliance.engine import compute_compliance
from compliance.models import ComplianceRollup, ComplianceSnapshot, ComplianceStatus, FacilityCompliance
from facilities.models import Area, Facility, FacilityType, Membership
from milestones.models import Milestone, MilestoneKind
from reports.models import MonthlyReport, Stage, add_months, period_end

from . import names, plans, snapshots, tables
from .models import ScaleDataset
from .plans import TZ, FacilitySpec

PASSWORD = "bench-2026"  # every synthetic account; the load test logs in with it
OFFICERS = 5
LEADERS = 2
CHUNK = 2000  # facilities per batch of COPY statements
STATUS_VERSIONS = {"draft": 1, "submitted": 2, "returned": 3, "approved": 3}
# type code: (budget needed range in VND, share of facilities with rented or cloud software, doing health checks)
BUDGETS = {
    "general_hospital": ((8_000_000_000, 25_000_000_000), 0.2, 0.9),
    "specialty_hospital": ((3_000_000_000, 10_000_000_000), 0.2, 0.6),
    "regional_centre": ((3_000_000_000, 8_000_000_000), 0.3, 0.9),
    "private_hospital": ((2_000_000_000, 8_000_000_000), 0.5, 0.8),
    "health_station": ((150_000_000, 600_000_000), 0.6, 0.3),
    "private_clinic": ((50_000_000, 400_000_000), 0.7, 0.5),
    "other": ((200_000_000, 2_000_000_000), 0.4, 0.6),
}
MANDATORY_MET_SHARE = {"hospital": 0.6, "station": 0.35, "clinic": 0.25}

USER_COLUMNS = ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email"]
USER_COLUMNS += ["is_staff", "is_active", "date_joined", "role", "phone"]
FACILITY_FIELDS = ["code", "national_id", "name", "type_id", "ownership", "area_id", "address", "beds"]
FACILITY_FIELDS += ["has_inpatient", "has_daycare", "has_outpatient", "bhyt_contract", "head_name", "head_phone"]
FACILITY_FIELDS += ["head_email", "it_contact", "is_active", "deadline", "deadline_reason"]
FACILITY_FIELDS += ["deadline_document_number", "deadline_document_date", "created_at"]
FACILITY_COLUMNS = ["id", *FACILITY_FIELDS, "search_text", "updated_at"]
HISTORY_COLUMNS = ["id", *FACILITY_FIELDS, "history_date", "history_change_reason", "history_type", "history_user_id"]
SUBMISSION_COLUMNS = ["status", "version", "created_by_id", "created_at", "updated_at", "submitted_at"]
SUBMISSION_COLUMNS += ["submitted_by_id", "attested_by_name", "reviewed_at", "reviewed_by_id", "review_comment"]
ASSESSMENT_COLUMNS = ["id", *SUBMISSION_COLUMNS, "facility_id", "catalogue_id", "his_vendor", "his_version"]
ASSESSMENT_COLUMNS += ["emr_vendor", "it_staff_count", "clinical_departments", "budget_needed", "budget_secured"]
ASSESSMENT_COLUMNS += ["uses_rented_software", "does_health_checks", "score", "mandatory_met", "mandatory_gaps"]
ANSWER_COLUMNS = ["assessment_id", "criterion_id", "value_bool", "value_number", "value_date", "note", "status", "met"]
REPORT_COLUMNS = ["id", *SUBMISSION_COLUMNS, "facility_id", "period", "stage", "stage_explanation"]
REPORT_COLUMNS += ["departments_total", "departments_live", "departments_drop_explanation"]
REPORT_COLUMNS += ["inpatient_records", "inpatient_electronic", "outpatient_visits", "outpatient_electronic"]
REPORT_COLUMNS += ["signed_share", "lis_live", "pacs_live", "bhxh_on_time_share", "vneid_sent", "signers_total"]
REPORT_COLUMNS += ["signers_with_certificate", "security_approved", "security_decision_date", "last_backup_date"]
REPORT_COLUMNS += ["last_restore_test_date", "staff_trained", "staff_total", "spending_to_date", "difficulties"]
REPORT_COLUMNS += ["support_requested", "needs_escalation", "first_submitted_at"]
MILESTONE_COLUMNS = [f.attname for f in Milestone._meta.concrete_fields]
PORTAL = "https://benhandientu.moh.gov.vn/co-so/{code}"

# Reference data kept: facility types (their deadlines are set here), the criteria catalogue.
DATASET_MODELS = [
    ScaleDataset,
    ComplianceSnapshot,
    Milestone,
    MonthlyReport,
    Answer,
    Assessment,
    Membership,
    Facility,
    Area,
    User,
]


def dataset_tables() -> list[str]:
    """Every table holding data of users and facilities (history, sessions, exports, log-in records too)."""
    from django.apps import apps

    keep = {"facilities.FacilityType", "assessments.Catalogue", "assessments.CriterionGroup", "assessments.Criterion"}
    tables = []
    for label in (
        "accounts",
        "facilities",
        "assessments",
        "reports",
        "milestones",
        "escalations",
        "compliance",
        "exports",
        "bench",
        "axes",
    ):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label not in keep and model._meta.managed and not model._meta.proxy:
                tables.append(model._meta.db_table)
    return [*tables, "django_session", "django_admin_log"]


class Phases:
    """Wall time of each phase, printed as it goes."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.started = self.last = time.monotonic()
        self.seconds: dict[str, float] = {}

    def done(self, name: str, detail: str = "") -> None:
        now = time.monotonic()
        self.seconds[name] = self.seconds.get(name, 0) + now - self.last
        self.last = now
        if detail:
            self.log(f"  {name:<28} {self.seconds[name]:7.1f} s  {detail}")

    @property
    def total(self) -> float:
        return time.monotonic() - self.started


def generate(
    *, facilities: int, months: int, seed: int = 1, cadence: str = "weekly", log: Callable[[str], None] = print
) -> ScaleDataset:
    """Replace the database's data with a synthetic dataset; the caller has checked it holds no real data."""
    now = timezone.now()
    today = timezone.localdate()
    last_month = add_months(today.replace(day=1), -1)
    periods = [add_months(last_month, i - (months - 1)) for i in range(months)]
    phases = Phases(log)
    # Millions of long-lived objects (plans, timelines) would make every cyclic-GC pass walk them all;
    # nothing here builds reference cycles, so collection waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _generate(facilities, months, seed, cadence, now, today, last_month, periods, phases)
    finally:
        if collecting:
            gc.enable()


def _generate(facilities, months, seed, cadence, now, today, last_month, periods, phases) -> ScaleDataset:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        tables.wipe([], dataset_tables())
        phases.done("wipe", "previous data removed")
        marker = ScaleDataset.objects.create(
            facilities=facilities,
            months=months,
            seed=seed,
            snapshots=cadence,
            last_month=last_month,
            started_at=now,
        )
        writer = _Writer(now=now, today=today, periods=periods, seed=seed, cadence=cadence, phases=phases)
        with tables.foreign_keys_set_aside(dataset_tables()):
            counts = writer.run(facilities)
            phases.done("rows written")
        phases.done("foreign keys checked", "every reference valid")
        tables.reset_sequences([User, Area, Facility, Membership, Assessment, MonthlyReport, Milestone])
        counts["statuses"] = compute_compliance(today)
        computed = sum(counts["statuses"][status] for status in ComplianceStatus.values)
        phases.done("compliance today (engine)", f"{computed} facilities")
        marker.finished_at = timezone.now()
        marker.seconds = round(phases.total, 1)
        marker.max_user_id = writer.max_user_id
        marker.max_area_id = len(writer.areas)
        marker.max_facility_id = facilities
        marker.counts = counts
        marker.save()
    vacuum_analyze()
    phases.done("commit and analyze", "statistics ready")
    marker.seconds = round(phases.total, 1)
    marker.counts["phases"] = {name: round(s, 1) for name, s in phases.seconds.items()}
    marker.save(update_fields=["seconds", "counts"])
    return marker


def vacuum_analyze() -> None:
    """Fresh statistics and visibility maps, so the benchmark's queries get the plans production keeps.

    The big tables were written frozen and all-visible (COPY FREEZE); the rows the engine and the
    sequences touched afterwards are not, and index-only scans would visit the table for them until
    autovacuum passes. Each benchmark run starts with it too: the previous run's nightly recomputes and a load
    test leave dead rows behind, which autovacuum removes in production but may be off on a benchmark server.
    """
    _vacuum("VACUUM (ANALYZE)", "ANALYZE")


def vacuum_after_nightly() -> None:
    """What autovacuum does in the day between two nightly runs: the old versions of the compliance rows the run
    rewrote are freed, so the next run writes into that space instead of growing the tables.

    The benchmark runs the nightly recompute several times within minutes; without this (autovacuum may be off on a
    benchmark server, and would not have passed between two runs seconds apart) the current-status table grows by
    its whole size each run.
    """
    tables = ", ".join(model._meta.db_table for model in (FacilityCompliance, ComplianceSnapshot, ComplianceRollup))
    _vacuum(f"VACUUM (ANALYZE) {tables}", f"ANALYZE {tables}")


def compact_current_statuses() -> None:
    """The current-status table rewritten compactly (VACUUM FULL, about a second at 60,000 facilities).

    Every nightly run rewrites each of its rows; in production autovacuum frees the old versions before the next run,
    and the table settles at about twice its rows' size. A benchmark database goes through dozens of runs in minutes
    and across benchmark runs, with no autovacuum between them: 5 × its rows' size was seen, and the provincial
    workbook, which reads the table facility by facility, took 22.5 s against 15.4 s once compacted.
    """
    table = FacilityCompliance._meta.db_table
    _vacuum(f"VACUUM (FULL, ANALYZE) {table}", f"ANALYZE {table}")


def _vacuum(statement: str, in_transaction: str) -> None:
    """`statement` on PostgreSQL outside a transaction; else `in_transaction` (VACUUM cannot run in a test's)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(statement)
        else:
            cursor.execute(in_transaction)


class _Writer:
    def __init__(self, *, now, today, periods, seed, cadence, phases):
        self.now = now
        self.today = today
        self.periods = periods
        self.seed = seed
        self.phases = phases
        self.snapshot_days = snapshots.snapshot_days(today, periods[0], cadence)
        self.types = {t.code: t for t in FacilityType.objects.all()}
        self.catalogue = Catalogue.objects.current()
        if self.catalogue is None:
            raise RuntimeError("No published criteria catalogue: run the migrations first.")
        self.criteria = scoring.catalogue_criteria(self.catalogue.pk)
        self.password = make_password(PASSWORD)
        self.areas: list[plans.AreaSpec] = []
        self.max_user_id = 0
        self.officer_ids: list[int] = []
        self.staff_of: dict[int, int] = {}
        self.report_id = 0
        self.assessment_id = 0
        self.latest_assessment: dict[int, tuple[datetime.date, bool]] = {}
        self.timelines: dict[int, list[snapshots.Counted]] = {}
        self.milestone_dates: dict[int, dict[str, datetime.date]] = {}
        self.milestones: dict[int, dict[str, rules.MilestoneFact]] = {}
        self.milestone_id = 0

    # -- registry and people ----------------------------------------------------------------

    def write(self, model, attnames, rows) -> int:
        """Every table written here was emptied in this transaction: its rows can be written frozen."""
        return tables.write_rows(model, attnames, rows, freeze=True)

    def run(self, n: int) -> dict:
        self._set_type_deadlines()
        self.areas = plans.build_areas(n, self.seed)
        specs = plans.build_facilities(n, self.areas, self.seed)
        counts = {"areas": self.write(Area, ["id", "code", "name", "kind"], self._area_rows())}
        counts["users"] = self.write(User, USER_COLUMNS, self._user_rows(specs))
        counts["facilities"] = self.write(Facility, FACILITY_COLUMNS, self._facility_rows(specs))
        history = Facility.history.model
        self.write(history, HISTORY_COLUMNS, self._facility_history_rows(specs))
        counts["memberships"] = self.write(
            Membership, ["id", "user_id", "facility_id", "role", "created_at"], self._membership_rows(specs)
        )
        self.phases.done("registry and users", f"{n} facilities, {counts['users']} users")
        months = len(self.periods)
        rollouts = [
            plans.plan_rollout(
                spec,
                months,
                plans.month_index(self.periods, spec.effective_deadline),
                plans.Rng(f"rollout-{spec.seed}"),
            )
            for spec in specs
        ]
        counts |= {"assessments": 0, "answers": 0}
        for start in range(0, n, CHUNK):
            self._write_assessments(specs[start : start + CHUNK], rollouts[start : start + CHUNK], counts)
        self.phases.done("assessments and answers", f"{counts['assessments']} assessments")
        counts["reports"] = self.write(MonthlyReport, REPORT_COLUMNS, self._report_rows(specs, rollouts))
        self.phases.done("reports", f"{counts['reports']} reports, month by month")
        counts["milestones"] = self.write(Milestone, MILESTONE_COLUMNS, self._milestone_rows(specs))
        self.phases.done("milestones", f"{counts['milestones']} milestones")
        counts["snapshots"] = self.write(ComplianceSnapshot, snapshots.SNAPSHOT_COLUMNS, self._snapshot_rows(specs))
        self.phases.done("past snapshots", f"{counts['snapshots']} rows, day by day")
        return counts

    def _rollout(self, spec: FacilitySpec, months: int) -> plans.Rollout:
        deadline_index = plans.month_index(self.periods, spec.effective_deadline)
        return plans.plan_rollout(spec, months, deadline_index, plans.Rng(f"rollout-{spec.seed}"))

    def _set_type_deadlines(self) -> None:
        """The national legal dates: hospitals and regional centres 30/09/2025, every other facility 31/12/2026."""
        for code, facility_type in self.types.items():
            facility_type.deadline = plans.HOSPITAL_DEADLINE if code in plans.HOSPITAL_LIKE else plans.OTHER_DEADLINE
            facility_type.save(update_fields=["deadline"])

    def _area_rows(self) -> Iterator[tuple]:
        for area in self.areas:
            yield area.id, area.code, area.name, area.kind

    def _user_rows(self, specs: list[FacilitySpec]) -> Iterator[tuple]:
        rng = plans.Rng(f"users-{self.seed}")
        joined = datetime.datetime.combine(self.periods[0], datetime.time(8), tzinfo=TZ) - datetime.timedelta(days=30)
        uid = 0

        def row(username, role):
            nonlocal uid
            uid += 1
            first, last = names.person(rng)
            email = f"{username}@bench.invalid"
            phone = f"09{rng.randint(10_000_000, 99_999_999)}"
            return (uid, self.password, None, False, username, first, last, email, False, True, joined, role, phone)

        for i in range(1, OFFICERS + 1):
            yield row(f"canbo.{i:02d}", Role.OFFICER)
            self.officer_ids.append(uid)
        for i in range(1, LEADERS + 1):
            yield row(f"lanhdao.{i:02d}", Role.LEADERSHIP)
        self.head_of: dict[int, int] = {}
        for spec in specs:
            yield row(f"nv.{spec.code}", Role.FACILITY)
            self.staff_of[spec.id] = uid
            if spec.group == "hospital" or plans.Rng(f"head-{spec.seed}").random() < 0.3:
                yield row(f"gd.{spec.code}", Role.FACILITY)
                self.head_of[spec.id] = uid
        self.max_user_id = uid

    def _facility_values(self, spec: FacilitySpec) -> tuple:
        created = datetime.datetime.combine(self.periods[0], datetime.time(9), tzinfo=TZ) - datetime.timedelta(days=60)
        return (
            spec.code,
            "",
            spec.name,
            self.types[spec.type_code].pk,
            spec.ownership,
            spec.area.id,
            spec.address,
            spec.beds,
            spec.has_inpatient,
            spec.type_code in plans.HOSPITAL_LIKE,
            True,
            spec.bhyt_contract,
            spec.head_name,
            spec.head_phone,
            f"giamdoc.{spec.code}@bench.invalid",
            "",
            spec.is_active,
            spec.deadline,
            names.EXTENSION_REASON if spec.deadline else "",
            names.EXTENSION_DOCUMENT[0] if spec.deadline else "",
            names.EXTENSION_DOCUMENT[1] if spec.deadline else None,
            created,  # last: also the row's updated_at and the history's date
        )

    def _facility_rows(self, specs: list[FacilitySpec]) -> Iterator[tuple]:
        for spec in specs:
            values = self._facility_values(spec)
            search = Facility.build_search_text(spec.code, spec.name, spec.address)
            yield (spec.id, *values, search, values[-1])

    def _facility_history_rows(self, specs: list[FacilitySpec]) -> Iterator[tuple]:
        officer = self.officer_ids[0]
        for spec in specs:
            values = self._facility_values(spec)
            yield (spec.id, *values, values[-1], "Nhập từ danh sách cơ sở", "+", officer)

    def _membership_rows(self, specs: list[FacilitySpec]) -> Iterator[tuple]:
        mid = 0
        for spec in specs:
            created = datetime.datetime.combine(self.periods[0], datetime.time(10), tzinfo=TZ)
            mid += 1
            yield mid, self.staff_of[spec.id], spec.id, "staff", created
            if spec.id in self.head_of:
                mid += 1
                yield mid, self.head_of[spec.id], spec.id, "head", created

    # -- submissions ----------------------------------------------------------------------------
    # Rows go in the order production writes them: a facility's assessment with its answers, monthly
    # reports month after month, snapshots day after day (the nightly run), so the tables' physical
    # order, which period and day aggregates depend on, is the one a real database would have.

    def _write_assessments(self, specs: list[FacilitySpec], rollouts: list[plans.Rollout], counts: dict) -> None:
        assessments, answers = [], []
        for spec, rollout in zip(specs, rollouts, strict=True):
            self._assessments(spec, rollout, plans.Rng(f"assessment-{spec.seed}"), assessments, answers)
        counts["assessments"] += self.write(Assessment, ASSESSMENT_COLUMNS, assessments)
        counts["answers"] += self.write(Answer, ANSWER_COLUMNS, answers)

    def _assessments(self, spec, rollout, rng, assessments: list, answers: list) -> None:
        """One approved assessment per facility (before its first report); 1 % also have a newer one submitted."""
        first = self.periods[max(rollout.start, 0)]
        created = plans.local_datetime(first - datetime.timedelta(days=rng.randint(15, 45)), rng)
        met_share = MANDATORY_MET_SHARE[spec.group]
        mandatory_met = rollout.complete or rng.random() < met_share
        row, met = self._assessment_row(spec, rng, created, "approved", mandatory_met, answers)
        assessments.append(row)
        gaps = tuple(row[ASSESSMENT_COLUMNS.index("mandatory_gaps")] or ())
        self.latest_assessment[spec.id] = (row[9].astimezone(TZ).date(), met, row[0], gaps)
        if rng.random() < 0.01:
            recent = plans.local_datetime(self.today - datetime.timedelta(days=rng.randint(3, 40)), rng)
            row, _ = self._assessment_row(spec, rng, recent, "submitted", True, answers)
            assessments.append(row)

    def _assessment_row(self, spec, rng, created, status, mandatory_met: bool, answers: list) -> tuple:
        self.assessment_id += 1
        aid = self.assessment_id
        (low, high), rented_share, checks_share = BUDGETS[spec.type_code]
        rented = rng.random() < rented_share
        checks = rng.random() < checks_share
        is_hospital = self.types[spec.type_code].is_hospital
        applicable = [
            c
            for c in self.criteria
            if scoring.applies(
                c,
                is_hospital=is_hospital,
                bhyt=spec.bhyt_contract,
                rented=rented,
                health_checks=checks,
                type_code=spec.type_code,
            )
        ]
        mandatory = [c for c in applicable if c.is_mandatory]
        gaps = set() if mandatory_met else {c.pk for c in rng.sample(mandatory, min(len(mandatory), rng.randint(1, 5)))}
        readiness = rng.uniform(0.4, 1.0)
        values = {}
        for c in applicable:
            met = c.pk not in gaps if c.is_mandatory else rng.random() < readiness
            values[c.pk] = _answer_value(c, met, created.date(), rng)
        evaluation = scoring.evaluate(
            applicable,
            values,
            is_hospital=is_hospital,
            bhyt=spec.bhyt_contract,
            rented=rented,
            health_checks=checks,
            type_code=spec.type_code,
            today=created.date(),
        )
        for c in applicable:
            v = values[c.pk]
            state = str(scoring.answer_status(c, v, created.date()))
            answers.append(
                (aid, c.pk, v.value_bool, v.value_number, v.value_date, "", state, c.pk in evaluation.met_ids)
            )
        submitted = created + datetime.timedelta(days=rng.randint(1, 7), hours=rng.randint(0, 4))
        reviewed = None
        if status == "approved":
            reviewed = min(submitted + datetime.timedelta(days=rng.randint(2, 15)), self.now)
        budget = rng.randint(low // 1_000_000, high // 1_000_000) * 1_000_000
        his_vendor, his_version = rng.choice(names.HIS_VENDORS)
        staff = self.staff_of[spec.id]
        row = (
            aid,
            status,
            STATUS_VERSIONS[status],
            staff,
            created,
            reviewed or submitted,
            submitted,
            staff,
            spec.head_name,
            reviewed,
            rng.choice(self.officer_ids) if reviewed else None,
            "",
            spec.id,
            self.catalogue.pk,
            his_vendor,
            his_version,
            rng.choice(names.EMR_VENDORS),
            max(0, spec.staff // 100 + rng.randint(0, 2)),
            spec.departments,
            budget,
            int(budget * rng.uniform(0.2, 1.0)) // 1_000_000 * 1_000_000,
            rented,
            checks,
            evaluation.score,
            evaluation.mandatory_met,
            evaluation.mandatory_gap_codes,
        )
        return row, evaluation.mandatory_met

    def _report_rows(self, specs: list[FacilitySpec], rollouts: list[plans.Rollout]) -> Iterator[tuple]:
        """Every facility's reports, month after month (the order they reach a real database)."""
        month_ends = [period_end(period) for period in self.periods]
        streams = []
        for spec, rollout in zip(specs, rollouts, strict=True):
            stream = self._facility_reports(spec, rollout, month_ends)
            streams.append([stream, next(stream, None)])
        for month in range(len(self.periods)):
            for state in streams:
                item = state[1]
                while item is not None and item[0] == month:
                    self.report_id += 1
                    yield (self.report_id, *item[1])
                    item = next(state[0], None)
                state[1] = item

    def _facility_reports(self, spec: FacilitySpec, rollout: plans.Rollout, month_ends) -> Iterator[tuple]:
        """(month index, report row without its id) for each report of the facility, oldest first; the
        approved ones are kept in the facility's timeline for the snapshots."""
        rng = plans.Rng(f"reports-{spec.seed}")
        months = plans.month_plans(spec, rollout, self.periods, month_ends, self.now, plans.Rng(f"months-{spec.seed}"))
        timeline = self.timelines[spec.id] = []
        staff = self.staff_of[spec.id]
        budget = rng.randint(*BUDGETS[spec.type_code][0])
        signers = max(1, int(spec.staff * rng.uniform(0.3, 0.6)))
        hospital = spec.group == "hospital"
        dates = self.milestone_dates[spec.id] = {}
        for plan in months:
            self._milestone_dates(plan, dates, rng)
            share = plan.live / spec.departments
            jitter = rng.uniform(0.9, 1.1)
            inpatient = int((spec.beds or 0) * rng.uniform(2.0, 4.0)) if spec.has_inpatient else 0
            outpatient = int(spec.outpatient * jitter)
            e_share = 1.0 if plan.stage >= Stage.PAPERLESS else min(1.0, share * rng.uniform(0.85, 1.05))
            records = (inpatient, int(inpatient * e_share), outpatient, int(outpatient * e_share))
            if plan.status == "approved":
                timeline.append(snapshots.counted(plan, spec.departments, records))
            status = plan.status
            reviewed = plan.reviewed_at
            difficulties = support = ""
            escalate = False
            troubled = spec.trajectory in ("stalled", "regressing", "not_started")
            if rng.random() < (0.3 if troubled else 0.08):
                difficulties = rng.choice(names.DIFFICULTIES)
                if rng.random() < 0.5:
                    support = rng.choice(names.SUPPORT)
                escalate = troubled and rng.random() < 0.12
            updated = reviewed or plan.submitted_at or plan.created_at
            backup = min(month_ends[plan.index], self.today) - datetime.timedelta(days=rng.randint(0, 6))
            secured = plan.stage >= Stage.SELF_ASSESSED and (hospital or rng.random() < 0.6)
            yield (
                plan.index,
                (
                    status,
                    STATUS_VERSIONS[status],
                    staff,
                    plan.created_at,
                    updated,
                    plan.submitted_at,
                    staff if plan.submitted_at else None,
                    spec.head_name if plan.submitted_at else "",
                    reviewed,
                    rng.choice(self.officer_ids) if reviewed else None,
                    rng.choice(names.RETURN_COMMENTS) if status == "returned" else "",
                    spec.id,
                    plan.period,
                    plan.stage,
                    names.STAGE_BACK if plan.stage_back else "",
                    spec.departments,
                    plan.live,
                    names.DEPARTMENTS_DROP if plan.dropped else "",
                    *records,
                    Decimal(f"{min(100.0, share * rng.uniform(60, 100)):.2f}") if plan.live else None,
                    hospital and share >= 0.3,
                    hospital and share >= 0.5,
                    Decimal(f"{rng.uniform(80, 100):.2f}") if spec.bhyt_contract else None,
                    share >= 0.7 and rng.random() < 0.7,
                    signers,
                    min(signers, int(signers * min(1.0, share + 0.2))),
                    secured,
                    plan.decision_date if secured and plan.decision_date else (backup if secured else None),
                    backup,
                    backup - datetime.timedelta(days=rng.randint(20, 90)) if rng.random() < 0.6 else None,
                    min(spec.staff, int(spec.staff * min(1.0, share + rng.uniform(0, 0.2)))),
                    spec.staff,
                    int(budget * (0.1 + 0.85 * share) * rng.uniform(0.9, 1.0)) // 1000 * 1000,
                    difficulties,
                    support,
                    escalate,
                    plan.submitted_at,  # sent once: the first submission is the last
                ),
            )

    @staticmethod
    def _milestone_dates(plan: plans.MonthPlan, dates: dict, rng: random.Random) -> None:
        """The legal steps the month's plan reached, each dated once: the self-assessment in the month the stage
        gets there (never after the decision), the decision, announcement and paper stop on the plan's dates."""
        if plan.stage >= Stage.SELF_ASSESSED and MilestoneKind.SELF_ASSESSED not in dates:
            dates[MilestoneKind.SELF_ASSESSED] = plan.period.replace(day=rng.randint(1, 20))
        for kind, day in (
            (MilestoneKind.DECISION, plan.decision_date),
            (MilestoneKind.ANNOUNCED, plan.announced_date),
            (MilestoneKind.PAPER_STOPPED, plan.paper_stopped_date),
        ):
            if day and kind not in dates:
                dates[kind] = day
        if MilestoneKind.DECISION in dates and MilestoneKind.SELF_ASSESSED in dates:
            dates[MilestoneKind.SELF_ASSESSED] = min(dates[MilestoneKind.SELF_ASSESSED], dates[MilestoneKind.DECISION])

    def _milestone_rows(self, specs: list[FacilitySpec]) -> Iterator[tuple]:
        """The milestones each facility's reports reached: verified by the DoH 1–10 days after their date (still
        awaiting verification when that is after now); the self-assessment rests on the approved assessment."""
        defaults = {f.attname: f.get_default() for f in Milestone._meta.concrete_fields}
        for spec in specs:
            rng = plans.Rng(f"milestones-{spec.seed}")
            staff = self.staff_of[spec.id]
            facts = self.milestones[spec.id] = {}
            for kind, day in sorted(self.milestone_dates.pop(spec.id).items(), key=lambda item: item[1]):
                self.milestone_id += 1
                submitted = plans.local_datetime(day, rng)
                reviewed = submitted + datetime.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 4))
                status = "approved" if reviewed < self.now else "submitted"
                reviewed = reviewed if status == "approved" else None
                assessment = self.latest_assessment.get(spec.id) if kind == MilestoneKind.SELF_ASSESSED else None
                values = defaults | {
                    "id": self.milestone_id,
                    "status": status,
                    "version": STATUS_VERSIONS[status],
                    "created_by_id": staff,
                    "created_at": submitted,
                    "updated_at": reviewed or submitted,
                    "submitted_at": submitted,
                    "submitted_by_id": staff,
                    "attested_by_name": spec.head_name,
                    "reviewed_at": reviewed,
                    "reviewed_by_id": rng.choice(self.officer_ids) if reviewed else None,
                    "facility_id": spec.id,
                    "kind": kind,
                    "date": day,
                    "assessment_id": assessment[2] if assessment else None,
                    "number": f"{rng.randint(10, 999)}/QĐ-{spec.code}" if kind == MilestoneKind.DECISION else "",
                    "effective_date": day if kind == MilestoneKind.DECISION else None,
                    "signer": spec.head_name if kind == MilestoneKind.DECISION else "",
                    "link": PORTAL.format(code=spec.code) if kind == MilestoneKind.ANNOUNCED else "",
                    "head_confirmed": True,
                }
                facts[kind] = rules.MilestoneFact(kind, day, status, reviewed, assessment[1] if assessment else None)
                yield tuple(values[name] for name in MILESTONE_COLUMNS)

    def _snapshot_rows(self, specs: list[FacilitySpec]) -> Iterator[tuple]:
        """Past snapshots, day after day, of the active facilities (the engine keeps none for the others)."""
        streams = [
            snapshots.facility_snapshots(
                spec,
                self.timelines.pop(spec.id),
                self.latest_assessment.get(spec.id),
                self.snapshot_days,
                milestones=self.milestones.pop(spec.id, {}),
                facility_type=self.types[spec.type_code],
            )
            for spec in specs
            if spec.is_active
        ]
        for _day in self.snapshot_days:
            for stream in streams:
                yield next(stream)


class _AnswerValue:
    __slots__ = ("value_bool", "value_number", "value_date", "status", "note")

    def __init__(self, value_bool=None, value_number=None, value_date=None):
        self.status, self.note = "", ""  # yes/no answers are read from value_bool, as earlier answers are
        self.value_bool = value_bool
        self.value_number = value_number
        self.value_date = value_date


def _answer_value(criterion: Criterion, met: bool, day: datetime.date, rng: random.Random) -> _AnswerValue:
    """An answer that meets (or misses) the criterion the way a facility would type it."""
    kind = criterion.answer_type
    if kind == AnswerType.YES_NO:
        return _AnswerValue(value_bool=met)
    if kind in (AnswerType.NUMBER, AnswerType.PERCENT):
        threshold = criterion.threshold if criterion.threshold is not None else Decimal(1)
        if met:
            top = Decimal(100) if kind == AnswerType.PERCENT else threshold + 3
            value = threshold + (top - threshold) * Decimal(rng.randint(0, 100)) / 100
        else:
            value = threshold * Decimal(rng.randint(0, 90)) / 100
        return _AnswerValue(value_number=value.quantize(Decimal("0.01")))
    if kind == AnswerType.DATE:
        return _AnswerValue(value_date=day - datetime.timedelta(days=rng.randint(10, 400)) if met else None)
    return _AnswerValue()
