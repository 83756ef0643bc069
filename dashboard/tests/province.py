"""A fixed "today" and a province of any size, for the dashboard, list and facility page tests."""

import datetime
import zoneinfo

import pytest
import time_machine

from assessments.models import Assessment
from assessments.tests.factories import CatalogueFactory
from compliance import rollups
from compliance.models import ComplianceSnapshot, ComplianceStatus, FacilityCompliance
from core.models import Status
from core.tests.dates import local_noon
from facilities.models import Facility, FacilityType
from facilities.tests.factories import AreaFactory
from reports.models import MonthlyReport, month_start, period_end

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 11, 25)


def local(*args) -> datetime.datetime:
    """An aware datetime in the province's time zone."""
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def today():
    """Wednesday 25/11/2026, 10:00 in Đồng Tháp: 56 days after the 30/09/2026 deadline."""
    with time_machine.travel(local(2026, 11, 25, 10), tick=False):
        yield TODAY


STATUSES = list(ComplianceStatus.values)
STATES = [Status.APPROVED, Status.SUBMITTED, Status.APPROVED, Status.RETURNED, Status.DRAFT]


def build_province(n: int, *, months: int = 3) -> list[Facility]:
    """`n` facilities with compliance rows, month-end snapshots, `months` reports each and an approved assessment.

    Rows are bulk-created (no history) to keep the size tests fast; every state the pages
    read is present: each status, submitted items to review, escalations, budgets.
    """
    area = AreaFactory()
    types = list(FacilityType.objects.all())
    facilities = Facility.objects.bulk_create(
        Facility(
            code=f"{10000 + i}",
            name=f"Cơ sở số {i}",
            type=types[i % len(types)],
            area=area,
            search_text=Facility.build_search_text(f"{10000 + i}", f"Cơ sở số {i}", ""),
        )
        for i in range(n)
    )
    FacilityCompliance.objects.bulk_create(
        FacilityCompliance(
            facility=f,
            as_of=TODAY,
            status=STATUSES[i % len(STATUSES)],
            reasons=[{"code": "months_missing", "months": ["2026-09", "2026-10"]}, {"code": "stage", "stage": 2}]
            if STATUSES[i % len(STATUSES)] == "at_risk"
            else [],
            deadline=datetime.date(2026, 9, 30),
            days_to_deadline=-56 + i % 90,
            progress=(i % 10) / 10,
            deployed=STATUSES[i % len(STATUSES)].startswith("deployed"),
        )
        for i, f in enumerate(facilities)
    )
    ComplianceSnapshot.objects.bulk_create(
        ComplianceSnapshot(
            facility=f,
            as_of=day,
            status=STATUSES[(i + k) % len(STATUSES)],
            deadline=datetime.date(2026, 9, 30),
            days_to_deadline=(datetime.date(2026, 9, 30) - day).days,
        )
        for i, f in enumerate(facilities)
        for k, day in enumerate([datetime.date(2026, 9, 30), datetime.date(2026, 10, 31)])
    )
    MonthlyReport.objects.bulk_create(
        MonthlyReport(
            facility=f,
            period=month_start(TODAY, m),
            status=STATES[(i + m) % len(STATES)],
            # sent on the 3rd of the month after (on time), or a draft
            submitted_at=None
            if STATES[(i + m) % len(STATES)] == Status.DRAFT
            else local_noon(period_end(month_start(TODAY, m)) + datetime.timedelta(days=3)),
            departments_total=10,
            departments_live=m % 10,
            needs_escalation=(i + m) % 7 == 0,
            difficulties="Thiếu kinh phí" if (i + m) % 7 == 0 else "",
        )
        for i, f in enumerate(facilities)
        for m in range(1, months + 1)
    )
    catalogue = CatalogueFactory()
    Assessment.objects.bulk_create(
        Assessment(
            facility=f,
            catalogue=catalogue,
            status=Status.APPROVED if i % 3 else Status.SUBMITTED,
            submitted_at=local(2026, 3, 1),
            reviewed_at=local(2026, 3, 2) if i % 3 else None,
            budget_needed=1_000_000_000,
            budget_secured=250_000_000 * (i % 5),
        )
        for i, f in enumerate(facilities)
    )
    for day in [*(period_end(month_start(TODAY, back)) for back in range(13, 0, -1)), TODAY]:
        rollups.refresh(day)  # the rollup of the statuses written above, as the engine's runs on those days left it
    return facilities
