"""The decision, announcement and paper-stop dates are milestones now (milestones 0003 moved them there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_first_submitted_at"),
        ("milestones", "0004_report_stages_up_to_hospital_wide"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalmonthlyreport",
            name="announced_date",
        ),
        migrations.RemoveField(
            model_name="historicalmonthlyreport",
            name="decision_date",
        ),
        migrations.RemoveField(
            model_name="historicalmonthlyreport",
            name="decision_number",
        ),
        migrations.RemoveField(
            model_name="historicalmonthlyreport",
            name="paper_stopped_date",
        ),
        migrations.RemoveField(
            model_name="monthlyreport",
            name="announced_date",
        ),
        migrations.RemoveField(
            model_name="monthlyreport",
            name="decision_date",
        ),
        migrations.RemoveField(
            model_name="monthlyreport",
            name="decision_number",
        ),
        migrations.RemoveField(
            model_name="monthlyreport",
            name="paper_stopped_date",
        ),
    ]
