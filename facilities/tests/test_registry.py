import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from facilities.models import Facility, MemberRole, Membership
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type


@pytest.fixture
def area(db):
    return AreaFactory(code="28221", name="Xã Tân Hồng")


def test_search_ignores_diacritics_and_case(officer_client, area):
    FacilityFactory(name="Trạm Y tế xã Tân Hồng", area=area)
    FacilityFactory(name="Trạm Y tế xã Tân Thành")
    body = officer_client.get(reverse("facilities:list"), {"q": "tan hong"}).content.decode()
    assert "Tân Hồng" in body
    assert "Tân Thành" not in body


def test_search_finds_the_letter_d_with_stroke(db):
    FacilityFactory(name="Bệnh viện Đa khoa Đồng Tháp")
    assert Facility.objects.search("dong thap").count() == 1
    assert Facility.objects.search("ĐỒNG").count() == 1


def test_filters_by_type_area_and_ownership(officer_client, area):
    FacilityFactory(name="Bệnh viện A", type=facility_type("general_hospital"), area=area)
    FacilityFactory(name="Trạm B", area=area)
    FacilityFactory(name="Phòng khám C", type=facility_type("private_clinic"), ownership="private")
    url = reverse("facilities:list")
    assert "Bệnh viện A" in officer_client.get(url, {"type": "general_hospital"}).content.decode()
    body = officer_client.get(url, {"area": "28221", "type": "health_station"}).content.decode()
    assert "Trạm B" in body and "Bệnh viện A" not in body
    body = officer_client.get(url, {"ownership": "private"}).content.decode()
    assert "Phòng khám C" in body and "Trạm B" not in body


def test_list_query_count_does_not_grow_with_facilities(officer_client, django_assert_max_num_queries):
    FacilityFactory.create_batch(30)
    with django_assert_max_num_queries(10):
        assert officer_client.get(reverse("facilities:list")).status_code == 200


def test_officer_creates_a_facility(officer_client, area):
    response = officer_client.post(
        reverse("facilities:create"),
        {
            "code": "82999",
            "name": "Phòng khám Đa khoa Mới",
            "type": facility_type("private_clinic").pk,
            "ownership": "private",
            "area": area.pk,
            "has_outpatient": "on",
        },
    )
    assert response.status_code == 302
    facility = Facility.objects.get(code="82999")
    assert facility.history.first().history_user.is_officer


def test_a_bad_code_is_refused_next_to_the_field(officer_client, area):
    response = officer_client.post(
        reverse("facilities:create"),
        {"code": "12", "name": "X", "type": facility_type("other").pk, "ownership": "public", "area": area.pk},
    )
    assert response.status_code == 200
    assert "đúng 5 chữ số hoặc chữ in hoa" in response.content.decode()
    assert not Facility.objects.filter(code="12").exists()


def test_officer_grants_an_extension_kept_in_history(officer_client, facility):
    response = officer_client.post(
        reverse("facilities:extension", args=[facility.code]),
        {"deadline": "31/12/2026", "reason": "Đang chờ nhà cung cấp nâng cấp phần mềm"},
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.effective_deadline == datetime.date(2026, 12, 31)
    assert facility.history.first().deadline_reason == "Đang chờ nhà cung cấp nâng cấp phần mềm"
    page = officer_client.get(facility.get_absolute_url()).content.decode()
    assert 'Thời hạn gia hạn: <del class="text-muted">—</del> → <strong>31/12/2026</strong>' in page
    assert "→ <strong>Đang chờ nhà cung cấp nâng cấp phần mềm</strong>" in page


def test_an_extension_needs_a_reason(officer_client, facility):
    response = officer_client.post(
        reverse("facilities:extension", args=[facility.code]), {"deadline": "31/12/2026", "reason": " "}
    )
    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.deadline is None


def test_deadline_falls_back_to_type_then_province(db, settings):
    facility = FacilityFactory(type=facility_type("general_hospital"))
    assert Facility.objects.with_deadline().get(pk=facility.pk).effective_deadline == settings.EMR_DEADLINE
    facility.type.deadline = datetime.date(2025, 9, 30)
    facility.type.save()
    assert Facility.objects.with_deadline().get(pk=facility.pk).effective_deadline == datetime.date(2025, 9, 30)
    facility.deadline = datetime.date(2026, 12, 31)
    facility.save()
    facility = Facility.objects.with_deadline().select_related("type").get(pk=facility.pk)
    assert facility.effective_deadline == datetime.date(2026, 12, 31)


def test_officer_deactivates_a_facility(officer_client, facility):
    officer_client.post(reverse("facilities:set_active", args=[facility.code]), {"active": "0"})
    facility.refresh_from_db()
    assert not facility.is_active


def test_officer_adds_a_new_user_as_head(officer_client, facility):
    response = officer_client.post(
        reverse("facilities:members", args=[facility.code]),
        {"username": "tyt.moi", "role": "head", "full_name": "Trần Văn Mới", "password": "Mat-khau-manh-2026"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="tyt.moi", facility=facility)
    assert membership.role == MemberRole.HEAD
    assert User.objects.get(username="tyt.moi").check_password("Mat-khau-manh-2026")


def test_officer_adds_an_existing_user_and_removes_them(officer_client, facility, other_facility, staff):
    officer_client.post(
        reverse("facilities:members", args=[other_facility.code]), {"username": staff.username, "role": "staff"}
    )
    membership = Membership.objects.get(user=staff, facility=other_facility)
    officer_client.post(reverse("facilities:member_remove", args=[other_facility.code, membership.pk]))
    assert not Membership.objects.filter(user=staff, facility=other_facility).exists()


def test_a_new_user_needs_a_password(officer_client, facility):
    response = officer_client.post(
        reverse("facilities:members", args=[facility.code]), {"username": "khong.mat.khau", "role": "staff"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="khong.mat.khau").exists()
