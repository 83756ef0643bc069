import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from assessments.tests.factories import AssessmentFactory
from compliance.models import ComplianceSnapshot, FacilityCompliance
from core.tests.dates import local_noon


def run(*args) -> str:
    out = StringIO()
    call_command("compute_compliance", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(local_noon(datetime.date(2026, 6, 10)), tick=False)
def test_it_computes_today_and_prints_a_count_per_status(facility, other_facility):
    AssessmentFactory(approved=True, facility=facility)
    output = run()
    assert "Compliance as of 10/06/2026: 2 active facilities" in output
    assert "  not_due                 2" in output
    assert "  at_risk                 1" in output
    assert "  no_data                 1" in output
    assert "  overdue                 0" in output
    assert FacilityCompliance.objects.count() == 2


@time_machine.travel(local_noon(datetime.date(2026, 6, 10)), tick=False)
def test_a_past_date_writes_only_that_days_snapshots(facility):
    output = run("--as-of", "2026-05-31")
    assert "as of 31/05/2026" in output and "current compliance is unchanged" in output
    assert list(ComplianceSnapshot.objects.values_list("as_of", flat=True)) == [datetime.date(2026, 5, 31)]
    assert not FacilityCompliance.objects.exists()


@time_machine.travel(local_noon(datetime.date(2026, 6, 10)), tick=False)
@pytest.mark.parametrize(("value", "message"), [("31/05/2026", "YYYY-MM-DD"), ("2026-06-11", "future")])
def test_it_refuses_a_bad_or_future_date(db, value, message):
    with pytest.raises(CommandError, match=message):
        run("--as-of", value)
