"""The load test: facility users creating, editing and submitting their monthly reports over HTTP, while
DoH officers approve and return them from the review queue and leaders open the dashboard and the facility
list with filters.

Why a Python script with threads and `requests` (not locust or wrk): each virtual user keeps its own
session, CSRF token and list of months still free, reads the version the edit form carries, and tags
every report with a marker the final check looks for in the database; that is a few dozen lines here,
deterministic, and the check shares the project's models. 50 users mostly wait on the server, so one
client process with threads keeps up with what two cores can serve.

Each user is a synthetic facility's staff member, made a member of a few more synthetic stations whose
reports were removed (so every month from the programme's start to now is free).
One cycle: open the new report form, create the draft, open it again, edit it (with its version),
submit it with the head's attestation. A form POST succeeds with a redirect (302) to the report's page.

Officers (the generated `canbo.NN`) each take the queued reports whose id leaves their number modulo the
number of officers (so two officers never decide the same report), open the report, and approve it
(four in five) or return it with a comment. Leaders (`lanhdao.NN`, reused when there are more leaders
than generated accounts) alternate the dashboard and a filtered facility list.

Approvals visible on the dashboard: an approval's recompute runs on the Celery worker after the commit.
A database watcher notes, for each approval, when its facility's compliance row was written after it;
a leader's session polls the dashboard's JSON and notes the `computed_at` it shows. An approval is
visible at the first dashboard answer whose `computed_at` is at or after its facility's new row; the
delay is measured from the approval's response.
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
from compliance.models import ComplianceStatus, FacilityCompliance
from facilities.models import Facility, Membership, Ownership
from reports.forms import REPORT_FIELDS
from reports.models import MonthlyReport, add_months

from .generate import PASSWORD
from .submissions import attestation, report_post_data

FACILITIES_PER_USER = 6
MARKER = "Kiểm thử tải"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
QUEUED_REPORT = re.compile(r'href="/reports/(\d+)/"')
VISIBLE_WITHIN = 5.0  # seconds from an approval's response to the dashboard showing it
POLL_EVERY = 0.5  # seconds between two dashboard polls, and two database checks, of the visibility watch


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
    approvals: list[dict] = field(default_factory=list)  # {report, facility, at (wall), done (monotonic)}
    returns: int = 0
    dashboard_polls: list[tuple[float, datetime.datetime | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds * 1000)
            self.statuses[status] += 1

    def error(self, message: str) -> None:
        with self.lock:
            if len(self.errors) < 50:
                self.errors.append(message)


class Client(threading.Thread):
    """One virtual user's session; `call` times a request and counts its status."""

    def __init__(self, base_url: str, entry: dict, deadline: float, results: Results, timeout: float = 60):
        super().__init__(daemon=True)
        import requests

        self.base = base_url.rstrip("/")
        self.entry = entry
        self.deadline = deadline
        self.results = results
        self.timeout = timeout
        self.session = requests.Session()

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


