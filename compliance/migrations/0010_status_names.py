"""Stored statuses and reasons in the names of the two obligations (SPEC section 6).

completed_on_time -> deployed_on_time, completed_late -> deployed_late; reasons stored as bare
codes become dicts with the nearest new code (the next run stores them with their values).
"Overdue" and "on track" were reasons that only repeated the status: they go.
"""

from django.db import migrations

STATUSES = {"completed_on_time": "deployed_on_time", "completed_late": "deployed_late"}
REASONS = {
    "completed_on_time": {"code": "deployed"},
    "completed_late": {"code": "deployed_after_deadline"},
    "no_data": {"code": "report_missing"},
    "projected_late": {"code": "projection", "kind": "date"},
    "projected_never": {"code": "projection", "kind": "never"},
    "stale": {"code": "months_missing", "months": []},
    "mandatory_unmet": {"code": "mandatory_unmet", "criteria": []},
    "early_stage": {"code": "stage"},
    "overdue": None,
    "on_track": None,
}
BACK = {new: old for old, new in STATUSES.items()}


def _reasons(values):
    out = []
    for value in values or []:
        if isinstance(value, dict):
            out.append(value)
        elif REASONS.get(value, {"code": value}) is not None:
            out.append(REASONS.get(value, {"code": value}))
    return out


def forward(apps, schema_editor):
    for name in ("FacilityCompliance", "ComplianceSnapshot"):
        model = apps.get_model("compliance", name)
        for old, new in STATUSES.items():
            model.objects.filter(status=old).update(status=new)
        changed = []
        for row in model.objects.exclude(reasons=[]).only("pk", "reasons").iterator(chunk_size=2000):
            if any(not isinstance(value, dict) for value in row.reasons):
                row.reasons = _reasons(row.reasons)
                changed.append(row)
            if len(changed) >= 2000:
                model.objects.bulk_update(changed, ["reasons"])
                changed = []
        model.objects.bulk_update(changed, ["reasons"])


def backward(apps, schema_editor):
    for name in ("FacilityCompliance", "ComplianceSnapshot"):
        model = apps.get_model("compliance", name)
        for new, old in BACK.items():
            model.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0009_two_obligations")]

    operations = [migrations.RunPython(forward, backward, elidable=True)]
