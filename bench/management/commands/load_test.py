import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import cpu, load, measure
from bench.databases import create_database
from bench.safety import current_dataset

# The load run's settings: production-like (DEBUG off) on plain HTTP, sources served without a manifest.
SERVER_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "load-test-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_MANIFEST": "0",
    "LOG_LEVEL": "WARNING",
}
# Redis databases of the run's own (the broker's queue and the shared cache), unless given.
BROKER_URL = "redis://127.0.0.1:6379/14"
CACHE_URL = "redis://127.0.0.1:6379/13"


class Command(BaseCommand):
    help = (
        "Mixed load test: gunicorn (production settings) and a Celery worker on Redis, on a generated PostgreSQL "
        "database (<database>, created and filled when missing); facility users create and submit reports, "
        "officers approve and return them, leaders open the dashboard and the facility list. Then it checks "
        "that every accepted submission is in the database exactly once, that the server never answered 5xx "
        "and that every approval reached the dashboard within 5 s."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="emr_bench_load")
        parser.add_argument("--facilities", type=int, default=60000)
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--users", type=int, default=40, help="facility users")
        parser.add_argument("--officers", type=int, default=5)
        parser.add_argument("--leaders", type=int, default=5)
        parser.add_argument("--seconds", type=int, default=120)
        parser.add_argument("--broker-url", default=BROKER_URL, help="the Celery broker (Redis) of the run")
        parser.add_argument("--cache-url", default=CACHE_URL, help="the shared cache (Redis) of the run")
        parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (2 × cores + 1)")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--json", type=Path)
        parser.add_argument("--in-place", action="store_true", help="run on the configured database")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The load test runs on PostgreSQL: set DATABASE_URL=postgres://…")
        if not options["in_place"]:
            return self.in_own_database(options)
        dataset = current_dataset()
        if not (dataset and dataset.matches(facilities=options["facilities"], months=options["months"], seed=1)):
            call_command(
                "generate_scale_data", facilities=options["facilities"], months=options["months"], stdout=self.stdout
            )
        plan = load.prepare(options["users"])
        officers, leaders = load.staff_accounts(options["officers"], options["leaders"])
        self.stdout.write(f"{len(plan)} users, {load.FACILITIES_PER_USER} stations each, on {options['database']}.")
        worker = self.start_worker(options)
        try:
            server = self.start_server(options)
            try:
                base = f"http://127.0.0.1:{options['port']}"
                self.stdout.write(
                    f"Running {len(plan)} facility users, {len(officers)} officers and {len(leaders)} leaders "
                    f"for {options['seconds']} s against {base}…"
                )
                before = cpu.sample()
                results = load.run(base, plan, options["seconds"], officers=officers, leaders=leaders)
                used = {role: round(seconds, 1) for role, seconds in cpu.spent(before, cpu.sample()).items()}
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        report = load.summary(results, load.check(results), len(plan))
        report["server"] = {
            "workers": options["workers"],
            "worker_class": "sync",
            "facilities": options["facilities"],
            "officers": len(officers),
            "leaders": len(leaders),
        }
        report["machine"] = measure.machine()
        report["cpu"] = {"available_seconds": round(report["seconds"] * (os.cpu_count() or 1), 1), "by_role": used}
        self.print_report(report)
        if options["json"]:
            options["json"].write_text(json.dumps(report, indent=2, ensure_ascii=False))
        if not report["ok"]:
            raise CommandError("The load run found errors or lost submissions (see above).")

    def in_own_database(self, options):
        name = options["database"]
        if name == connection.settings_dict["NAME"]:
            raise CommandError(f"{name} is the configured database: the load test gets its own one.")
        create_database(name)
        env = measure.child_env()
        env["DATABASE_URL"] = measure.database_url(name)
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        command = [*manage, "load_test", "--in-place", "--database", name]
        for option in ("facilities", "months", "users", "officers", "leaders", "seconds", "workers", "port"):
            command += [f"--{option}", str(options[option])]
        command += ["--broker-url", options["broker_url"], "--cache-url", options["cache_url"]]
        if options["json"]:
            command += ["--json", str(options["json"].resolve())]
        if subprocess.run(command, env=env).returncode:
            raise CommandError("The load test failed.")

    def server_env(self, options) -> dict:
        return (
            dict(os.environ)
            | SERVER_ENV
            | {
                "DATABASE_URL": measure.database_url(connection.settings_dict["NAME"]),
                "CELERY_BROKER_URL": options["broker_url"],
                "CACHE_URL": options["cache_url"],
            }
        )

    def start_worker(self, options) -> subprocess.Popen:
        """A real Celery worker on the run's broker: approvals' recomputes go through it. Its queue and the
        shared cache start empty, so nothing from an earlier run is counted."""
        import redis

        for url in (options["broker_url"], options["cache_url"]):
            redis.Redis.from_url(url).flushdb()
        command = [sys.executable, "-m", "celery", "--quiet", "-A", "rollout_portal", "worker", "--concurrency", "1"]
        command += ["--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        return subprocess.Popen(command, env=self.server_env(options), cwd=settings.BASE_DIR)

    def start_server(self, options) -> subprocess.Popen:
        env = self.server_env(options)
        command = [sys.executable, "-m", "gunicorn", "rollout_portal.wsgi", "--bind", f"127.0.0.1:{options['port']}"]
        command += ["--workers", str(options["workers"]), "--timeout", "60", "--log-level", "warning"]
        server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
        health = f"http://127.0.0.1:{options['port']}/healthz"
        for _ in range(100):
            try:
                with urllib.request.urlopen(health, timeout=2) as response:
                    if response.status == 200:
                        return server
            except OSError:
                time.sleep(0.2)
            if server.poll() is not None:
                break
        server.terminate()
        raise CommandError("gunicorn did not answer /healthz.")

    def print_report(self, report: dict) -> None:
        w = self.stdout.write
        w("")
        w(f"{report['users']} users, {report['seconds']} s, gunicorn {report['server']['workers']} sync workers")
        w(f"  requests       {report['requests']:>7}  ({report['requests_per_second']} /s)")
        w(f"  submissions    {report['submissions']:>7}  ({report['submissions_per_second']} /s)")
        for kind, p in [("all requests", report["latency"]), *report["latency_by_request"].items()]:
            w(
                f"    {kind:<16} n={p['count']:<6} p50 {p['p50_ms']:>7} ms  p95 {p['p95_ms']:>7} ms"
                f"  p99 {p['p99_ms']:>7} ms  max {p['max_ms']:>7} ms"
            )
        w(f"  HTTP statuses  {report['statuses']}   5xx: {report['server_errors']}")
        v = report["visibility"]
        delay = v["delay"]
        closed = v.get("of_inactive_facilities", 0)
        w(
            f"  approvals      {v['approvals']:>7}  returns {v['returns']}; on the dashboard within "
            f"{v['within_seconds']:.0f} s: {v['approvals'] - closed - len(v['late_or_never'])}"
            + (f" (p50 {delay['p50_ms']} ms, p95 {delay['p95_ms']} ms, max {delay['max_ms']} ms)" if delay else "")
            + (f"; {closed} of closed facilities (nothing to show)" if closed else "")
        )
        c = report["check"]
        w(
            f"  database check: {c['accepted']} accepted submissions; missing {len(c['missing'])}, "
            f"duplicated {len(c['duplicated'])}, not submitted {len(c['not_submitted'])}; "
            f"{c['unconfirmed_in_database']} unfinished cycles left drafts"
        )
        used, available = report["cpu"]["by_role"], report["cpu"]["available_seconds"]
        w(
            f"  CPU            {sum(used.values()):.0f} s of the {available:.0f} s the machine's cores give: "
            + ", ".join(f"{role} {seconds:.0f} s" for role, seconds in used.items())
        )
        w("  targets (60,000 facilities, 5 workers):")
        for label, value, target, met in load.targets(report):
            w(f"    {label:<38} {value:<14} target {target:<10} {'met' if met else 'NOT MET'}")
        for error in report["client_errors"][:10]:
            w(f"  error: {error}")
        w(
            self.style.SUCCESS("OK: no 5xx, every accepted submission stored once, every approval on the dashboard.")
            if report["ok"]
            else "FAILED"
        )
