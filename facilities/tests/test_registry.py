import datetime
import re

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
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
            "area": area.code,
            "has_outpatient": "on",
        },
    )
    assert response.status_code == 302
    facility = Facility.objects.get(code="82999")
    assert facility.history.first().history_user.is_officer


def test_a_bad_code_is_refused_next_to_the_field(officer_client, area):
    response = officer_client.post(
        reverse("facilities:create"),
        {"code": "12", "name": "X", "type": facility_type("other").pk, "ownership": "public", "area": area.code},
    )
    assert response.status_code == 200
    assert "đúng 5 chữ số hoặc chữ in hoa" in response.content.decode()
    assert not Facility.objects.filter(code="12").exists()


EXTENSION = {"document_number": "125/QĐ-SYT", "document_date": "20/11/2026"}


def test_officer_grants_an_extension_kept_in_history(officer_client, facility):
    response = officer_client.post(
        reverse("facilities:extension", args=[facility.code]),
        {"deadline": "31/12/2026", "reason": "Đang chờ nhà cung cấp nâng cấp phần mềm"} | EXTENSION,
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.effective_deadline == datetime.date(2026, 12, 31)
    assert (facility.deadline_document_number, facility.deadline_document_date) == (
        "125/QĐ-SYT",
        datetime.date(2026, 11, 20),
    )
    assert facility.history.first().deadline_reason == "Đang chờ nhà cung cấp nâng cấp phần mềm"
    assert facility.history.first().deadline_document_number == "125/QĐ-SYT"
    page = officer_client.get(facility.get_absolute_url()).content.decode()
    assert 'Thời hạn gia hạn: <del class="text-muted">—</del> → <strong>31/12/2026</strong>' in page
    assert "→ <strong>Đang chờ nhà cung cấp nâng cấp phần mềm</strong>" in page
    assert "theo văn bản số 125/QĐ-SYT ngày 20/11/2026" in page
    assert 'data-testid="beyond-legal"' not in page  # 31/12/2026 is a station's legal deadline itself


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"reason": " "}, "Hãy nêu lý do gia hạn."),
        ({"document_number": ""}, "số văn bản"),
        ({"document_date": ""}, "ngày của văn bản"),
        ({"document_date": "01/01/2099"}, "Ngày văn bản không được ở tương lai"),
    ],
)
def test_an_extension_needs_its_document_and_a_reason(officer_client, facility, missing, message):
    data = {"deadline": "31/12/2026", "reason": "Thay phần mềm HIS"} | EXTENSION | missing
    response = officer_client.post(reverse("facilities:extension", args=[facility.code]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    facility.refresh_from_db()
    assert facility.deadline is None


def test_an_extension_beyond_the_legal_deadline_is_allowed_and_marked_wherever_it_shows(officer_client, facility):
    assert facility.legal_deadline == datetime.date(2026, 12, 31)
    response = officer_client.post(
        reverse("facilities:extension", args=[facility.code]),
        {"deadline": "31/03/2027", "reason": "Trạm đang thay phần mềm"} | EXTENSION,
        follow=True,
    )
    assert "vượt thời hạn của Thông tư 13/2025" in response.content.decode()  # the warning after saving
    facility.refresh_from_db()
    assert facility.deadline == datetime.date(2027, 3, 31) and facility.extension_beyond_legal
    page = officer_client.get(facility.get_absolute_url()).content.decode()
    assert 'data-testid="beyond-legal"' in page
    assert re.search(r'id="legal-deadline">31/12/2026<', page)
    registry = officer_client.get(reverse("facilities:list"), {"q": facility.code}).content.decode()
    assert 'data-testid="beyond-legal"' in registry


def test_a_hospitals_legal_deadline_shows_beside_the_provinces(officer_client, settings):
    hospital = FacilityFactory(type=facility_type("general_hospital"))
    page = officer_client.get(hospital.get_absolute_url()).content.decode()
    assert re.search(r'id="legal-deadline">30/09/2025<', page)
    assert "Thời hạn của tỉnh" in page


def test_admin_shows_the_legal_deadline_and_marks_an_extension_beyond_it(admin_client, facility):
    facility.deadline = datetime.date(2027, 3, 31)
    facility.save()
    page = admin_client.get(reverse("admin:facilities_facility_changelist")).content.decode()
    assert "31/12/2026" in page or "31 tháng 12 năm 2026" in page or "Dec. 31, 2026" in page
    assert "icon-yes.svg" in page


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


def test_officer_edits_a_facility_with_history(officer_client, officer, facility):
    data = {
        "code": facility.code,
        "name": "Trạm Y tế xã Tân Hồng (mới)",
        "type": facility.type.pk,
        "ownership": "public",
        "area": facility.area.code,
        "address": "Ấp 2",
        "beds": 12,
        "has_outpatient": "on",
        "bhyt_contract": "on",
        "head_email": "tramyte@example.vn",
    }
    response = officer_client.post(reverse("facilities:edit", args=[facility.code]), data)
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.address, facility.beds) == ("Trạm Y tế xã Tân Hồng (mới)", "Ấp 2", 12)
    assert facility.history.first().history_user == officer


@pytest.mark.parametrize("deadline", ["01/01/2020", "30/09/2026"])
def test_an_extension_must_move_the_deadline_later(officer_client, facility, deadline):
    response = officer_client.post(
        reverse("facilities:extension", args=[facility.code]), {"deadline": deadline, "reason": "Chờ phần mềm"}
    )
    assert response.status_code == 200
    assert "Thời hạn mới phải sau thời hạn hiện tại (30/09/2026)." in response.content.decode()
    facility.refresh_from_db()
    assert facility.deadline is None and not facility.history.filter(deadline__isnull=False).exists()


def test_a_second_extension_must_go_past_the_first(officer_client, facility):
    facility.deadline = datetime.date(2026, 12, 31)
    facility.save()
    url = reverse("facilities:extension", args=[facility.code])
    response = officer_client.post(url, {"deadline": "30/11/2026", "reason": "Chờ phần mềm"})
    assert "Thời hạn mới phải sau thời hạn hiện tại (31/12/2026)." in response.content.decode()
    assert officer_client.post(url, {"deadline": "31/03/2027", "reason": "Chờ phần mềm"} | EXTENSION).status_code == 302


def test_deactivate_then_reactivate_is_kept_in_history(officer_client, officer, facility):
    url = reverse("facilities:set_active", args=[facility.code])
    officer_client.post(url, {"active": "0"})
    officer_client.post(url, {"active": "1"})
    facility.refresh_from_db()
    assert facility.is_active
    rows = facility.history.order_by("-history_date", "-history_id")[:2]
    assert [(r.is_active, r.history_change_reason, r.history_user) for r in rows] == [
        (True, "activated", officer),
        (False, "deactivated", officer),
    ]


def test_officer_changes_a_members_role_with_history(officer_client, officer, facility, staff):
    membership = Membership.objects.get(user=staff, facility=facility)
    page = officer_client.get(reverse("facilities:members", args=[facility.code])).content.decode()
    assert reverse("facilities:member_role", args=[facility.code, membership.pk]) in page
    response = officer_client.post(
        reverse("facilities:member_role", args=[facility.code, membership.pk]), {"role": "head"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == MemberRole.HEAD
    latest = membership.history.first()
    assert (latest.role, latest.history_user) == (MemberRole.HEAD, officer)
    page = officer_client.get(response["Location"]).content.decode()
    assert "Đã lưu vai trò." in page
    assert '<option value="head" selected>' in page


def test_an_unknown_role_changes_nothing(officer_client, facility, staff):
    membership = Membership.objects.get(user=staff, facility=facility)
    url = reverse("facilities:member_role", args=[facility.code, membership.pk])
    response = officer_client.post(url, {"role": "owner"}, follow=True)
    assert "Chọn vai trò: Nhân viên hoặc Người đứng đầu cơ sở." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == MemberRole.STAFF
    assert membership.history.count() == 1


def test_a_member_of_another_facility_cannot_be_changed_through_this_one(officer_client, facility, other_facility):
    from facilities.tests.factories import MembershipFactory

    membership = MembershipFactory(facility=other_facility)
    url = reverse("facilities:member_role", args=[facility.code, membership.pk])
    assert officer_client.post(url, {"role": "head"}).status_code == 404
    membership.refresh_from_db()
    assert membership.role == MemberRole.STAFF


def test_the_members_page_says_add_and_remove_as_the_portal_does(officer_client, facility, staff):
    """django.contrib.admin translates "Add", "Remove" and "Save" too ("Thêm vào", "Gỡ bỏ", "Lưu lại") and,
    listed before our apps, would win: the project catalogue sets the portal's words for every page."""
    page = officer_client.get(reverse("facilities:members", args=[facility.code])).content.decode()
    assert ">Xóa</button>" in page and ">Thêm</button>" in page
    assert "Gỡ bỏ" not in page and "Thêm vào" not in page
    roles = re.findall(r"<option value=\"\w+\"(?: selected)?>(.*?)</option>", page)
    assert "Nhân viên" in roles  # the role, not the report's staffing section (Nhân lực)
    edit = officer_client.get(reverse("facilities:edit", args=[facility.code])).content.decode()
    assert 'type="submit" class="btn btn-primary">Lưu</button>' in edit


def test_admin_membership_inline_adds_and_removes_with_the_admin_in_the_history(
    admin_client, admin_user, facility, staff
):
    newcomer = UserFactory()
    data = {k: "" if v is None else v for k, v in model_to_dict(facility).items() if k != "id"}
    data |= {
        "memberships-TOTAL_FORMS": 2,
        "memberships-INITIAL_FORMS": 1,
        "memberships-0-id": Membership.objects.get(user=staff).pk,
        "memberships-0-facility": facility.pk,
        "memberships-0-user": staff.pk,
        "memberships-0-role": MemberRole.STAFF,
        "memberships-0-DELETE": "on",
        "memberships-1-facility": facility.pk,
        "memberships-1-user": newcomer.pk,
        "memberships-1-role": MemberRole.HEAD,
    }
    response = admin_client.post(reverse("admin:facilities_facility_change", args=[facility.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(facility.memberships.values_list("user", "role")) == [(newcomer.pk, MemberRole.HEAD)]
    assert {(h.history_type, h.user_id, h.history_user) for h in Membership.history.all()} >= {
        ("-", staff.pk, admin_user),
        ("+", newcomer.pk, admin_user),
    }
