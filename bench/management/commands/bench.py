import json
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import measure, report
from bench.databases import create_database, drop_database
from bench.safety import current_dataset


def sizes(value: str) -> list[int]:
    try:
        found = sorted({int(part.replace("_", "")) for part in value.split(",") if part.strip()})
    except ValueError:
        raise CommandError(f"--facilities takes sizes separated by commas, e.g. 600,60000, not {value!r}") from None
    if not found or found[0] < 1:
        raise CommandError("--facilities needs at least one positive size.")
    return found


class Command(BaseCommand):
    help = (
        "Measure the hot paths at several national sizes, each in its own PostgreSQL database "
        "(<prefix><N>, created and filled by generate_scale_data when missing), print one table and "
        "write the figures as JSON. With --in-place, measure the current database at one size instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--facilities", type=sizes, default=[600, 6000, 60000], help="e.g. 600,6000,60000")
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", type=Path, help="write the figures to this file")
        parser.add_argument("--requests", type=int, default=measure.REQUESTS, help="timed requests per page")
        parser.add_argument("--submissions", type=int, default=measure.SUBMISSIONS)
        parser.add_argument("--db-prefix", default="emr_bench_", help="database of each size: <prefix><N>")
        parser.add_argument("--drop", action="store_true", help="drop the databases of each size afterwards")
        parser.add_argument(
            "--in-place", action="store_true", help="measure the current database (one size; generated if needed)"
        )
        parser.add_argument("--force", action="store_true", help="with --in-place: replace real data (never!)")

    def handle(self, *args, **options):
        if options["in_place"]:
            result = self.in_place(options)
            results = [result]
        else:
            results = [self.in_own_database(n, options) for n in options["facilities"]]
        self.stdout.write("")
        self.stdout.write(report.table(results))
        if options["json"]:
            document = {
                "sizes": results,
                "ratios": report.ratios(results),
                "targets": report.targets(results),
            }
            options["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str))
            self.stdout.write(f"\nFigures written to {options['json']}")

    def in_place(self, options) -> dict:
        if len(options["facilities"]) != 1:
            raise CommandError("--in-place measures one size: give --facilities N.")
        n = options["facilities"][0]
        dataset = current_dataset()
        if not (dataset and dataset.matches(facilities=n, months=options["months"], seed=options["seed"])):
            call_command(
                "generate_scale_data",
                facilities=n,
                months=options["months"],
                seed=options["seed"],
                force=options["force"],
                stdout=self.stdout,
            )
            dataset = current_dataset()
        self.stdout.write(f"Measuring {dataset} in {connection.settings_dict['NAME']}…")
        result = measure.measure_all(
            requests=options["requests"], submissions=options["submissions"], log=self.stdout.write
        )
        result["dataset"] = {
            "facilities": dataset.facilities,
            "months": dataset.months,
            "seed": dataset.seed,
            "database": connection.settings_dict["NAME"],
            "generate_seconds": dataset.seconds,
            "generated_at": dataset.finished_at.isoformat(timespec="seconds"),
            **{k: v for k, v in dataset.counts.items() if k != "phases"},
            "generate_phases": dataset.counts.get("phases", {}),
        }
        return result

    def in_own_database(self, n: int, options) -> dict:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://… (or use --in-place).")
        name = f"{options['db_prefix']}{n}"
        if name == connection.settings_dict["NAME"]:
            raise CommandError(f"{name} is the configured database; the sizes get their own ones.")
        created = create_database(name)
        self.stdout.write(self.style.MIGRATE_HEADING(f"{n:,} facilities in {name}" + (" (new)" if created else "")))
        env = measure.child_env()
        env["DATABASE_URL"] = measure.database_url(name)
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [*manage, "bench", "--in-place", "--facilities", str(n), "--months", str(options["months"])]
            command += ["--seed", str(options["seed"]), "--json", out.name]
            command += ["--requests", str(options["requests"]), "--submissions", str(options["submissions"])]
            subprocess.run(command, env=env, check=True)
            result = json.loads(Path(out.name).read_text())["sizes"][0]
        if options["drop"]:
            drop_database(name)
        return result
