"""Keep the rollups right: ComplianceRollup (the dashboard's counts per type × area × ownership × status, with
the budgets of the approved assessments) and ReportingRollup (reports sent per reporting month), per day.

Each write recomputes the cells it can have changed, in the writer's transaction: the slices (type, area,
ownership) of the facilities written, from the active facilities, their statuses as of the day
(compliance.selectors.with_compliance, the dashboard's own direct query), their latest approved assessments and
their reports sent, then the province's rows (area empty) of those (type, ownership) from the area rows. A whole
run rebuilds the day. The writers: the compliance engine (every approval, through the recompute), the registry
services, and a report's submission or return (compliance.services), which changes what was sent.

Why recompute rather than add and subtract: a recomputed cell is right whatever it held before (a missed
write, a row written by hand, a changed rule), and a facility moving between cells (its status, type,
area, ownership or activity) needs no knowledge of where it was. Why the lock: under READ COMMITTED two
transactions writing facilities of the same slice would each recompute it without the other's
uncommitted statuses, and the later commit would keep the earlier one's cell stale. Every rollup write
takes one transaction-level advisory lock first, so a writer's recompute starts only after the previous
writer committed and its statement sees that commit. Writers hold it only from their rollup step to their
commit (milliseconds for one facility), and touch rollup rows only under it, so no lock cycle can form.

The first write of a day builds the day whole; until then the latest earlier day's rows are the current
statuses (nothing was written since). A run for a past day (a backfill) deletes that day's rows: the
dashboard then reads that day's snapshots as before.
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum, Value
from django.db.models.functions import Coalesce

from facilities.models import Facility
from reports.models import MonthlyReport, was_sent

from .asof import latest_approved_assessments, reporting_periods, sent_before, today
from .models import ComplianceRollup, ReportingRollup
from .selectors import on_time, with_compliance

LOCK_KEY = 7_441_001  # pg_advisory_xact_lock key of rollup writes
WHOLE_DAY_ABOVE = 200  # slices: more than this many, rebuilding the day is cheaper than one by one
COLUMNS = ["type_id", "area_id", "ownership", "status", "paperless_status"]
MEASURES = [
    "facilities", "deployed", "after_legal", "progress", "computed_at", "assessed", "budget_needed", "budget_secured",
]  # fmt: skip
REPORTING_COLUMNS = ["period", "type_id", "area_id", "ownership", "reported", "on_time"]
# What the province's rows add up from the area rows (computed_at: the latest).
SUMMED = {*MEASURES, "reported", "on_time"}

Slice = tuple[int, int, str]  # (type_id, area_id, ownership)


def slices_of(facility_ids: Iterable[int]) -> set[Slice]:
    """The slices the facilities are in now (active or not)."""
    return set(Facility.objects.filter(pk__in=list(facility_ids)).values_list("type_id", "area_id", "ownership"))


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _active(slices: set[Slice] | None):
    facilities = Facility.objects.active()
    return facilities if slices is None else facilities.filter(_slice_q(slices, ""))


def _area_cells(day: datetime.date, facilities) -> tuple[str, list]:
    """The area rows of `facilities` as of `day` (SQL, params): their statuses, joined to each one's latest
    approved assessment (compliance.asof) for the budgets."""
    statuses = (
        with_compliance(facilities, day)
        .annotate(cell_status=Coalesce("status", Value("")), cell_paperless=Coalesce("paperless_status", Value("")))
        .values(
            "pk",
            "type_id",
            "area_id",
            "ownership",
            "cell_status",
            "cell_paperless",
            "deployed",
            "after_legal_deadline",
            "progress",
            "computed_at",
        )
        .order_by()
    )
    assessed = (
        latest_approved_assessments(day, facilities).values("facility_id", "budget_needed", "budget_secured").order_by()
    )
    statuses_sql, statuses_params = statuses.query.sql_with_params()
    assessed_sql, assessed_params = assessed.query.sql_with_params()
    sql = (
        "SELECT f.type_id, f.area_id, f.ownership, f.cell_status, f.cell_paperless, COUNT(*), "
        "SUM(CASE WHEN f.deployed THEN 1 ELSE 0 END), SUM(CASE WHEN f.after_legal_deadline THEN 1 ELSE 0 END), "
        "COALESCE(SUM(f.progress), 0), MAX(f.computed_at), COUNT(a.facility_id), "
        "COALESCE(SUM(a.budget_needed), 0), COALESCE(SUM(a.budget_secured), 0) "
        f"FROM ({statuses_sql}) f LEFT JOIN ({assessed_sql}) a ON a.facility_id = f.pk "
        "GROUP BY f.type_id, f.area_id, f.ownership, f.cell_status, f.cell_paperless"
    )
    return sql, [*statuses_params, *assessed_params]


def _reporting_cells(day: datetime.date, facilities, months: list[datetime.date]):
    """The area rows of the reporting rollup: reports of `facilities` sent for each of `months` (reporting months
    of `day`) by then, and those first sent by the month's due day (compliance.selectors.reporting_completeness())."""
    timely = Q(pk__in=[])
    for month in months:
        timely |= Q(period=month) & on_time(month)
    return (
        MonthlyReport.objects.filter(was_sent(sent_before(day)), facility__in=facilities, period__in=months)
        .annotate(cell_type=F("facility__type_id"), cell_area=F("facility__area_id"), cell_own=F("facility__ownership"))
        .values("period", "cell_type", "cell_area", "cell_own")
        .annotate(n=Count("pk"), on_time_n=Count("pk", filter=timely))
        .order_by()
    )


