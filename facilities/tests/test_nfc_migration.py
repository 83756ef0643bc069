"""Names stored decomposed (NFD) before the import normalised text are rewritten in NFC by a data migration."""

import unicodedata
from importlib import import_module

from django.apps import apps

from facilities.models import Area, Facility
from facilities.tests.factories import AreaFactory, FacilityFactory

migration = import_module("facilities.migrations.0008_names_in_nfc")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_facility_and_area_names_in_nfd_are_rewritten_in_nfc_and_then_match(db):
    area = AreaFactory(code="28121", name=nfd("Xã Tân Hồng"))
    facility = FacilityFactory(
        code="82123", area=area, name=nfd("Trạm Y tế xã Tân Hồng"), head_name=nfd("Nguyễn Thị Hương"), address=""
    )
    untouched = FacilityFactory(code="82124", area=area, name="Trạm Y tế xã Tân Hộ Cơ")
    updated_at = Facility.objects.get(pk=untouched.pk).updated_at
    assert not Facility.objects.filter(name="Trạm Y tế xã Tân Hồng").exists()  # NFD never equals NFC

    migration.forwards(apps, None)

    assert Area.objects.get(pk=area.pk).name == "Xã Tân Hồng"
    facility = Facility.objects.get(name="Trạm Y tế xã Tân Hồng")
    assert facility.head_name == "Nguyễn Thị Hương" and facility.address == ""
    assert unicodedata.is_normalized("NFC", facility.history.earliest().name)
    assert Facility.objects.get(pk=untouched.pk).updated_at == updated_at  # rows already in NFC are not written
