"""The nightly recompute as a django-celery-beat entry, so officers see and change it in the admin."""

import zoneinfo

from django.db import migrations

NIGHTLY = "Tính tình trạng tuân thủ hằng đêm"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    at_one, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="1",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"),
    )
    PeriodicTask.objects.get_or_create(
        name=NIGHTLY,
        defaults={
            "task": "compliance.tasks.recompute_all",
            "crontab": at_one,
            "description": "Every active facility's compliance as of today, and today's snapshots (SPEC section 6).",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NIGHTLY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0002_result_labels"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