class VirtualUser(Client):
    """A facility user: creates, edits and submits monthly reports."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.todo = [(f["code"], f["head"], month) for f in self.entry["facilities"] for month in free_months()]

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


class Officer(Client):
    """A DoH officer working through the review queue (entry: {username, index, of})."""

    def run(self) -> None:
        if not self.login():
            return
        decided = 0
        while time.monotonic() < self.deadline:
            queue = self.call("review queue", "GET", "/reports/review/")
            if queue is None:
                return
            mine = [int(pk) for pk in dict.fromkeys(QUEUED_REPORT.findall(queue.text))]
            mine = [pk for pk in mine if pk % self.entry["of"] == self.entry["index"]]
            if not mine:
                time.sleep(1)
                continue
            for pk in mine[:5]:
                if time.monotonic() >= self.deadline:
                    return
                detail = self.call("report to review", "GET", f"/reports/{pk}/")
                if detail is None:
                    continue
                token = {"csrfmiddlewaretoken": self.csrf(detail)}
                decided += 1
                if decided % 5 == 0:
                    data = token | {"comment": "Đề nghị bổ sung số liệu (kiểm thử tải)."}
                    if self.call("return", "POST", f"/reports/{pk}/return/", data, expect=302) is not None:
                        with self.results.lock:
                            self.results.returns += 1
                    continue
                at = timezone.now()
                if self.call("approve", "POST", f"/reports/{pk}/approve/", token, expect=302) is not None:
                    done = time.monotonic()
                    with self.results.lock:
                        self.results.approvals.append({"report": pk, "at": at, "done": done})


class Leader(Client):
    """Leadership: the dashboard, then the facility list with one of a few filters, in turn."""

    def run(self) -> None:
        if not self.login():
            return
        statuses = [status.value for status in ComplianceStatus]
        filters = [
            "?active=true",
            *(f"?active=true&status={status}" for status in statuses),
            *(f"?active=true&ownership={ownership.value}" for ownership in Ownership),
            "?active=true&q=tram&sort=-progress",
        ]
        turn = self.entry["index"]
        while time.monotonic() < self.deadline:
            self.call("dashboard", "GET", "/dashboard/")
            self.call("facility list", "GET", "/facilities/" + filters[turn % len(filters)])
            turn += 1


class DashboardWatch(Client):
    """A leader's session polling the dashboard's JSON: when it answered, and the `computed_at` it showed."""

    def run(self) -> None:
        if not self.login():
            return
        while time.monotonic() < self.deadline + VISIBLE_WITHIN:
            answer = self.call("dashboard (json)", "GET", "/dashboard/data.json")
            if answer is not None:
                shown = answer.json().get("computed_at")
                with self.results.lock:
                    self.results.dashboard_polls.append(
                        (time.monotonic(), datetime.datetime.fromisoformat(shown) if shown else None)
                    )
            time.sleep(POLL_EVERY)


class EngineWatch(threading.Thread):
    """The database side of the visibility check: for each approval, when its facility's compliance row was
    written after it (the worker's recompute). Runs in the harness, with its own connection."""

    def __init__(self, deadline: float, results: Results):
        super().__init__(daemon=True)
        self.deadline = deadline
        self.results = results

    def run(self) -> None:
        from django.db import connection

        try:
            while time.monotonic() < self.deadline + VISIBLE_WITHIN:
                with self.results.lock:
                    waiting = [a for a in self.results.approvals if "written" not in a]
                if waiting:
                    reports = MonthlyReport.objects.filter(pk__in=[a["report"] for a in waiting])
                    facility_of = dict(reports.values_list("pk", "facility_id"))
                    inactive = set(reports.filter(facility__is_active=False).values_list("pk", flat=True))
                    written = dict(
                        FacilityCompliance.objects.filter(facility_id__in=set(facility_of.values())).values_list(
                            "facility_id", "computed_at"
                        )
                    )
                    with self.results.lock:
                        for approval in waiting:
                            if approval["report"] in inactive:
                                approval["written"] = None  # no compliance row: nothing for the dashboard to show
                                continue
                            at = written.get(facility_of.get(approval["report"]))
                            if at is not None and at >= approval["at"]:
                                approval["written"] = at
                time.sleep(POLL_EVERY)
        finally:
            connection.close()


def visibility(results: Results) -> dict:
    """How long after each approval the dashboard showed its facility's recomputed row (module docstring)."""
    delays, late, inactive = [], [], 0
    polls = sorted(results.dashboard_polls)
    for approval in results.approvals:
        if "written" in approval and approval["written"] is None:
            inactive += 1  # a closed facility's old report: the dashboard counts active facilities only
            continue
        written = approval.get("written")
        seen = next((t for t, shown in polls if written and shown and shown >= written), None)
        if seen is None:
            late.append(approval["report"])
            continue
        delay = max(0.0, seen - approval["done"])
        delays.append(delay * 1000)
        if delay > VISIBLE_WITHIN:
            late.append(approval["report"])
    return {
        "approvals": len(results.approvals),
        "of_inactive_facilities": inactive,
        "returns": results.returns,
        "within_seconds": VISIBLE_WITHIN,
        "late_or_never": late,
        "delay": percentiles(delays),
    }


def _values(**changes) -> dict:
    """A station starting out: some staff, one department planned, nothing live yet."""
    values = {name: getattr(MonthlyReport(), name) for name in REPORT_FIELDS}
    values |= {"stage": 1, "departments_total": 2, "departments_live": 0, "outpatient_visits": 800}
    values |= {"staff_total": 8, "staff_trained": 1, "signers_total": 3, "signers_with_certificate": 1}
    return values | changes


def attestation_data(head: str, version: int) -> dict:
    return {"attested_by_name": head, "confirm": "on", "version": str(version)}


def staff_accounts(officers: int, leaders: int) -> tuple[list[dict], list[dict]]:
    """The generated officers (`canbo.NN`) and leaders (`lanhdao.NN`, reused in turn) for the run."""
    officer_names = list(User.objects.filter(username__startswith="canbo.").order_by("username")[:officers])
    leader_names = list(User.objects.filter(username__startswith="lanhdao.").order_by("username"))
    if len(officer_names) < officers or (leaders and not leader_names):
        raise RuntimeError("The generated data has too few officer or leader accounts for this run.")
    officer_plan = [{"username": u.username, "index": i, "of": officers} for i, u in enumerate(officer_names)]
    leader_plan = [{"username": leader_names[i % len(leader_names)].username, "index": i} for i in range(leaders)]
    return officer_plan, leader_plan


def run(base_url: str, plan: list[dict], seconds: float, officers=(), leaders=()) -> Results:
    results = Results(started=time.monotonic())
    deadline = results.started + seconds
    users = [VirtualUser(base_url, entry, deadline, results) for entry in plan]
    users += [Officer(base_url, entry, deadline, results) for entry in officers]
    users += [Leader(base_url, entry, deadline, results) for entry in leaders]
    watchers = []
    if leaders:
        watchers = [DashboardWatch(base_url, leaders[0], deadline, results), EngineWatch(deadline, results)]
    for thread in users + watchers:
        thread.start()
    for user in users:
        user.join()
    results.finished = time.monotonic()
    for watcher in watchers:
        watcher.join()
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
    seen = visibility(results)
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
        "visibility": seen,
        "ok": server_errors == 0
        and not seen["late_or_never"]
        and not checked["missing"]
        and not checked["duplicated"]
        and not checked["not_submitted"]
        and not results.errors,
    }


