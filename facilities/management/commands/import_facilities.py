from django.core.management.base import BaseCommand, CommandError

from facilities.imports import REJECTED, import_facilities


class Command(BaseCommand):
    help = "Import the facility registry from a spreadsheet: all rows or none, with a row-by-row report."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the .xlsx, .xls, .ods or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="Validate and report, save nothing")

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, "rb") as handle:
                report = import_facilities(handle, commit=not dry_run)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if report.file_error:
            raise CommandError(report.file_error)
        for row in report.rows:
            errors = "; ".join(f"{column}: {message}" for column, message in row.errors)
            detail = errors or "; ".join(f"{column}: {old} → {new}" for column, old, new in row.changes)
            self.stdout.write(f"row {row.row}\t{row.code}\t{row.outcome}\t{detail}".rstrip())
        for note in report.notes:
            self.stdout.write(note)
        counts = ", ".join(f"{outcome} {count}" for outcome, count in report.counts.items())
        if report.count(REJECTED):
            raise CommandError(f"Nothing saved: {counts}.")
        self.stdout.write(self.style.SUCCESS(f"{'Checked' if dry_run else 'Saved'}: {counts}."))
