"""The read replica (core.replica) against a second PostgreSQL database standing in for it.

The suite runs without DATABASE_REPLICA_URL. These tests make the replica themselves: a copy of the
committed test database (CREATE DATABASE ... TEMPLATE, on the same server) registered as the
`replica` alias, then dropped. A copy is what a replica is, frozen at the moment of the copy: rows
written on the primary afterwards are what a lagging replica has not received yet, so each test can
tell from the page which database answered. (The settings' TEST MIRROR would point the alias at the
primary's own test database, where nothing could tell the two apart.)
"""

import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import replica
from core.tests.migration_data import as_migrated  # noqa: F401 (an autouse fixture for this module)
from facilities.models import Facility
from facilities.tests.factories import FacilityFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def replica_db():
    """A copy of the test database as it is now, as the `replica` alias; dropped afterwards."""
    primary = connections[DEFAULT_DB_ALIAS]
    name = f"{primary.settings_dict['NAME']}_replica"
    connections.close_all()  # a template database must have no other session
    with primary._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary.settings_dict["NAME"]}"')
    connections.settings[replica.REPLICA] = {**copy.deepcopy(primary.settings_dict), "NAME": name}
    # Connected here: the test case only lets its declared databases open a connection, and the alias
    # did not exist when it declared them.
    connections[replica.REPLICA].connect()
    yield name
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]
    with primary._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def before_and_after(leadership):
    """A facility on both databases, and one created on the primary after the copy."""
    return FacilityFactory(name="Trạm Y tế xã Tân Hồng")


def test_facility_list_shows_the_replicas_rows_and_a_facility_created_since_only_after_a_write(
    before_and_after, replica_db, leadership, client
):
    late = FacilityFactory(name="Trạm Y tế xã Bình Thạnh")  # on the primary only: the replica lags
    client.force_login(leadership)
    url = reverse("facilities:list")

    page = client.get(url).content.decode()
    assert "Tân Hồng" in page and "Bình Thạnh" not in page
    assert replica.PIN_COOKIE not in client.cookies or not client.cookies[replica.PIN_COOKIE].value

    client.post(reverse("set_language"), {"language": "vi", "next": url})  # any write pins the browser
    assert client.cookies[replica.PIN_COOKIE]["max-age"] == 10
    page = client.get(url).content.decode()
    assert "Tân Hồng" in page and late.name in page


def test_dashboard_and_report_list_query_the_replica_and_the_primary_only_for_the_user(
    before_and_after, replica_db, leadership, client
):
    client.force_login(leadership)
    for name in ("dashboard:province", "dashboard:province_data", "reports:list"):
        with (
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
            CaptureQueriesContext(connections[replica.REPLICA]) as copy_,
        ):
            assert client.get(reverse(name)).status_code == 200, name
        assert len(copy_) > 0, name
        on_primary = " ".join(query["sql"] for query in primary)
        assert "facilities_facility" not in on_primary, name  # the session and the user, nothing else


def test_the_facility_page_reads_the_primary(before_and_after, replica_db, leadership, client):
    late = FacilityFactory()
    client.force_login(leadership)
    assert client.get(late.get_absolute_url()).status_code == 200


def test_writes_go_to_the_primary_and_the_reads_after_them_too(before_and_after, replica_db):
    with replica.reads():
        assert Facility.objects.count() == 1
        FacilityFactory(name="Trạm Y tế xã Mới")
        assert Facility.objects.count() == 2  # read-after-write: the primary for the rest of the block
    assert Facility.objects.using(replica.REPLICA).count() == 1  # the replica was never written


def test_a_transaction_reads_the_primary(before_and_after, replica_db):
    FacilityFactory()
    with replica.reads(), transaction.atomic():
        assert Facility.objects.count() == 2
    with replica.reads():
        assert Facility.objects.count() == 1


def test_a_pinned_browser_and_a_missing_replica_read_the_primary(before_and_after, replica_db, rf):
    FacilityFactory()
    request = rf.get("/")
    request.COOKIES[replica.PIN_COOKIE] = "1"
    with replica.reads(request):
        assert Facility.objects.count() == 2
