"""The facility types of SPEC section 2. Their deadlines start empty: the province's applies until set."""

from django.db import migrations

TYPES = [
    ("general_hospital", "Bệnh viện đa khoa tỉnh", "Provincial general hospital", True),
    ("specialty_hospital", "Bệnh viện chuyên khoa", "Specialty hospital", True),
    ("regional_centre", "Trung tâm Y tế khu vực", "Regional medical centre", False),
    ("health_station", "Trạm Y tế xã/phường", "Commune health station", False),
    ("private_hospital", "Bệnh viện tư nhân", "Private hospital", True),
    ("private_clinic", "Phòng khám tư nhân / đa khoa", "Private clinic / polyclinic", False),
    ("other", "Khác", "Other", False),
]


def create_types(apps, schema_editor):
    FacilityType = apps.get_model("facilities", "FacilityType")
    for order, (code, name, name_en, is_hospital) in enumerate(TYPES, start=1):
        FacilityType.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_hospital": is_hospital, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]

    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
