import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import override

from compliance.selectors import missing_snapshots
from dashboard import rollups
from exports import drafting, official, provincial, selectors
from exports.models import IssuedReport
from exports.streaming import streamed_reads
from facilities.models import Facility


class Command(BaseCommand):
    help = (
        "Write the provincial EMR rollout report for every active facility: the Excel annex (-o FILE.xlsx) "
        "or the report to the People's Committee as a Word document (-o FILE.docx, a draft unless --number; it "
        "compares with the last report issued for the whole province and lists the difficulties proposed since)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD; today by default. A past date reads that day's snapshots.")
        parser.add_argument("-o", "--output", required=True, help="The .xlsx (annex) or .docx (report) file to write")
        parser.add_argument("--number", type=int, help="The document's number (Số: NN/BC-SYT); a draft without it")
        parser.add_argument("--date", help="The document's date (YYYY-MM-DD) with --number; today by default")

    def handle(self, *args, as_of, output, number, date, **options):
        today = timezone.localdate()
        day = self._date(as_of, "--as-of") or today
        if day > today:
            raise CommandError("--as-of cannot be in the future.")
        suffix = Path(output).suffix.lower()
        if suffix not in (".xlsx", ".docx"):
            raise CommandError("-o must name a .xlsx (the annex) or a .docx (the report) file.")
        if number is not None and suffix != ".docx":
            raise CommandError("--number applies to the Word report (.docx) only.")
        if number is not None and number < 1:
            raise CommandError("--number must be a positive number.")
        facilities = Facility.objects.active()
        with override("vi"):
            missing = missing_snapshots(day)
            if missing:
                raise CommandError(missing)
            try:
                if suffix == ".docx":
                    last = IssuedReport.objects.latest_for_scope("")
                    previous = last and drafting.Previous(last.reference, last.issued_on, last.deployed)
                    proposals = drafting.proposals_since(facilities, last and last.issued_at)
                    report = drafting.draft_report(day, facilities, previous=previous, proposals=proposals)
                    if number is not None:
                        report.number = official.format_number(number)
                        report.issued_on = self._date(date, "--date") or today
                    official.write_official_report(output, report)
                    what = f"report {report.number_line}" if number is not None else "draft report"
                    self.stdout.write(f"Provincial {what} as of {day:%d/%m/%Y} written to {output}.")
                    return
                data = selectors.provincial_report(day, facilities, cells=rollups.PROVINCE)
                with streamed_reads(writes=False):
                    count = provincial.write_provincial_report(output, data)
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc}") from None
        self.stdout.write(f"Provincial report as of {day:%d/%m/%Y}: {count} facilities written to {output}.")

    @staticmethod
    def _date(value, option) -> datetime.date | None:
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from None
