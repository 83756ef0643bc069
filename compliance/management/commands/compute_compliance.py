import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.engine import compute_compliance
from compliance.models import ComplianceStatus, PaperlessStatus


def as_of_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Compute every active facility's compliance as of a date (default today) and print a count per status."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=as_of_date, help="YYYY-MM-DD; a past date only writes that day's snapshot")

    def handle(self, *args, as_of, **options):
        today = timezone.localdate()
        as_of = as_of or today
        if as_of > today:
            raise CommandError("--as-of cannot be in the future: a snapshot records what was known on its day.")
        started = time.monotonic()
        counts = compute_compliance(as_of)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Compliance as of {as_of:%d/%m/%Y}: {sum(counts[s] for s in ComplianceStatus.values)} active facilities"
            f" in {seconds:.1f} s"
        )
        self.stdout.write("EMR deployed:")
        for status in ComplianceStatus:
            self.stdout.write(f"  {status.value:<18} {counts[status.value]:>6}")
        self.stdout.write("Paper replaced:")
        for status in PaperlessStatus:
            self.stdout.write(f"  {status.value:<18} {counts[status.value]:>6}")
        if as_of != today:
            self.stdout.write(
                "Past date: only the snapshots of that day were written; current compliance is unchanged."
            )
