"""Compliance engine (SPEC section 6): fetch the facts set-based, apply compliance.rules, store the results.

A run costs a fixed number of queries whatever the number of facilities: one for the
facilities (deadlines, paperless date, the counted assessment's mandatory criteria met and the codes
of those not met, as correlated subqueries), one
for the last 6 counted reports of every facility (a window function), one for the facilities'
milestones (any status but draft: the reasons name the unverified ones), then one upsert
statement of the day's snapshots per 5,000 facilities and one of their current rows (copied from those
snapshots inside the database), then the rollup's few statements (compliance.rollups). Only those
rows leave the database, never all reports.

"Approved as of D" is compliance.asof.approved_by(D): approved by the end of day D (or with no
review time recorded); for a past D (a backfill) a report approved later did not count yet.
"""

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, JSONField, OuterRef, Q, Subquery, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from assessments.models import Assessment
from core.models import Status
from core.pipeline import alongside, chunked
from facilities.models import Facility
from milestones.models import Milestone
from reports.models import MonthlyReport

from . import rollups, rules
from .asof import NEWEST_APPROVAL_FIRST, approved_by
from .models import ComplianceSnapshot, ComplianceStatus, FacilityCompliance, PaperlessStatus

BATCH_SIZE = 5000  # rows per upsert statement
RESULT_FIELDS = [
    "as_of",
    "status",
    "reasons",
    "deadline",
    "legal_deadline",
    "days_to_deadline",
    "progress",
    "deployed",
    "deployment_date",
    "after_legal_deadline",
    "paperless_status",
    "paperless_reasons",
    "paperless_from",
    "paperless_date",
    "projection",
    "projected_completion",
    "latest_period",
    "latest_stage",
    "computed_at",
]
REPORT_FIELDS = [
    "period",
    "stage",
    "departments_live",
    "departments_total",
    "inpatient_records",
    "inpatient_electronic",
    "outpatient_visits",
    "outpatient_electronic",
]


def counted_reports(as_of: datetime.date):
    """Monthly reports that count as of D: approved by the end of D, and their month ended before D."""
    return MonthlyReport.objects.filter(approved_by(as_of), period__lt=rules.first_uncounted_month(as_of))


def counted_assessment(as_of: datetime.date):
    """The latest assessment approved by the end of D, for a facility (OuterRef("pk")).

    Latest by approval time; an approval without a recorded time is the oldest (compliance.asof).
    """
    return Assessment.objects.filter(approved_by(as_of), facility=OuterRef("pk")).order_by(*NEWEST_APPROVAL_FIRST)


def _active(facility_ids: Iterable[int] | None):
    """The active facilities a run covers: all, or those of `facility_ids`."""
    facilities = Facility.objects.active()
    return facilities if facility_ids is None else facilities.filter(pk__in=facility_ids)


def _facilities(as_of: datetime.date, facility_ids: Iterable[int] | None):
    return (
        _active(facility_ids)
        .with_deadline()
        .annotate(
            mandatory_met=Subquery(counted_assessment(as_of).values("mandatory_met")[:1]),
            # Its JSON text, decoded by _unmet() (Django's converter on every row cost 0.3 s a national run).
            mandatory_gaps=Subquery(counted_assessment(as_of).values("mandatory_gaps")[:1], output_field=TextField()),
            paperless_due=Coalesce(F("type__paperless_from"), Value(settings.PAPERLESS_FROM)),
        )
        .order_by()
        .values_list(
            "pk",
            "effective_deadline",
            "paperless_due",
            "type__legal_deadline",
            "has_outpatient",
            "mandatory_met",
            "mandatory_gaps",
        )
    )


