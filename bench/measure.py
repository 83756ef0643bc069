"""The benchmark's measurements on the current database (which holds a synthetic dataset).

Pages go through Django's test client, logged in as the people who use them: median and 95th
percentile (nearest rank) of warm requests, and the SQL queries of one request, counted apart
so the count never slows the timed ones. The compliance recompute runs the engine in this
process; the provincial workbook is built by a child process (`export_report`), which reports
its own peak resident memory (bench.child). A monthly report goes from the form to
approval through the pages (create, submit, approve), then the benchmark removes what it added.
"""

import logging
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import django
from django.conf import settings
from django.core.management import get_commands
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.models import User
from compliance.engine import compute_compliance
from compliance.models import ComplianceStatus
from core.months import month_start, period_end
from dashboard.filters import FacilityFilter
from facilities.models import Facility
from reports.forms import MonthlyReportForm
from reports.models import MonthlyReport

from . import child
from .generate import compact_current_statuses, vacuum_after_nightly, vacuum_analyze
from .states import ensure_rollups, measure_states
from .submissions import attestation, new_report_values, report_post_data

BASE_DIR = Path(settings.BASE_DIR)
REQUESTS = 20
WARMUP = 2
SUBMISSIONS = 20
SEARCH = "tan hong"


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile: the 19th of 20 sorted samples."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(samples_ms: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(samples_ms), 1),
        "p95_ms": round(p95(samples_ms), 1),
        "samples": len(samples_ms),
    }


@contextmanager
def bench_settings():
    """The test client's host on any settings (DEBUG off included), and tasks run in this process, quietly."""
    from celery import current_app as app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], SECURE_SSL_REDIRECT=False):
            yield
    finally:
        app.conf.task_always_eager = eager
        trace.setLevel(level)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def time_get(client: Client, url: str, requests: int = REQUESTS) -> dict:
    """Median, p95 and the query count of GET `url` (after WARMUP untimed requests)."""
    for _ in range(WARMUP):
        response = client.get(url)
        if response.status_code != 200:
            return {"url": url, "status": response.status_code, "error": f"HTTP {response.status_code}"}
    counts = []
    for _ in range(2):  # the fewer of two: one may renew the session (at most once a minute, accounts.middleware)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))  # now: the next request empties the log the context reads from
    count = min(counts)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    return {"url": url, "status": 200, "queries": count, **summary(samples)}


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def sample_facility() -> Facility:
    """The facility page's subject: the commune health station with the most reports (the same one each run)."""
    return (
        Facility.objects.filter(type__code="health_station", is_active=True, memberships__role="staff")
        .annotate(reports=Count("monthly_reports", distinct=True))
        .order_by("-reports", "code")
        .first()
    )


def filtered_query() -> str:
    """A typical officer filter: public commune health stations, at risk when the list can filter on status."""
    query = "type=health_station&ownership=public"
    if "status" in FacilityFilter.base_filters:
        query += "&status=at_risk"
    return query


def measure_pages(requests: int = REQUESTS) -> dict:
    officer = User.objects.get(username="canbo.01")
    facility = sample_facility()
    staff = User.objects.get(username=f"nv.{facility.code}")
    as_officer, as_staff = _client(officer), _client(staff)
    facilities = _url("facilities:list")
    # A past day a leader looks back at: last month's end, read from its snapshots and rollup rows.
    month_end = f"{period_end(month_start(timezone.localdate(), 1)):%d/%m/%Y}"
    pages = {
        "dashboard": ("province dashboard", as_officer, _url("dashboard:province")),
        "dashboard_past": (
            f"dashboard as of {month_end}",
            as_officer,
            f"{_url('dashboard:province')}?date={month_end}",
        ),
        "facility_list": ("facility list, first page", as_officer, facilities),
        "facility_list_filtered": ("facility list, filtered", as_officer, f"{facilities}?{filtered_query()}"),
        "facility_list_search": (f'facility list, search "{SEARCH}"', as_officer, f"{facilities}?q={SEARCH}"),
        "facility_page": ("facility page (its staff)", as_staff, _url("facilities:detail", facility.code)),
        "facility_page_officer": ("facility page (officer)", as_officer, _url("facilities:detail", facility.code)),
        "review_queue": ("review queue", as_officer, _url("reports:review_queue")),
    }
    results = {}
    for key, (label, client, url) in pages.items():
        if url is None:
            results[key] = {"label": label, "error": "page not on main yet"}
            continue
        results[key] = {"label": label, **time_get(client, url, requests)}
    return {**results, **measure_states(as_officer, requests)}


def measure_recompute() -> dict:
    """The nightly run of every facility, timed, after what autovacuum does in the day before it (not timed)."""
    vacuum_after_nightly()
    started = time.perf_counter()
    counts = compute_compliance(timezone.localdate())
    facilities = sum(counts[status] for status in ComplianceStatus.values)  # one deployment status each
    return {"seconds": round(time.perf_counter() - started, 2), "facilities": facilities}


def child_env() -> dict[str, str]:
    """The environment of a child process working on this very database (a test database included)."""
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url(connection.settings_dict["NAME"])
    env.setdefault("DEBUG", "1" if settings.DEBUG else "0")
    return env


