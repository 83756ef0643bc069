"""Names and contacts stored decomposed (NFD) before the import normalised text are put in NFC."""

from django.db import migrations

from core.text import renormalise_nfc

FACILITY_FIELDS = ["name", "address", "head_name", "head_phone", "head_email"]


def forwards(apps, schema_editor):
    renormalise_nfc(apps.get_model("facilities", "Area").objects.all(), ["name"])
    for model in ("Facility", "HistoricalFacility"):
        renormalise_nfc(apps.get_model("facilities", model).objects.all(), FACILITY_FIELDS)


class Migration(migrations.Migration):
    dependencies = [("facilities", "0007_deadline_reason_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
