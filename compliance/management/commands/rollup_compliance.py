from django.core.management.base import BaseCommand, CommandError

from compliance import rollups
from compliance.asof import today
from compliance.models import ComplianceRollup

from .compute_compliance import as_of_date


class Command(BaseCommand):
    help = (
        "Build the dashboard's rollup rows of today from the current statuses (after the upgrade that adds them), "
        "or of past days from their snapshots (--as-of, repeatable)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=as_of_date, action="append", default=[], help="YYYY-MM-DD, a past day")

    def handle(self, *args, as_of, **options):
        days = sorted(as_of) or [today()]
        if days[-1] > today():
            raise CommandError("--as-of cannot be in the future.")
        for day in days:
            rollups.refresh(day)
            self.stdout.write(f"{day:%d/%m/%Y}: {ComplianceRollup.objects.filter(day=day).count()} rollup rows")
