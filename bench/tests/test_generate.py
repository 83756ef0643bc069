import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.models import Role, User
from assessments.models import Assessment
from assessments.scoring import evaluate_assessment
from bench import plans, snapshots
from bench.models import ScaleDataset
from compliance import engine
from compliance.engine import compute_compliance
from compliance.models import ComplianceSnapshot, FacilityCompliance
from facilities.models import Area, Facility, FacilityType, Membership
from facilities.tests.factories import FacilityFactory
from milestones.models import Milestone
from reports.models import MonthlyReport

# A fixed "today", so the data never depends on the real date (after the 30/09/2026 deadline).
TODAY = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
RESULT_FIELDS = [name for name in engine.RESULT_FIELDS if name not in ("as_of", "computed_at")]


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


def generate(facilities=30, months=3, **options):
    call_command("generate_scale_data", facilities=facilities, months=months, stdout=io.StringIO(), **options)


@pytest.mark.django_db
def test_tiny_dataset_has_the_shape_of_a_country(today):
    generate(facilities=30, months=3)

    assert Facility.objects.count() == 30
    assert Area.objects.count() == 2  # one commune per 18 facilities
    by_type = dict(Facility.objects.values_list("type__code").annotate(n=Count("pk")))
    assert set(by_type) == {code for code, _share in plans.TYPE_SHARES}  # every type, in national proportions
    assert by_type["private_clinic"] > by_type["health_station"] > by_type["general_hospital"]
    facility = Facility.objects.first()
    assert facility.search_text == Facility.build_search_text(facility.code, facility.name, facility.address)
    assert Facility.objects.search(facility.name).filter(pk=facility.pk).exists()
    assert facility.history.count() == 1

    # Every facility has its staff account; a few officers and leaders see the whole country.
    assert Membership.objects.filter(role="staff").values("facility").distinct().count() == 30
    assert User.objects.filter(role=Role.OFFICER).count() == 5
    assert User.objects.filter(role=Role.LEADERSHIP).count() == 2
    staff = User.objects.get(username=f"nv.{facility.code}")
    assert staff.check_password("bench-2026")
    assert not User.objects.filter(last_login__isnull=False).exists()

    # One approved assessment per facility, with answers its score comes from.
    assert Assessment.objects.filter(status="approved").values("facility").distinct().count() == 30
    assert Assessment.objects.filter(status="approved").count() == 30
    for assessment in Assessment.objects.select_related("facility__type")[:5]:
        evaluation = evaluate_assessment(assessment, today=assessment.created_at.date())
        assert (assessment.score, assessment.mandatory_met) == (evaluation.score, evaluation.mandatory_met)
        assert assessment.answers.filter(met=True).count() == len(evaluation.met_ids)

    # Reports: the last 3 months, ending with last month; mostly approved, never more than one a month.
    periods = set(MonthlyReport.objects.values_list("period", flat=True))
    assert periods <= {datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)}
    assert datetime.date(2026, 10, 1) in periods
    statuses = dict(MonthlyReport.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses["approved"] > sum(statuses.values()) / 2
    assert MonthlyReport.objects.filter(submitted_at__gt=TODAY).count() == 0

    # Compliance: current rows for the active facilities, and past snapshots for the dashboard's trend.
    active = Facility.objects.active().count()
    assert FacilityCompliance.objects.count() == active
    assert ComplianceSnapshot.objects.filter(as_of=today).count() == active
    assert ComplianceSnapshot.objects.filter(as_of=datetime.date(2026, 10, 31)).count() == active
    assert FacilityType.objects.get(code="general_hospital").deadline == plans.HOSPITAL_DEADLINE
    assert FacilityType.objects.get(code="health_station").deadline == plans.OTHER_DEADLINE

    dataset = ScaleDataset.objects.get()
    assert dataset.complete and dataset.matches(facilities=30, months=3, seed=1)
    assert dataset.counts["reports"] == MonthlyReport.objects.count()
    assert dataset.counts["milestones"] == Milestone.objects.count()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data(today):
    generate(facilities=20, months=4, seed=7)
    fields = ["facility__code", "period", "status", "stage", "departments_live", "submitted_at"]
    first = list(MonthlyReport.objects.order_by("pk").values_list(*fields))
    generate(facilities=20, months=4, seed=7)
    assert list(MonthlyReport.objects.order_by("pk").values_list(*fields)) == first


def snapshot_rows(day: datetime.date) -> dict[int, dict]:
    rows = ComplianceSnapshot.objects.filter(as_of=day).values("facility_id", *RESULT_FIELDS)
    return {row["facility_id"]: row for row in rows}


@pytest.mark.django_db
def test_past_snapshots_match_what_the_engine_computes(today):
    """The generator's in-memory facts and the real engine give the same result on each snapshot day."""
    generate(facilities=80, months=14)
    days = snapshots.snapshot_days(today, datetime.date(2025, 9, 1), "weekly")
    statuses = set()
    for day in [days[0], days[len(days) // 2], days[-1], datetime.date(2026, 9, 30)]:
        generated = snapshot_rows(day)
        compute_compliance(day)  # a past day: rewrites that day's snapshots only
        computed = snapshot_rows(day)
        assert generated == computed, day
        statuses |= {r["status"] for r in computed.values()} | {r["paperless_status"] for r in computed.values()}
    assert len(statuses) >= 6  # a realistic mix of both obligations, not one status everywhere


@pytest.mark.django_db
def test_refuses_a_database_with_real_data(today):
    FacilityFactory()
    with pytest.raises(CommandError, match="did not create"):
        generate()
    generate(force=True)
    assert Facility.objects.count() == 30


@pytest.mark.django_db
def test_replaces_its_own_data_but_not_what_was_added_after_it(today):
    generate(facilities=10, months=2)
    generate(facilities=12, months=2)  # synthetic data: replaced without --force
    assert Facility.objects.count() == 12
    User.objects.create_user("real.person", password="x", last_login=TODAY)
    with pytest.raises(CommandError, match="logged in"):
        generate(facilities=12, months=2)


@pytest.mark.django_db
def test_if_missing_keeps_the_same_dataset(today):
    generate(facilities=10, months=2)
    marker = ScaleDataset.objects.get()
    generate(facilities=10, months=2, if_missing=True)
    assert ScaleDataset.objects.get() == marker


@pytest.mark.django_db
def test_refuses_sqlite_for_national_sizes(settings):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the limit applies to SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL"):
        generate(facilities=5000)


def test_type_counts_follow_national_shares():
    counts = plans.type_counts(60_000)
    assert sum(counts.values()) == 60_000
    assert counts["private_clinic"] == 43_800 and counts["health_station"] == 12_000
    hospitals = sum(counts[code] for code in plans.HOSPITAL_LIKE)
    assert 2_000 <= hospitals <= 5_000  # a few thousand hospitals and regional centres
    assert min(plans.type_counts(7).values()) == 1
