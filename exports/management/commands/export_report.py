import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import override

from compliance.selectors import missing_snapshots
from exports import provincial, selectors
from facilities.models import Facility


class Command(BaseCommand):
    help = "Write the provincial EMR rollout report (every active facility) to an Excel file."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD; today by default. A past date reads that day's snapshots.")
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write")

    def handle(self, *args, as_of, output, **options):
        today = timezone.localdate()
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else today
        except ValueError:
            raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {as_of!r}.") from None
        if day > today:
            raise CommandError("--as-of cannot be in the future.")
        with override("vi"):
            missing = missing_snapshots(day)
            if missing:
                raise CommandError(missing)
            data = selectors.provincial_report(day, Facility.objects.active())
            try:
                count = provincial.write_provincial_report(output, data)
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc}") from None
        self.stdout.write(f"Provincial report as of {day:%d/%m/%Y}: {count} facilities written to {output}.")
