"""A report's stage stops at "hospital-wide in parallel with paper": the legal steps after it are milestones.

Runs after 0003 made each facility's milestones from its reports, so nothing is lost: reports at a later
stage go back to hospital-wide, and pages show the furthest of the report's stage and the counted
milestones (SPEC sections 4 and 4a).
"""

from django.db import migrations

HOSPITAL_WIDE = 3


def forwards(apps, schema_editor):
    MonthlyReport = apps.get_model("reports", "MonthlyReport")
    MonthlyReport.objects.filter(stage__gt=HOSPITAL_WIDE).update(stage=HOSPITAL_WIDE)


class Migration(migrations.Migration):
    dependencies = [("milestones", "0004_review_comment_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