def _slice_q(slices: set[Slice], prefix: str) -> Q:
    q = Q(pk__in=[])
    for type_id, area_id, ownership in slices:
        q |= Q(**{f"{prefix}type_id": type_id, f"{prefix}area_id": area_id, f"{prefix}ownership": ownership})
    return q


def _province_q(slices: set[Slice]) -> Q:
    q = Q(pk__in=[])
    for type_id, ownership in {(type_id, ownership) for type_id, _, ownership in slices}:
        q |= Q(type_id=type_id, ownership=ownership)
    return q


def _write(day: datetime.date, slices: set[Slice] | None, *, statuses: bool = True, periods=None) -> None:
    """Replace the area rows of `slices` (None: all) and the province rows above them, of both rollups (of the
    reporting rollup alone without `statuses`; of its months in `periods` alone, when given)."""
    qn = connection.ops.quote_name
    day_param = connection.ops.adapt_datefield_value(day)
    facilities = _active(slices)
    months = [month for month in reporting_periods(day) if periods is None or month in periods]
    tables = []
    if months:  # none when the report's month is not reported on yet (or any more) on `day`
        reporting = _reporting_cells(day, facilities, months).query.sql_with_params()
        tables.append((ReportingRollup, REPORTING_COLUMNS, reporting, Q(period__in=months)))
    if statuses:
        tables.append((ComplianceRollup, COLUMNS + MEASURES, _area_cells(day, facilities), Q()))
    for model, columns, cells, narrowed in tables:
        rows = model.objects.filter(narrowed, day=day)
        if slices is not None:
            rows = rows.filter(_slice_q(slices, "") | (Q(area__isnull=True) & _province_q(slices)))
        rows.delete()
        table = qn(model._meta.db_table)
        names = ", ".join(qn(c) for c in ["day", *columns])
        select, params = cells
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT %s, c.* FROM ({select}) c", [day_param, *params])
            province = model.objects.filter(narrowed, day=day, area__isnull=False)
            if slices is not None:
                province = province.filter(_province_q(slices))
            keys = [c for c in columns if c not in (*SUMMED, "area_id")]
            select, params = (
                province.values(*keys)
                .annotate(**{f"sum_{c}": Max(c) if c == "computed_at" else Sum(c) for c in columns if c in SUMMED})
                .order_by()
                .query.sql_with_params()
            )
            names = ", ".join(qn(c) for c in ["day", *keys, *(c for c in columns if c in SUMMED)])
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT %s, c.* FROM ({select}) c", [day_param, *params])


def refresh(day: datetime.date, slices: set[Slice] | None = None, *, statuses: bool = True, periods=None) -> None:
    """Recompute the day's rows of `slices` (None: the whole day) from the statuses, in the caller's transaction;
    without `statuses`, only the reporting rows (a report sent or returned changes nothing else), and with
    `periods` only those of these reporting months (a report changes its own month's: at 60,000 facilities the
    province's sums of one month instead of six take 1.8 ms instead of 6.6, under the lock every writer waits for).

    Today's rows read the current statuses; a past day's, that day's snapshots (a run for a past day calls
    forget() instead, see the module's docstring). A day without rows yet is built whole.
    """
    if slices is not None and not slices:
        return  # nothing written (an import of unchanged rows)
    with transaction.atomic(savepoint=False):  # the lock lasts until the caller's transaction ends
        _lock()
        if slices is not None and len(slices) > WHOLE_DAY_ABOVE:
            slices = None
        if slices is not None and not ComplianceRollup.objects.filter(day=day).exists():
            slices, statuses, periods = None, True, None  # the day's first write: built whole
        _write(day, slices, statuses=statuses, periods=periods)


def refresh_current(slices: set[Slice] | None = None, *, statuses: bool = True, periods=None) -> None:
    """Today's rows after a write of the current statuses, of the registry or (without `statuses`) of a report."""
    refresh(today(), slices, statuses=statuses, periods=periods)


def forget(day: datetime.date) -> None:
    """A past day's statuses were recomputed: its rows go, and that day reads its snapshots."""
    with transaction.atomic(savepoint=False):  # the lock lasts until the caller's transaction ends
        _lock()
        ComplianceRollup.objects.filter(day=day).delete()
        ReportingRollup.objects.filter(day=day).delete()