# The mixed run's targets at 60,000 facilities with 5 gunicorn workers: printed beside the figures, never a test.
TARGETS_P95_MS = {"dashboard": 300, "form and review pages": 400}
FORM_AND_REVIEW = ("new report form", "edit form", "review queue", "report to review")
TARGET_REQUESTS_PER_SECOND = 2 * 78


def targets(report: dict) -> list[tuple[str, str, str, bool]]:
    """(what, measured, target, met) for each of the run's targets."""
    by_kind = report["latency_by_request"]
    dashboard = by_kind.get("dashboard", {}).get("p95_ms")
    forms = [by_kind[kind]["p95_ms"] for kind in FORM_AND_REVIEW if kind in by_kind]
    worst_form = max(forms) if forms else None
    seen = report["visibility"]
    lost = len(report["check"]["missing"]) + len(report["check"]["duplicated"])
    rate = report["requests_per_second"] or 0
    return [
        ("dashboard p95", f"{dashboard} ms", "≤ 300 ms", dashboard is not None and dashboard <= 300),
        ("form and review pages p95 (worst)", f"{worst_form} ms", "≤ 400 ms", (worst_form or 10**9) <= 400),
        ("throughput", f"{rate} /s", f"≥ {TARGET_REQUESTS_PER_SECOND} /s", rate >= TARGET_REQUESTS_PER_SECOND),
        ("5xx", str(report["server_errors"]), "0", report["server_errors"] == 0),
        ("lost or duplicated submissions", str(lost), "0", lost == 0),
        ("approvals not on the dashboard in 5 s", str(len(seen["late_or_never"])), "0", not seen["late_or_never"]),
    ]
