"""The load test: facility users creating, editing and submitting their monthly reports over HTTP.

Why a Python script with threads and `requests` (not locust or wrk): each virtual user keeps its own
session, CSRF token and list of months still free, reads the version the edit form carries, and tags
every report with a marker the final check looks for in the database; that is a few dozen lines here,
deterministic, and the check shares the project's models. 50 users mostly wait on the server, so one
client process with threads keeps up with what two cores can serve.

Each user is a synthetic facility's staff member, made a member of a few more synthetic stations whose
reports were removed (so every month from the programme's start to now is free).
One cycle: open the new report form, create the draft, open it again, edit it (with its version),
submit it with the head's attestation. A form POST succeeds with a redirect (302) to the report's page.
"""

import datetime
import re
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from compliance.engine import compute_compliance
from facilities.models import Facility, Membership
from reports.forms import REPORT_FIELDS
from reports.models import MonthlyReport, add_months

from .generate import PASSWORD
from .submissions import attestation, report_post_data

FACILITIES_PER_USER = 6
MARKER = "Kiểm thử tải"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def free_months() -> list[datetime.date]:
    """Every month a report may be made for: from the programme's start to this month."""
    month = settings.PROGRAMME_START.replace(day=1)
    last = timezone.localdate().replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def prepare(users: int) -> list[dict]:
    """Pick `users` synthetic station staff, give each FACILITIES_PER_USER stations with no report at all, and
    return the plan: [{username, facilities: [{code, head}]}]."""
    stations = list(
        Facility.objects.active()
        .filter(type__code="health_station", memberships__role="staff")
        .order_by("code")
        .distinct()[: users * FACILITIES_PER_USER]
    )
    if len(stations) < users * FACILITIES_PER_USER:
        raise RuntimeError(f"{users} load users need {users * FACILITIES_PER_USER} stations; generate more facilities.")
    plan = []
    with transaction.atomic():
        # All their reports go (earlier months too: a new report is checked against the last approved one).
        ids = [f.pk for f in stations]
        stale = MonthlyReport.objects.filter(facility_id__in=ids)
        report_ids = list(stale.values_list("pk", flat=True))
        stale.delete()
        MonthlyReport.history.filter(id__in=report_ids).delete()
        for i in range(users):
            own = stations[i * FACILITIES_PER_USER : (i + 1) * FACILITIES_PER_USER]
            user = User.objects.get(username=f"nv.{own[0].code}")
            for facility in own[1:]:
                Membership.objects.get_or_create(user=user, facility=facility, defaults={"role": "staff"})
            plan.append(
                {
                    "username": user.username,
                    "facilities": [{"code": f.code, "head": attestation(f)["attested_by_name"]} for f in own],
                }
            )
        compute_compliance(timezone.localdate(), facility_ids=ids)
    return plan


@dataclass
class Results:
    started: float = 0.0
    finished: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)  # markers of the submissions answered with success
    cycles: int = 0
    out_of_months: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds * 1000)
            self.statuses[status] += 1

    def error(self, message: str) -> None:
        with self.lock:
            if len(self.errors) < 50:
                self.errors.append(message)


