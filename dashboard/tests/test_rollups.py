"""The dashboard's headline blocks read the rollup rows and show the numbers the facilities' statuses give."""

import datetime

import pytest
from django.urls import reverse

from compliance.models import ComplianceRollup
from core.tests.parallel import clear_cache
from dashboard import rollups, selectors
from dashboard.filters import ScopeFilter
from facilities.models import Area, Facility
from facilities.tests.factories import AgencyFactory, AgencyMembershipFactory

from .province import build_province

DASHBOARD = reverse("dashboard:province")


def both(user, params: dict, as_of: datetime.date):
    """The dashboard's numbers with the rollup, and without it (every facility's status read)."""
    filters = ScopeFilter(params, queryset=Facility.objects.for_user(user).active())
    scope = rollups.cells(user, filters)
    clear_cache()
    with_rollup = selectors.province_dashboard(as_of, filters.qs, review_items=False, scope=scope)
    clear_cache()
    direct = selectors.province_dashboard(as_of, filters.qs, review_items=False)
    return with_rollup, direct


@pytest.mark.parametrize("params", [{}, {"type": "health_station"}, {"ownership": "public"}, {"area": "area"}], ids=str)
@pytest.mark.parametrize("as_of", [datetime.date(2026, 11, 25), datetime.date(2026, 10, 31)])
def test_the_rollup_gives_the_numbers_of_the_statuses(today, officer, params, as_of):
    build_province(40)
    if params.get("area"):
        params = {"area": Area.objects.get().code}
    with_rollup, direct = both(officer, params, as_of)
    assert with_rollup.by_type and with_rollup.by_type == direct.by_type
    assert with_rollup.statuses == direct.statuses
    assert [(p.date, p.counts, p.paperless) for p in with_rollup.trend] == [
        (p.date, p.counts, p.paperless) for p in direct.trend
    ]
    assert with_rollup.budget and with_rollup.budget == direct.budget
    assert with_rollup.reporting == direct.reporting and any(month.reported for month in direct.reporting)
    months = [month.month for month in direct.reporting]
    assert rollups.completeness(as_of, rollups.cells(officer, ScopeFilter(params)), months) is not None  # it served


def test_a_filter_that_is_not_valid_is_dropped_by_the_rollup_as_by_the_facilities(today, officer):
    """?type=…&area=<no such commune>: the type still applies to every block, the area to none."""
    build_province(40)
    with_rollup, direct = both(officer, {"type": "health_station", "area": "không có xã này"}, today)
    assert [t.code for t in with_rollup.by_type] == ["health_station"]
    assert with_rollup.by_type == direct.by_type and with_rollup.budget == direct.budget
    assert with_rollup.reporting == direct.reporting


def test_a_day_without_rollup_rows_reads_its_snapshots(today, officer):
    build_province(12)
    ComplianceRollup.objects.filter(day=datetime.date(2026, 10, 31)).delete()
    with_rollup, direct = both(officer, {}, datetime.date(2026, 10, 31))
    assert with_rollup.by_type == direct.by_type and with_rollup.statuses.computed == 12
    assert with_rollup.trend[-2].counts == direct.trend[-2].counts


def test_scopes_map_onto_the_rollup_or_read_the_facilities(today, officer, staff, facility):
    build_province(5)
    area = Area.objects.exclude(pk=facility.area_id).get()
    assert rollups.cells(officer, ScopeFilter({}, queryset=Facility.objects.all())) is not None
    agency = AgencyFactory(commune=True, area=area)
    member = AgencyMembershipFactory(agency=agency).user
    scope = rollups.cells(member, ScopeFilter({}, queryset=Facility.objects.for_user(member)))
    rows = ComplianceRollup.objects.filter(scope, day=today)
    assert sum(r.facilities for r in rows) == Facility.objects.for_user(member).active().count() == 5
    assert rollups.cells(staff, ScopeFilter({}, queryset=Facility.objects.for_user(staff))) is None


@pytest.mark.parametrize("size", [10, 120])
def test_the_rollup_dashboard_query_count_does_not_grow(officer_client, today, size, django_assert_max_num_queries):
    build_province(size)
    clear_cache()
    with django_assert_max_num_queries(35):  # cold: every block computed (the pinned count of test_province)
        response = officer_client.get(DASHBOARD)
    assert response.status_code == 200 and response.context["data"].statuses.total == size