def _last_counted_reports(as_of: datetime.date, facility_ids: Iterable[int] | None):
    """The last up to 6 counted reports of each active facility (all facilities in one query): rows of
    (facility_id, *REPORT_FIELDS).

    On PostgreSQL a LATERAL join reads each facility's newest counted reports backwards off the unique
    (facility, period) index: 0.55 s at 60,000 facilities, where the window function over every counted report
    (what SQLite runs) sorts 1.9 million rows in 1.1-1.4 s. Both filter with counted_reports().
    """
    if connection.vendor != "postgresql":
        return (
            counted_reports(as_of)
            .filter(facility__in=_active(facility_ids))
            .annotate(
                recency=Window(RowNumber(), partition_by=[F("facility_id")], order_by=F("period").desc()),
            )
            .filter(recency__lte=rules.MAX_POINTS)
            .order_by()
            .values_list("facility_id", *REPORT_FIELDS)
        )
    outer, outer_params = _active(facility_ids).order_by().values("id").query.sql_with_params()
    newest = (
        counted_reports(as_of)
        .filter(facility_id=RawSQL("f.id", []))
        .order_by("-period")
        .values_list(*REPORT_FIELDS)[: rules.MAX_POINTS]
    )
    inner, inner_params = newest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT f.id, r.* FROM ({outer}) f CROSS JOIN LATERAL ({inner}) r", [*outer_params, *inner_params]
        )
        return cursor.fetchall()


def _milestones(facility_ids: Iterable[int] | None):
    """Every milestone but drafts of the active facilities (one query); the rules decide which count as of D."""
    milestones = Milestone.objects.exclude(status=Status.DRAFT)
    if facility_ids is not None:
        milestones = milestones.filter(facility_id__in=facility_ids)
    else:
        milestones = milestones.filter(facility__is_active=True)
    return milestones.order_by().values_list(
        "facility_id", "kind", "date", "status", "reviewed_at", "assessment__mandatory_met"
    )


def _unmet(gaps: str | None) -> tuple:
    """The counted assessment's unmet mandatory criteria from their JSON text; most are "[]", left undecoded."""
    return tuple(json.loads(gaps) or ()) if gaps and gaps != "[]" else ()


def gather_facts(as_of: datetime.date, facility_ids: Iterable[int] | None = None) -> list[rules.Facts]:
    """The facts the rules need for every active facility (or those of `facility_ids`): three queries."""
    if facility_ids is not None:
        facility_ids = list(facility_ids)
    # Sorted once by (facility, period), then grouped: oldest first per facility without a sort each.
    reports = defaultdict(list)
    for facility_id, *values in sorted(_last_counted_reports(as_of, facility_ids)):
        reports[facility_id].append(rules.CountedReport(*values))
    milestones = defaultdict(dict)
    for facility_id, kind, *values in _milestones(facility_ids):
        milestones[facility_id][kind] = rules.MilestoneFact(kind, *values)
    return [
        rules.Facts(
            facility_id=pk,
            deadline=deadline,
            paperless_from=paperless_due,
            legal_deadline=legal_deadline,
            treats_outpatients=treats_outpatients,
            reports=reports.get(pk, []),
            milestones=milestones.get(pk, {}),
            mandatory_met=mandatory_met,
            unmet=_unmet(gaps),
        )
        for pk, deadline, paperless_due, legal_deadline, treats_outpatients, mandatory_met, gaps in _facilities(
            as_of, facility_ids
        )
    ]


def _columns(model) -> list:
    return [model._meta.get_field(name) for name in ["facility", *RESULT_FIELDS]]


def _upsert(model, conflict: list[str], source: str, values: list[str]) -> str:
    """``INSERT ... SELECT <values> FROM <source> ON CONFLICT DO UPDATE`` for the model's result columns."""
    meta = model._meta
    fields = _columns(model)
    qn = connection.ops.quote_name
    key = [meta.get_field(name).column for name in conflict]
    updates = ", ".join(f"{qn(f.column)} = EXCLUDED.{qn(f.column)}" for f in fields if f.column not in key)
    return (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"SELECT {', '.join(values)} FROM {source} "
        f"ON CONFLICT ({', '.join(qn(column) for column in key)}) DO UPDATE SET {updates}"
    )


def _snapshot_upsert_sql() -> str:
    """The day's snapshots from one JSON array of rows (a parameter) in the column order of _columns()."""
    fields = _columns(ComplianceSnapshot)
    if connection.vendor == "postgresql":
        source = "jsonb_array_elements(%s::jsonb) AS r(value)"
        values = [
            f"r.value -> {i}" if isinstance(field, JSONField) else f"(r.value ->> {i})::{field.db_type(connection)}"
            for i, field in enumerate(fields)
        ]
    else:  # SQLite; "WHERE true" lets it parse the ON CONFLICT clause after a SELECT
        source = "json_each(%s) AS r WHERE true"
        values = [f"json_extract(r.value, '$[{i}]')" for i in range(len(fields))]
    return _upsert(ComplianceSnapshot, ["facility", "as_of"], source, values)