def database_url(name: str) -> str:
    from urllib.parse import quote

    s = connection.settings_dict
    if connection.vendor != "postgresql":
        return f"sqlite:///{name}"
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{quote(name, safe='')}"


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict:
    """Run a manage.py command in a child process: its wall time, exit status, peak memory (bench.child) and output."""
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-m", "bench.child", *args],
        env=env or child_env(),
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seconds = round(time.perf_counter() - started, 2)
    lines = process.stdout.splitlines()
    peaks = [float(line.split()[1]) for line in lines if line.startswith(child.MARKER)]
    output = "\n".join(line for line in lines if not line.startswith(child.MARKER))
    return {
        "seconds": seconds,
        "returncode": process.returncode,
        "peak_rss_mb": round(peaks[-1], 1) if peaks else None,
        "output": output[-2000:],
    }


def measure_export() -> dict:
    if "export_report" not in get_commands():
        return {"error": "export_report is not on main yet"}
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "bao-cao.xlsx"
        result = run_child(["export_report", "-o", str(target)])
        result["bytes"] = target.stat().st_size if target.exists() else 0
    if result["returncode"] != 0:
        result["error"] = f"export_report failed ({result['returncode']})"
    return result


def submission_candidates(count: int) -> list[Facility]:
    """Stations with no report this month whose carried-over values pass the form (dates before the
    programme's start, which older synthetic reports may carry, would not)."""
    month = timezone.localdate().replace(day=1)
    found = []
    candidates = (
        Facility.objects.active()
        .filter(type__code="health_station", memberships__role="staff")
        .exclude(monthly_reports__period=month)
        .select_related("type")
        .order_by("code")
        .distinct()  # a station with two staff members (as the load test's users make them) once
    )
    for facility in candidates.iterator(chunk_size=200):
        form = MonthlyReportForm(report_post_data(new_report_values(facility), period=month), facility=facility)
        if form.is_valid():
            found.append(facility)
            if len(found) == count:
                break
    return found


def measure_submissions(count: int = SUBMISSIONS) -> dict:
    """Create, submit and approve a report through the pages, `count` times; then remove them."""
    month = timezone.localdate().replace(day=1)
    officer = _client(User.objects.get(username="canbo.01"))
    steps = {"create": [], "submit": [], "approve": [], "total": []}
    created = []
    try:
        for facility in submission_candidates(count):
            staff = _client(User.objects.get(username=f"nv.{facility.code}"))
            data = report_post_data(new_report_values(facility), period=month)
            data["difficulties"] = "Benchmark"
            started = time.perf_counter()
            response = staff.post(reverse("reports:create", args=[facility.code]), data)
            t1 = time.perf_counter()
            if response.status_code != 302:
                return {"error": f"create answered {response.status_code}{_refusal(response)}"}
            pk = resolve(response.url).kwargs["pk"]
            created.append(pk)
            # A report just created has been saved once: its page shows version 1.
            response = staff.post(reverse("reports:submit", args=[pk]), attestation(facility, version=1))
            t2 = time.perf_counter()
            response2 = officer.post(reverse("reports:approve", args=[pk]))
            t3 = time.perf_counter()
            if response.status_code != 302 or response2.status_code != 302:
                return {"error": f"submit/approve answered {response.status_code}/{response2.status_code}"}
            for step, seconds in zip(steps, (t1 - started, t2 - t1, t3 - t2, t3 - started), strict=True):
                steps[step].append(seconds * 1000)
        approved = MonthlyReport.objects.filter(pk__in=created, status="approved").count()
    finally:
        _remove_reports(created)
    if not steps["total"]:
        return {"error": "no facility could take a new report this month"}
    return {"approved": approved, **{step: summary(samples) for step, samples in steps.items()}}


def _refusal(response) -> str:
    """What the form page says it refused (its error summary), for the benchmark's error line."""
    found = re.search(r'id="error-summary".*?<ul[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return f": {' '.join(strip_tags(found.group(1)).split())}" if found else ""


def _remove_reports(pks: list[int]) -> None:
    """Leave the dataset as it was: the reports, their history and their facilities' compliance."""
    if not pks:
        return
    facility_ids = list(MonthlyReport.objects.filter(pk__in=pks).values_list("facility_id", flat=True))
    MonthlyReport.objects.filter(pk__in=pks).delete()
    MonthlyReport.history.filter(id__in=pks).delete()
    compute_compliance(timezone.localdate(), facility_ids=facility_ids)


def machine() -> dict:
    info = {
        "hostname": platform.node(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text().split()
        info["memory_gb"] = round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["postgresql"] = cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            info["shared_buffers"] = cursor.fetchone()[0]
            cursor.execute("SHOW autovacuum")
            info["autovacuum"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            info["database_size"] = cursor.fetchone()[0]
    return info


def measure_all(*, requests: int = REQUESTS, submissions: int = SUBMISSIONS, log=print) -> dict:
    """Every figure for the dataset in the current database."""
    result = {"started_at": timezone.now().isoformat(timespec="seconds"), "machine": machine()}
    with bench_settings():
        log(f"  rollups of the trend's month ends: {ensure_rollups()} built")
        log("  vacuum and analyze…")  # after the rollups, so rows just built have their statistics too
        compact_current_statuses()
        vacuum_analyze()
        log("  pages…")
        result["pages"] = measure_pages(requests)
        log("  compliance recompute…")
        result["compliance_recompute"] = measure_recompute()
        # The recompute above leaves each compliance row dead once; in production autovacuum clears them within a
        # minute of the nightly run, long before anyone exports, but it may be off on a benchmark server.
        log("  vacuum and analyze, as autovacuum would after the nightly run…")
        vacuum_analyze()
        log("  provincial workbook…")
        result["export"] = measure_export()
        log("  monthly report, form to approval…")
        result["submit"] = measure_submissions(submissions)
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result
