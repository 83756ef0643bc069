"""The province dashboard in each state a real day leaves its cache in (issue: fast in every cache state).

Each sample first puts the dashboard in its state, then times one request: right after a monthly report is
written (that month's completeness block is stale), right after one facility's compliance is recomputed (what
every approval does: the per-type block and today's rollup cells change), right after the nightly run of every
facility, and with an empty cache (a new process without a shared cache, after a deploy). The warm figure is
measure_pages()' "dashboard".
"""

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance import rollups
from compliance.asof import reporting_periods
from compliance.engine import compute_compliance
from compliance.models import ComplianceRollup, FacilityCompliance
from dashboard.selectors import trend_dates
from reports.models import MonthlyReport

from .generate import vacuum_after_nightly

NIGHTLY_SAMPLES = 3  # a whole run each: seconds at national scale


def _touch_report() -> None:
    """A report of last month written again (as a facility's edit or submission writes it): a month the
    dashboard's completeness shows."""
    period = reporting_periods(timezone.localdate())[-1]
    report = MonthlyReport.objects.filter(period=period).order_by("pk").first()
    report.save(update_fields=["updated_at"])


def _recompute_one() -> None:
    """One facility recomputed, as after an approval (compliance.tasks.recompute_facility)."""
    facility_id = FacilityCompliance.objects.order_by("pk").values_list("pk", flat=True).first()
    compute_compliance(timezone.localdate(), facility_ids=[facility_id])


def _nightly() -> None:
    """The nightly run, after the day autovacuum has had since the previous one (not timed)."""
    vacuum_after_nightly()
    compute_compliance(timezone.localdate())


STATES: dict[str, tuple[str, Callable[[], None], int | None]] = {
    "dashboard_after_report": ("dashboard, after a report is written", _touch_report, None),
    "dashboard_after_approval": ("dashboard, after an approval", _recompute_one, None),
    "dashboard_after_nightly": ("dashboard, after the nightly run", _nightly, NIGHTLY_SAMPLES),
    "dashboard_cold": ("dashboard, empty cache (fresh process)", cache.clear, None),
}


def ensure_rollups() -> int:
    """The rollup rows of the trend's month ends, from their snapshots, where a dataset has none (one generated
    before the rollups): as the engine's runs of those days leave them. Returns the days built."""
    days = [
        day for day in trend_dates(timezone.localdate())[:-1] if not ComplianceRollup.objects.filter(day=day).exists()
    ]
    for day in days:
        rollups.refresh(day)
    return len(days)


def measure_states(client: Client, requests: int) -> dict:
    """Median, p95 and queries of the dashboard's first request after each state is set up, `requests` times."""
    from .measure import summary

    url = reverse("dashboard:province")
    client.get(url)  # every block computed once
    results = {}
    for key, (label, prepare, samples) in STATES.items():
        timings, queries = [], None
        for _ in range(samples or requests):
            prepare()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            # The fewest: a request that renews the session (at most once a minute) runs 3 more (accounts.middleware).
            queries = len(captured) if queries is None else min(queries, len(captured))
            if response.status_code != 200:
                results[key] = {"label": label, "error": f"HTTP {response.status_code}"}
                break
        else:
            results[key] = {"label": label, "url": url, "status": 200, "queries": queries, **summary(timings)}
    return results
