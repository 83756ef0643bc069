"""The rollup (compliance.rollups) equals the counts read straight from the statuses, after every kind of write:
a full run, one facility's run after an approval, registry changes, a past day."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Count, Q, Sum

from compliance import rollups
from compliance.engine import compute_compliance
from compliance.models import ComplianceRollup, ComplianceStatus
from compliance.selectors import with_compliance
from compliance.tasks import recompute_facility
from core.tests.dates import local_noon
from facilities import services
from facilities.models import Facility, Ownership
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type

from .factories import deployed

TODAY = datetime.date(2026, 11, 25)
KEY = ("type_id", "area_id", "ownership", "status", "paperless_status")


def direct(day: datetime.date) -> dict:
    """Active facilities per cell, straight from the statuses of `day` (the dashboard's direct query)."""
    rows = (
        with_compliance(Facility.objects.active(), day)
        .values("type_id", "area_id", "ownership", "status", "paperless_status")
        .annotate(
            n=Count("pk"),
            deployed_n=Count("pk", filter=Q(deployed=True)),
            late_n=Count("pk", filter=Q(after_legal_deadline=True)),
            progress_sum=Sum("progress"),
        )
        .order_by()
    )
    cells = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    for row in rows:
        status, paperless = row["status"] or "", row["paperless_status"] or ""
        values = [row["n"], row["deployed_n"], row["late_n"], row["progress_sum"] or Decimal(0)]
        for area in (row["area_id"], None):  # the area's cell and the province's
            cell = cells[(row["type_id"], area, row["ownership"], status, paperless)]
            for i, value in enumerate(values):
                cell[i] += value
    return dict(cells)


def rolled_up(day: datetime.date) -> dict:
    rows = ComplianceRollup.objects.filter(day=day)
    return {
        tuple(getattr(row, f) for f in KEY): [row.facilities, row.deployed, row.after_legal, row.progress]
        for row in rows
    }


@pytest.fixture
def province(db):
    """Facilities of two types, two areas and two ownerships; one deployed, the others with no data."""
    north, south = AreaFactory(), AreaFactory()
    hospital = facility_type("general_hospital")
    facilities = [
        FacilityFactory(area=north),
        FacilityFactory(area=north, ownership=Ownership.PRIVATE),
        FacilityFactory(area=south),
        FacilityFactory(area=south, type=hospital),
    ]
    deployed(facilities[0], datetime.date(2026, 9, 15))
    return facilities


def run(day, *, on=None):
    """The engine's run for `day`, on that day (or `on`, a later day: a backfill)."""
    with time_machine.travel(local_noon(on or day), tick=False):
        compute_compliance(day)


def test_a_full_run_leaves_the_rollup_equal_to_the_statuses(province):
    run(TODAY)
    with time_machine.travel(local_noon(TODAY), tick=False):
        assert rolled_up(TODAY) == direct(TODAY)
    statuses = ComplianceRollup.objects.filter(day=TODAY, area=None).values_list("status", flat=True)
    assert ComplianceStatus.DEPLOYED_ON_TIME in statuses and ComplianceStatus.OVERDUE in statuses


def test_one_facility_recomputed_after_an_approval_moves_between_cells(province):
    run(TODAY)
    late = province[2]
    deployed(late, datetime.date(2026, 11, 20))  # verified: approved items, recomputed by the approval's task
    with time_machine.travel(local_noon(TODAY), tick=False):
        recompute_facility(late.pk)
        assert rolled_up(TODAY) == direct(TODAY)
    province_late = ComplianceRollup.objects.get(day=TODAY, area=None, type=late.type, status="deployed_late")
    assert province_late.facilities == 1 and province_late.deployed == 1


def test_a_first_write_of_the_day_builds_the_day_whole(province):
    run(TODAY)
    tomorrow = TODAY + datetime.timedelta(days=1)
    with time_machine.travel(local_noon(tomorrow), tick=False):
        recompute_facility(province[1].pk)
        assert rolled_up(tomorrow) == direct(tomorrow)
    assert rolled_up(TODAY)  # the previous day's rows stay as history


@pytest.mark.parametrize(
    "change",
    [
        lambda f, by: services.facility_set_active(facility=f, active=False, by=by),
        lambda f, by: services.facility_update(facility=_with(f, type=facility_type("general_hospital")), by=by),
        lambda f, by: services.facility_update(facility=_with(f, area=AreaFactory()), by=by),
        lambda f, by: services.facility_update(facility=_with(f, ownership=Ownership.ARMY), by=by),
        lambda f, by: services.facility_create(facility=FacilityFactory.build(area=f.area), by=by),
    ],
    ids=["deactivated", "type", "area", "ownership", "created"],
)
def test_registry_writes_move_the_facility_in_the_rollup(province, change, officer):
    run(TODAY)
    with time_machine.travel(local_noon(TODAY), tick=False):
        change(province[0], officer)
        assert rolled_up(TODAY) == direct(TODAY)


def _with(facility, **values):
    for name, value in values.items():
        setattr(facility, name, value)
    return facility


def test_a_registry_import_refreshes_every_slice_it_touched_once(province, officer):
    run(TODAY)
    moved = [_with(Facility.objects.get(pk=f.pk), area=AreaFactory()) for f in province[:3]]
    with time_machine.travel(local_noon(TODAY), tick=False):
        services.registry_import(facilities=[*moved, FacilityFactory.build(area=AreaFactory())], by=officer)
        assert rolled_up(TODAY) == direct(TODAY)


def test_a_past_day_reads_its_snapshots_after_a_backfill_and_its_rows_once_rolled_up(province):
    past = datetime.date(2026, 10, 31)
    with time_machine.travel(local_noon(past), tick=False):
        run(past)  # that day's run: its rows are the statuses of that day
        assert rolled_up(past) == direct(past)
    run(TODAY)
    run(past, on=TODAY)  # a backfill: the day's statuses recomputed, its rows dropped
    assert not ComplianceRollup.objects.filter(day=past).exists() and rolled_up(TODAY)
    with time_machine.travel(local_noon(TODAY), tick=False):
        rollups.refresh(past)  # rollup_compliance --as-of: from that day's snapshots
        assert rolled_up(past) == direct(past)
