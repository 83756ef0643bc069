from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts.models import Role
from demo import assessments as assessments_demo
from demo import compliance as compliance_demo
from demo import escalations as escalations_demo
from demo import facilities as facilities_demo
from demo import milestones as milestones_demo
from demo import reports as reports_demo


class Command(BaseCommand):
    help = "Load the demo province (fictional facilities, people and numbers). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow running with DEBUG off (never in production)")
        parser.add_argument(
            "--serve",
            metavar="HOST:PORT",
            help="The address the server will listen on (`make run HOST=...`), printed as the one to open",
        )

    def handle(self, *args, force, serve=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo only runs with DEBUG=1, or with --force on a database you may overwrite.")
        counts = facilities_demo.build()
        self.stdout.write(f"Demo province: {counts['areas']} areas, {counts['facilities']} facilities.")
        assessments_demo.build(stdout=self.stdout)
        reports_demo.build(stdout=self.stdout)
        milestones_demo.build(stdout=self.stdout)  # after the reports and assessments it follows
        compliance_demo.build(stdout=self.stdout)  # last: it reads the demo reports, assessments and milestones
        escalations_demo.build(stdout=self.stdout)  # the approved reports' difficulties, the partner agencies
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {facilities_demo.DEMO_PASSWORD}):")
        with translation.override("en"):  # the console speaks English throughout
            for username, full_name, role, facility, member_role in facilities_demo.DEMO_USERS:
                what = f"{member_role.label} of {facility}" if facility else (role.label if role else "administrator")
                self.stdout.write(f"  {username:<20} {full_name:<24} {what}")
            for username, full_name, agency in escalations_demo.AGENCY_USERS:
                self.stdout.write(f"  {username:<20} {full_name:<24} {Role.AGENCY.label} ({agency})")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open {open_url(serve)} and log in with one of the accounts above."))


def open_url(serve: str | None) -> str:
    """The address to open: the one `runserver` will listen on, else SITE_URL.

    A server listening on every interface (0.0.0.0, ::) is opened from this machine as 127.0.0.1.
    """
    if not serve:
        return f"{settings.SITE_URL}/"
    host, _, port = serve.rpartition(":") if ":" in serve else ("127.0.0.1", "", serve)
    if host in ("", "0.0.0.0", "[::]", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/" if port else f"http://{host}/"
