"""Reminder schedules as django-celery-beat entries, editable in the admin.

The report reminder runs every morning and sends only on the 1st and on the day before the
due day (the task decides, since the due day is a setting); the digest runs on Mondays.
"""

import zoneinfo

from django.db import migrations

SCHEDULES = [
    # (name, task, minute, hour, day of week, description)
    (
        "Nhắc nộp báo cáo tháng",
        "compliance.tasks.send_report_reminders",
        "0",
        "7",
        "*",
        "Daily at 07:00; e-mails only on the 1st and on the day before the report due day (SPEC section 7).",
    ),
    (
        "Bản tin tuần cho cán bộ Sở Y tế",
        "compliance.tasks.send_weekly_digest",
        "30",
        "7",
        "1",
        "Mondays at 07:30: facilities at risk or overdue and items awaiting review (SPEC section 7).",
    ),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, day_of_week, description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"),
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description}
        )


def remove(apps, schema_editor):
    names = [name for name, *_ in SCHEDULES]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0004_reminder_log")]

    operations = [migrations.RunPython(create, remove)]
