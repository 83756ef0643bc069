"""The demo province, seeded as `make run` does, shows every status with the reasons its scenarios plan."""

import datetime
import io
from collections import Counter

import time_machine
from django.core.management import call_command

from compliance.models import ComplianceSnapshot, FacilityCompliance
from core.tests.dates import local_noon
from demo import facilities as facilities_demo
from facilities.models import Facility

TODAY = datetime.date(2026, 11, 25)  # the day demo.facilities's scenarios are planned for
EXPECTED = {
    "on_time": "deployed_on_time",
    "late": "deployed_late",
    "overdue": "overdue",
    "on_track": "on_track",
    "at_risk": "at_risk",
    "no_data": "no_data",
}


def test_the_demo_shows_every_status_with_its_scenarios_reasons(db):
    output = io.StringIO()
    with time_machine.travel(local_noon(TODAY), tick=False):
        call_command("seed_demo", "--force", stdout=output)
    assert "Compliance as of 25/11/2026" in output.getvalue()

    rows = {row.facility.code: row for row in FacilityCompliance.objects.select_related("facility__type")}
    scenarios = facilities_demo.scenarios()
    assert {code: row.status for code, row in rows.items()} == {code: EXPECTED[s] for code, s in scenarios.items()}
    assert set(Counter(row.status for row in rows.values())) == set(EXPECTED.values())

    # Deployed facilities show their deployment date; every other status names what the facility lacks, never
    # only "past the deadline"; at risk, each rule's reason occurs somewhere.
    for row in rows.values():
        codes = [reason["code"] for reason in row.reasons]
        if row.status.startswith("deployed"):
            assert row.deployment_date and codes[0] in ("deployed", "deployed_after_deadline")
        else:
            assert codes and "overdue" not in codes, row.facility.code
    at_risk = {reason["code"] for row in rows.values() if row.status == "at_risk" for reason in row.reasons}
    assert {"projection", "months_missing", "decision_missing"} <= at_risk

    # Both obligations: the paperless statuses of the demo (25/11/2026, after 01/10/2026: none is not due).
    paperless = Counter(row.paperless_status for row in rows.values())
    assert {"paperless_on_time", "paperless_late", "paper_in_use"} <= set(paperless)
    assert "not_due" not in paperless
    hospitals = [row for row in rows.values() if row.facility.type.is_hospital and row.deployed]
    assert hospitals and all(row.after_legal_deadline for row in hospitals)  # every one deployed in 2026

    station = rows["82221"]  # the demo nurse's station: extended deadline, still at risk
    assert (station.status, station.deadline) == ("at_risk", datetime.date(2027, 3, 31))

    # A snapshot per facility per day since 1 January, the last one equal to the current status.
    days = (TODAY - datetime.date(2026, 1, 1)).days + 1
    assert ComplianceSnapshot.objects.count() == days * Facility.objects.active().count()
    today = dict(ComplianceSnapshot.objects.filter(as_of=TODAY).values_list("facility__code", "status"))
    assert today == {code: row.status for code, row in rows.items()}