class VirtualUser(threading.Thread):
    def __init__(self, base_url: str, entry: dict, deadline: float, results: Results, timeout: float = 60):
        super().__init__(daemon=True)
        import requests

        self.base = base_url.rstrip("/")
        self.entry = entry
        self.deadline = deadline
        self.results = results
        self.timeout = timeout
        self.session = requests.Session()
        self.todo = [(f["code"], f["head"], month) for f in entry["facilities"] for month in free_months()]

    def call(self, kind: str, method: str, path: str, data: dict | None = None, expect: int = 200):
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, data=data, allow_redirects=False, timeout=self.timeout
            )
        except Exception as exc:  # a refused or timed-out connection counts as an error, not a crash
            self.results.record(kind, time.perf_counter() - started, 0)
            self.results.error(f"{kind} {path}: {exc.__class__.__name__}")
            return None
        self.results.record(kind, time.perf_counter() - started, response.status_code)
        if response.status_code != expect:
            self.results.error(f"{kind} {path}: HTTP {response.status_code} (expected {expect})")
            return None
        return response

    def csrf(self, page) -> str:
        match = CSRF.search(page.text)
        return match.group(1) if match else self.session.cookies.get("csrftoken", "")

    def login(self) -> bool:
        page = self.call("login form", "GET", "/accounts/login/")
        if page is None:
            return False
        data = {"username": self.entry["username"], "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)}
        return self.call("login", "POST", "/accounts/login/", data, expect=302) is not None

    def run(self) -> None:
        if not self.login():
            return
        while time.monotonic() < self.deadline:
            if not self.todo:
                self.results.out_of_months += 1
                return
            code, head, month = self.todo.pop(0)
            self.cycle(code, head, month)

    def cycle(self, code: str, head: str, month: datetime.date) -> None:
        marker = f"{MARKER} {uuid.uuid4()}"
        form = self.call("new report form", "GET", f"/reports/new/{code}/?month={month:%Y-%m}")
        if form is None:
            return
        data = report_post_data(_values(), period=month) | {"difficulties": marker}
        data["csrfmiddlewaretoken"] = self.csrf(form)
        created = self.call("create draft", "POST", f"/reports/new/{code}/", data, expect=302)
        if created is None:
            return
        detail = created.headers["Location"]
        pk = int(re.search(r"/reports/(\d+)/", detail).group(1))
        edit = self.call("edit form", "GET", f"/reports/{pk}/edit/")
        if edit is None:
            return
        version = VERSION.search(edit.text)
        data = report_post_data(_values(staff_trained=2), period=month, version=int(version.group(1)))
        data |= {"difficulties": f"{marker} (đã sửa)", "csrfmiddlewaretoken": self.csrf(edit)}
        if self.call("edit draft", "POST", f"/reports/{pk}/edit/", data, expect=302) is None:
            return
        # The edit saved the report once more: the page it lands on shows the next version.
        submit = attestation_data(head, int(version.group(1)) + 1) | {"csrfmiddlewaretoken": self.csrf(edit)}
        if self.call("submit", "POST", f"/reports/{pk}/submit/", submit, expect=302) is not None:
            with self.results.lock:
                self.results.submitted.append(marker)
                self.results.cycles += 1


def _values(**changes) -> dict:
    """A station starting out: some staff, one department planned, nothing live yet."""
    values = {name: getattr(MonthlyReport(), name) for name in REPORT_FIELDS}
    values |= {"stage": 1, "departments_total": 2, "departments_live": 0, "outpatient_visits": 800}
    values |= {"staff_total": 8, "staff_trained": 1, "signers_total": 3, "signers_with_certificate": 1}
    return values | changes


def attestation_data(head: str, version: int) -> dict:
    return {"attested_by_name": head, "confirm": "on", "version": str(version)}


def run(base_url: str, plan: list[dict], seconds: float) -> Results:
    results = Results(started=time.monotonic())
    deadline = results.started + seconds
    users = [VirtualUser(base_url, entry, deadline, results) for entry in plan]
    for user in users:
        user.start()
    for user in users:
        user.join()
    results.finished = time.monotonic()
    return results


def check(results: Results) -> dict:
    """Every submission the server accepted is in the database exactly once, submitted; and what else is there."""
    found = Counter()
    statuses = {}
    for difficulties, status in MonthlyReport.objects.filter(difficulties__startswith=MARKER).values_list(
        "difficulties", "status"
    ):
        marker = difficulties.removesuffix(" (đã sửa)")
        found[marker] += 1
        statuses[marker] = status
    accepted = set(results.submitted)
    return {
        "accepted": len(accepted),
        "missing": sorted(m for m in accepted if found[m] == 0),
        "duplicated": sorted(m for m in accepted if found[m] > 1),
        "not_submitted": sorted(m for m in accepted if found[m] == 1 and statuses[m] != "submitted"),
        "unconfirmed_in_database": sum(1 for m in found if m not in accepted),  # e.g. drafts of unfinished cycles
    }


def percentiles(samples: list[float]) -> dict:
    if not samples:
        return {}
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, int(p * len(ordered) + 0.999999) - 1))], 1)

    return {
        "count": len(ordered),
        "p50_ms": rank(0.50),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def summary(results: Results, checked: dict, users: int) -> dict:
    seconds = results.finished - results.started
    everything = [x for samples in results.latencies.values() for x in samples]
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    return {
        "users": users,
        "seconds": round(seconds, 1),
        "requests": len(everything),
        "requests_per_second": round(len(everything) / seconds, 1) if seconds else None,
        "submissions": results.cycles,
        "submissions_per_second": round(results.cycles / seconds, 2) if seconds else None,
        "latency": percentiles(everything),
        "latency_by_request": {kind: percentiles(samples) for kind, samples in sorted(results.latencies.items())},
        "statuses": {str(k): v for k, v in sorted(results.statuses.items())},
        "server_errors": server_errors,
        "client_errors": results.errors,
        "users_out_of_months": results.out_of_months,
        "check": checked,
        "ok": server_errors == 0
        and not checked["missing"]
        and not checked["duplicated"]
        and not checked["not_submitted"]
        and not results.errors,
    }
