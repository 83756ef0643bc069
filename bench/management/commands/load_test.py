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

from bench import load, measure
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
    "CELERY_BROKER_URL": "",
    "LOG_LEVEL": "WARNING",
}


class Command(BaseCommand):
    help = (
        "Load test: gunicorn on a generated PostgreSQL database (<database>, created and filled when missing), "
        "50 facility users creating, editing and submitting reports for a while, then a check that every "
        "accepted submission is in the database exactly once and that the server never answered 5xx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="emr_bench_load")
        parser.add_argument("--facilities", type=int, default=6000)
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=90)
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
        self.stdout.write(f"{len(plan)} users, {load.FACILITIES_PER_USER} stations each, on {options['database']}.")
        server = self.start_server(options)
        try:
            base = f"http://127.0.0.1:{options['port']}"
            self.stdout.write(f"Running {options['users']} users for {options['seconds']} s against {base}…")
            results = load.run(base, plan, options["seconds"])
        finally:
            server.terminate()
            server.wait(timeout=30)
        report = load.summary(results, load.check(results), len(plan))
        report["server"] = {"workers": options["workers"], "worker_class": "sync", "facilities": options["facilities"]}
        report["machine"] = measure.machine()
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
        for option in ("facilities", "months", "users", "seconds", "workers", "port"):
            command += [f"--{option}", str(options[option])]
        if options["json"]:
            command += ["--json", str(options["json"].resolve())]
        if subprocess.run(command, env=env).returncode:
            raise CommandError("The load test failed.")

    def start_server(self, options) -> subprocess.Popen:
        env = dict(os.environ) | SERVER_ENV | {"DATABASE_URL": measure.database_url(connection.settings_dict["NAME"])}
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
        c = report["check"]
        w(
            f"  database check: {c['accepted']} accepted submissions; missing {len(c['missing'])}, "
            f"duplicated {len(c['duplicated'])}, not submitted {len(c['not_submitted'])}; "
            f"{c['unconfirmed_in_database']} unfinished cycles left drafts"
        )
        for error in report["client_errors"][:10]:
            w(f"  error: {error}")
        w(self.style.SUCCESS("OK: no 5xx, every accepted submission stored once.") if report["ok"] else "FAILED")