def _current_upsert(as_of: datetime.date, facility_ids: list[int]) -> tuple[str, list]:
    """The facilities' current rows copied from their snapshots of the day just written, inside the database (the
    rows cross from Python once): the statement and its parameters."""
    snapshots = ComplianceSnapshot.objects.filter(as_of=as_of, facility_id__in=facility_ids)
    columns = [f.column for f in _columns(FacilityCompliance)]
    select, params = snapshots.order_by().values_list(*columns).query.sql_with_params()
    source = f"({select}) s WHERE true"  # "WHERE true" lets SQLite parse the ON CONFLICT clause after a SELECT
    return _upsert(FacilityCompliance, ["facility"], source, [f"s.{c}" for c in columns]), list(params)


def _batches(results: Iterable[rules.Result], as_of: datetime.date, now: datetime.datetime, *, current: bool):
    """The statements writing the results, BATCH_SIZE rows at a time: the day's snapshots from a JSON array of rows
    (in the column order of _columns()) and, when `current`, the facilities' current rows copied from them.

    Composed here, on the thread that evaluates the rules; the other thread only executes them. The current rows of
    each batch are written with its snapshots, so that copy overlaps with the rules too (1.2 s at 60,000 facilities).
    """
    snapshot_sql = _snapshot_upsert_sql()
    computed_at = connection.ops.adapt_datetimefield_value(now)
    names = RESULT_FIELDS[:-1]  # computed_at is the run's, not a result's
    for batch in chunked(results, BATCH_SIZE):
        rows = [[result.facility_id, *(getattr(result, name) for name in names), computed_at] for result in batch]
        statements = [(snapshot_sql, [json.dumps(rows, cls=DjangoJSONEncoder)])]
        if current:
            statements.append(_current_upsert(as_of, [result.facility_id for result in batch]))
        yield statements


def store(
    results: Iterable[rules.Result], as_of: datetime.date, facility_ids: list[int] | None, *, current: bool
) -> None:
    """Upsert the day's snapshots (and, when `current`, the facilities' current rows and the rollup) in batches.

    Inactive facilities are skipped by the rules; here their current row and their snapshot for
    the day are removed, so lists and dashboards never show a status for a facility that left
    the programme. Their snapshots of earlier days stay as history. The rollup (compliance.rollups) follows
    in the same transaction: today's cells of these facilities recomputed, a past day's rows dropped.
    """
    inactive = Q(facility__is_active=False)
    if facility_ids is not None:
        inactive &= Q(facility_id__in=facility_ids)
    with transaction.atomic(), connection.cursor() as cursor:
        ComplianceSnapshot.objects.filter(inactive, as_of=as_of).delete()
        if current:
            FacilityCompliance.objects.filter(inactive).delete()

        def execute(statements):
            for statement in statements:
                cursor.execute(*statement)

        # Each batch is written while the next is evaluated (the rules run on one core, the database on the other).
        alongside(execute, _batches(results, as_of, timezone.now(), current=current))
        if not current:
            rollups.forget(as_of)
        elif facility_ids is None:
            rollups.refresh(as_of)
        else:
            rollups.refresh(as_of, rollups.slices_of(facility_ids))


def compute_compliance(as_of: datetime.date, facility_ids: list[int] | None = None) -> dict[str, int]:
    """Compute and store compliance for the active facilities (all, or `facility_ids`) as of `as_of`.

    Always writes the day's snapshot; replaces the facilities' current compliance only when `as_of`
    is today, so a backfill of past days never overwrites today's status. Returns the count of
    facilities per status of both obligations (every status present, zero when none).
    """
    counts = Counter()

    def evaluated():  # lazily: evaluated while the previous batch is written (store)
        for facts in gather_facts(as_of, facility_ids):
            result = rules.evaluate(facts, as_of)
            counts[result.status] += 1
            counts[result.paperless_status] += 1
            yield result

    store(
        evaluated(),
        as_of,
        list(facility_ids) if facility_ids is not None else None,
        current=as_of == timezone.localdate(),
    )
    return {status: counts.get(status, 0) for status in [*ComplianceStatus.values, *PaperlessStatus.values]}
