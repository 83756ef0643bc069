"""The approved reports already marked "needs escalation" enter the register, awaiting triage."""

from django.db import migrations
from django.utils import timezone


def open_items(apps, schema_editor):
    MonthlyReport = apps.get_model("reports", "MonthlyReport")
    EscalationItem = apps.get_model("escalations", "EscalationItem")
    reports = MonthlyReport.objects.filter(needs_escalation=True, status="approved", escalation__isnull=True)
    EscalationItem.objects.bulk_create(
        EscalationItem(
            facility_id=report.facility_id,
            report_id=report.pk,
            raised_by_id=report.submitted_by_id,
            raised_on=timezone.localdate(report.submitted_at or report.updated_at),
            difficulty=report.difficulties or report.support_requested or "—",
            support_requested=report.support_requested,
            state="open",
        )
        for report in reports.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("escalations", "0001_initial"),
        ("reports", "0004_first_submitted_at"),
    ]

    operations = [migrations.RunPython(open_items, migrations.RunPython.noop)]
