from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.generate import generate
from bench.safety import SQLITE_LIMIT, current_dataset, real_data


class Command(BaseCommand):
    help = (
        "Replace the database's data with a synthetic country of N facilities and M months of reports "
        "(PostgreSQL; SQLite only for tiny sizes). Refuses a database holding real data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--facilities", type=int, required=True)
        parser.add_argument("--months", type=int, default=36, help="months of reports, ending with last month")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--snapshots",
            choices=["weekly", "monthly", "daily"],
            default="weekly",
            help="past compliance snapshots over the dashboard's 12-month trend (month ends are always written)",
        )
        parser.add_argument("--force", action="store_true", help="replace the data even if some of it is real")
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing if this very dataset is already in place"
        )

    def handle(self, *args, facilities, months, seed, snapshots, force, if_missing, **options):
        if not 1 <= facilities <= 89_999:
            raise CommandError("--facilities must be between 1 and 89,999 (5-digit facility codes).")
        if not 1 <= months <= 120:
            raise CommandError("--months must be between 1 and 120.")
        if connection.vendor != "postgresql" and facilities > SQLITE_LIMIT:
            raise CommandError(
                f"Synthetic data above {SQLITE_LIMIT} facilities needs PostgreSQL (COPY); "
                f"set DATABASE_URL=postgres://... (this database is {connection.vendor})."
            )
        existing = current_dataset()
        if if_missing and existing and existing.matches(facilities=facilities, months=months, seed=seed):
            self.stdout.write(f"Dataset already in place: {existing} (generated in {existing.seconds} s).")
            return
        reasons = real_data()
        if reasons and not force:
            raise CommandError(
                "This database holds data the generator did not create (" + "; ".join(reasons) + "). "
                "It would be deleted: use an empty database, or --force if you really mean it."
            )
        name = connection.settings_dict["NAME"]
        self.stdout.write(f"Generating {facilities} facilities × {months} months (seed {seed}) into {name}…")
        dataset = generate(facilities=facilities, months=months, seed=seed, cadence=snapshots, log=self.stdout.write)
        counts = dataset.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {dataset.seconds:.1f} s: {counts['areas']} areas, {counts['facilities']} facilities, "
                f"{counts['users']} users, {counts['assessments']} assessments ({counts['answers']} answers), "
                f"{counts['reports']} monthly reports, {counts['snapshots']} past snapshots."
            )
        )
        phases = ", ".join(f"{name} {seconds} s" for name, seconds in counts.get("phases", {}).items())
        self.stdout.write(f"Phases: {phases}")
        statuses = ", ".join(f"{status} {count}" for status, count in counts["statuses"].items())
        self.stdout.write(f"Compliance today: {statuses}")
        self.stdout.write("Accounts: canbo.01 (officer), lanhdao.01 (leadership), nv.<code> (facility staff);")
        self.stdout.write("password bench-2026 for all.")
