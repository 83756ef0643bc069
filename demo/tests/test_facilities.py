"""seed_demo's registry part: every facility type and the demo accounts; idempotent; never run by accident."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from demo import facilities as demo
from facilities.models import Area, AreaKind, Facility, FacilityType, MemberRole, Membership, Ownership

pytestmark = pytest.mark.django_db


def _state():
    """Everything the registry part writes, with its history, to compare two runs."""
    return {
        "areas": list(Area.objects.order_by("code").values_list("code", "name", "kind")),
        "facilities": list(Facility.objects.order_by("code").values()),
        "facility_history": Facility.history.count(),
        "users": list(User.objects.order_by("username").values_list("username", "role", "password")),
        "memberships": list(Membership.objects.order_by("pk").values_list("user__username", "facility__code", "role")),
        "membership_history": Membership.history.count(),
        "type_deadlines": list(FacilityType.objects.order_by("code").values_list("code", "deadline")),
    }


def test_the_demo_registry_has_every_type_and_the_demo_accounts_and_a_rerun_changes_nothing():
    counts = demo.build()
    assert counts == {"areas": Area.objects.count(), "facilities": Facility.objects.count()}
    assert 90 <= counts["areas"] <= 120 and 130 <= counts["facilities"] <= 170  # "about 100" and "about 150"
    assert set(Area.objects.values_list("kind", flat=True)) == {AreaKind.WARD, AreaKind.COMMUNE}
    assert set(Facility.objects.values_list("type__code", flat=True)) == set(
        FacilityType.objects.values_list("code", flat=True)
    )
    assert Facility.objects.get(code="82221").name == "Trạm Y tế xã Tân Hồng"

    # Areas as they are after NQ 1663/2025: the 20 wards, communes of the resolution, none abolished in 2025.
    names = set(Area.objects.values_list("name", flat=True))
    assert {f"Phường {w}" for w in demo.WARDS} <= names and Area.objects.filter(kind=AreaKind.WARD).count() == 20
    for abolished in ("Xã Thông Bình", "Xã Hồng Ngự", "Xã Cái Tàu Hạ", "Xã Bình Thạnh Trung", "Thị trấn Sa Rài"):
        assert abolished not in names
    # Regional medical centres by their name; private facilities clearly fictional.
    centres = Facility.objects.filter(type__code="regional_centre")
    assert centres.count() == 15 and all(
        n.startswith("Trung tâm Y tế khu vực ") for n in centres.values_list("name", flat=True)
    )
    private = Facility.objects.filter(ownership=Ownership.PRIVATE).values_list("name", flat=True)
    assert private and all(name.endswith("(giả định)") for name in private)
    # Heads in the registry are the head accounts' names.
    for username, full_name, _role, code, member_role in demo.DEMO_USERS:
        if member_role == MemberRole.HEAD:
            assert (
                Facility.objects.get(code=code).head_name
                == full_name
                == User.objects.get(username=username).get_full_name()
            )
    # No extension without its document; one beyond the legal deadline is marked.
    extended = list(Facility.objects.filter(deadline__isnull=False).select_related("type"))
    assert extended and all(
        f.deadline_document_number and f.deadline_document_date and f.deadline_reason for f in extended
    )
    assert all(f.extension_beyond_legal for f in extended if f.deadline > f.type.legal_deadline)

    for username, _full_name, role, facility_code, member_role in demo.DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.check_password(demo.DEMO_PASSWORD)
        if role:
            assert user.role == role
        memberships = list(user.memberships.values_list("facility__code", "role"))
        assert memberships == ([(facility_code, member_role)] if facility_code else [])
    assert User.objects.get(username="admin").is_superuser

    before = _state()
    assert demo.build() == counts
    assert _state() == before


def test_seed_demo_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Facility.objects.exists()
    assert not User.objects.filter(username__in=[u[0] for u in demo.DEMO_USERS]).exists()
