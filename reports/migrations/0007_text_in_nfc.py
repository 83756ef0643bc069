"""Report text stored decomposed (NFD) before the import normalised text is put in NFC."""

from django.db import migrations

from core.text import renormalise_nfc

FIELDS = ["stage_explanation", "departments_drop_explanation", "difficulties", "support_requested", "attested_by_name"]


def forwards(apps, schema_editor):
    for model in ("MonthlyReport", "HistoricalMonthlyReport"):
        renormalise_nfc(apps.get_model("reports", model).objects.all(), FIELDS)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_decision_dates_are_milestones")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
