"""Difficulties copied from reports before the import normalised text are put in NFC, as the reports are."""

from django.db import migrations

from core.text import renormalise_nfc


def forwards(apps, schema_editor):
    for model in ("EscalationItem", "HistoricalEscalationItem"):
        renormalise_nfc(apps.get_model("escalations", model).objects.all(), ["difficulty", "support_requested"])


class Migration(migrations.Migration):
    dependencies = [("escalations", "0002_existing_escalated_reports")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
