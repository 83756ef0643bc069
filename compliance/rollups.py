"""Keep ComplianceRollup right: the dashboard's counts per type × area × ownership × status, per day.

Each write recomputes the cells it can have changed from the status table, in the writer's transaction:
the slices (type, area, ownership) of the facilities written, from the active facilities and their
statuses as of the day (compliance.selectors.with_compliance, the dashboard's own direct query), then the
province's rows (area empty) of those (type, ownership) from the area rows. A whole run rebuilds the day.

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
from django.db.models import Count, Max, Q, Sum, Value
from django.db.models.functions import Coalesce

from facilities.models import Facility

from .asof import today
from .models import ComplianceRollup
from .selectors import with_compliance

LOCK_KEY = 7_441_001  # pg_advisory_xact_lock key of rollup writes
WHOLE_DAY_ABOVE = 200  # slices: more than this many, rebuilding the day is cheaper than one by one
COLUMNS = ["type_id", "area_id", "ownership", "status", "paperless_status"]
MEASURES = ["facilities", "deployed", "after_legal", "progress", "computed_at"]

Slice = tuple[int, int, str]  # (type_id, area_id, ownership)


def slices_of(facility_ids: Iterable[int]) -> set[Slice]:
    """The slices the facilities are in now (active or not)."""
    return set(Facility.objects.filter(pk__in=list(facility_ids)).values_list("type_id", "area_id", "ownership"))


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _area_cells(day: datetime.date, slices: set[Slice] | None):
    """The area rows of `slices` (every slice: None) as of `day`, from the facilities and their statuses."""
    facilities = Facility.objects.active()
    if slices is not None:
        facilities = facilities.filter(_slice_q(slices, ""))
    return (
        with_compliance(facilities, day)
        .annotate(cell_status=Coalesce("status", Value("")), cell_paperless=Coalesce("paperless_status", Value("")))
        .values("type_id", "area_id", "ownership", "cell_status", "cell_paperless")
        .annotate(
            n=Count("pk"),
            deployed_n=Count("pk", filter=Q(deployed=True)),
            after_legal_n=Count("pk", filter=Q(after_legal_deadline=True)),
            progress_sum=Coalesce(Sum("progress"), Value(0), output_field=ComplianceRollup._meta.get_field("progress")),
            latest=Max("computed_at"),
        )
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


def _write(day: datetime.date, slices: set[Slice] | None) -> None:
    """Replace the area rows of `slices` (None: all) and the province rows above them."""
    rows = ComplianceRollup.objects.filter(day=day)
    if slices is not None:
        rows = rows.filter(_slice_q(slices, "") | (Q(area__isnull=True) & _province_q(slices)))
    rows.delete()
    qn = connection.ops.quote_name
    table = qn(ComplianceRollup._meta.db_table)
    columns = ", ".join(qn(c) for c in ["day", *COLUMNS, *MEASURES])
    select, params = _area_cells(day, slices).query.sql_with_params()
    day_param = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT %s, c.type_id, c.area_id, c.ownership, c.cell_status, "
            f"c.cell_paperless, c.n, c.deployed_n, c.after_legal_n, c.progress_sum, c.latest FROM ({select}) c",
            [day_param, *params],
        )
        province = ComplianceRollup.objects.filter(day=day, area__isnull=False)
        if slices is not None:
            province = province.filter(_province_q(slices))
        select, params = (
            province.values("type_id", "ownership", "status", "paperless_status")
            .annotate(
                n=Sum("facilities"),
                deployed_n=Sum("deployed"),
                after_legal_n=Sum("after_legal"),
                progress_sum=Sum("progress"),
                latest=Max("computed_at"),
            )
            .order_by()
            .query.sql_with_params()
        )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT %s, c.type_id, NULL, c.ownership, c.status, "
            f"c.paperless_status, c.n, c.deployed_n, c.after_legal_n, c.progress_sum, c.latest FROM ({select}) c",
            [day_param, *params],
        )


def refresh(day: datetime.date, slices: set[Slice] | None = None) -> None:
    """Recompute the day's rows of `slices` (None: the whole day) from the statuses, in the caller's transaction.

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
            slices = None  # the day's first write: built whole
        _write(day, slices)


def refresh_current(slices: set[Slice] | None = None) -> None:
    """Today's rows after a write of the current statuses or of the registry."""
    refresh(today(), slices)


def forget(day: datetime.date) -> None:
    """A past day's statuses were recomputed: its rows go, and that day reads its snapshots."""
    with transaction.atomic(savepoint=False):  # the lock lasts until the caller's transaction ends
        _lock()
        rows = ComplianceRollup.objects.filter(day=day)
        rows.delete()
