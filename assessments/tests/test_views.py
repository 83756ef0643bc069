"""Assessment pages: who may do what, the form, the live preview, and the page in both languages."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Assessment, Status
from facilities.tests.factories import FacilityFactory, MembershipFactory, facility_type

from .factories import AssessmentFactory, EvidenceFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


def form_data(assessment=None, **values) -> dict:
    """A full form post: general fields, then `value_<code>` / `note_<code>` overrides."""
    data = {
        "version": assessment.version if assessment else "",
        "his_vendor": "VNPT-HIS",
        "his_version": "5.2",
        "emr_vendor": "VNPT-EMR",
        "it_staff_count": "2",
        "clinical_departments": "4",
        "budget_needed": "1.250.000.000",
        "budget_secured": "300.000.000",
    }
    data.update(values)
    return data


# -- create / continue ------------------------------------------------------------------------


def test_staff_start_an_assessment_on_the_current_catalogue(staff_client, facility, v2):
    response = staff_client.get(reverse("assessments:create", args=[facility.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đánh giá mức độ sẵn sàng" in body
    assert "Pháp lý – tổ chức" in body and "A3" in body
    assert 'id="crit-A7"' not in body  # the head's decision is a milestone in version 2
    response = staff_client.post(reverse("assessments:create", args=[facility.code]), form_data(value_A5="yes"))
    assessment = Assessment.objects.get(facility=facility)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:edit", args=[assessment.pk])
    assert assessment.catalogue == v2
    assert assessment.status == Status.DRAFT
    assert assessment.budget_needed == 1_250_000_000
    assert assessment.answers.get(criterion__code="A5").value_bool is True
    assert assessment.score > 0


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED, Status.SUBMITTED])
def test_create_goes_to_the_assessment_in_progress(staff_client, assessment, status):
    assessment.status = status
    assessment.save()
    response = staff_client.get(reverse("assessments:create", args=[assessment.facility.code]))
    target = "assessments:detail" if status == Status.SUBMITTED else "assessments:edit"
    assert response["Location"] == reverse(target, args=[assessment.pk])
    staff_client.post(reverse("assessments:create", args=[assessment.facility.code]), form_data())
    assert Assessment.objects.count() == 1


def test_a_new_assessment_after_the_approved_one(staff_client, assessment):
    assessment.status = Status.APPROVED
    assessment.save()
    staff_client.post(reverse("assessments:create", args=[assessment.facility.code]), form_data())
    assert assessment.facility.assessments.count() == 2


def test_save_draft_and_come_back(staff_client, assessment):
    url = reverse("assessments:edit", args=[assessment.pk])
    response = staff_client.post(
        url, form_data(assessment, value_A7="15/03/2026", note_A7="QĐ 45/QĐ-TYT", value_D1="87,5")
    )
    assert response.status_code == 302
    body = staff_client.get(url).content.decode()
    assert 'value="15/03/2026"' in body
    assert 'value="QĐ 45/QĐ-TYT"' in body
    assert 'value="87,5"' in body
    assert 'value="1.250.000.000"' in body
    answer = assessment.answers.get(criterion__code="D1")
    assert answer.value_number == Decimal("87.5") and answer.met is False


def test_save_and_continue_goes_to_submission(staff_client, assessment):
    response = staff_client.post(
        reverse("assessments:edit", args=[assessment.pk]), form_data(assessment, **{"continue": ""})
    )
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk]) + "#submit"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("value_D1", "120", "Tỷ lệ phần trăm nằm trong khoảng từ 0 đến 100."),
        ("value_H2", "-1", "Số không được âm."),
        ("value_A7", "31/02/2026", "Không có ngày này: kiểm tra lại ngày và tháng"),
        ("value_A7", "2026/02/15", "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/02/2026."),
        ("value_A7", "01/12/2026", "Ngày không được ở tương lai."),
        ("budget_needed", "1.234,5", "Nhập số tiền nguyên theo đồng, ví dụ 1.234.567."),
    ],
)
@time_machine.travel(NOW)
def test_invalid_answers_are_refused_with_a_message_next_to_the_field(staff_client, assessment, field, value, message):
    response = staff_client.post(
        reverse("assessments:edit", args=[assessment.pk]), form_data(assessment, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.version == 0 and assessment.his_vendor == ""


@pytest.mark.parametrize("typed", ["1.234.567", "1 234 567", "1234567", "1.234.567 ₫"])
def test_budget_accepts_vietnamese_separators(staff_client, assessment, typed):
    staff_client.post(reverse("assessments:edit", args=[assessment.pk]), form_data(assessment, budget_needed=typed))
    assessment.refresh_from_db()
    assert assessment.budget_needed == 1_234_567


def test_budget_is_shown_with_the_vnd_filter(staff_client, assessment):
    assessment.budget_needed = 1_234_567
    assessment.save()
    body = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "1.234.567 ₫" in body


def test_non_applicable_criteria_are_greyed_with_the_reason(staff_client, assessment):
    body = staff_client.get(reverse("assessments:edit", args=[assessment.pk])).content.decode()
    assert "Không áp dụng: Chỉ áp dụng cho bệnh viện." in body  # H1 for a commune station
    assert "Không áp dụng: Chỉ áp dụng cho cơ sở có khám sức khỏe." in body  # G5


# -- live preview ---------------------------------------------------------------------------


def test_preview_scores_the_form_without_saving(staff_client, assessment):
    url = reverse("assessments:preview", args=[assessment.pk])
    response = staff_client.post(url, form_data(assessment, value_A5="yes", value_D1="100"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="status-A5" hx-swap-oob="true"' in body
    assert "✓ đạt" in body
    assert "tiêu chí bắt buộc chưa đạt" in body
    assessment.refresh_from_db()
    assert assessment.version == 0
    assert not assessment.answers.exists()


def test_preview_shows_criteria_that_rented_software_brings(staff_client, assessment):
    url = reverse("assessments:preview", args=[assessment.pk])
    without = staff_client.post(url, form_data(assessment)).content.decode()
    with_rented = staff_client.post(url, form_data(assessment, uses_rented_software="on")).content.decode()
    assert "A10" not in without.split('id="status-A10"')[0]  # not in the gaps
    assert "<strong>A10</strong>" in with_rented


def test_preview_for_a_new_assessment(staff_client, facility, v1):
    response = staff_client.post(reverse("assessments:preview_new", args=[facility.code]), form_data(value_A5="yes"))
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_every_mandatory_met_in_the_preview(staff_client, assessment):
    from assessments.scoring import applies, catalogue_criteria

    values = {}
    for c in catalogue_criteria(assessment.catalogue_id):
        if c.answer_type == "yes_no":
            values[f"value_{c.code}"] = "yes"
        elif c.answer_type == "date":
            values[f"value_{c.code}"] = "01/03/2026"
        else:
            values[f"value_{c.code}"] = "100"
        assert applies is not None
    body = staff_client.post(reverse("assessments:preview", args=[assessment.pk]), form_data(assessment, **values))
    text = body.content.decode()
    assert "Đã đạt tất cả tiêu chí bắt buộc." in text
    assert 'data-testid="score">100<' in text


# -- the lost update --------------------------------------------------------------------------


def test_second_save_of_the_same_draft_is_refused(client, django_user_model, staff, assessment):
    from django.test import Client

    from accounts.tests.factories import UserFactory

    colleague = UserFactory()
    MembershipFactory(user=colleague, facility=assessment.facility)
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(colleague)
    url = reverse("assessments:edit", args=[assessment.pk])
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200  # both opened version 0

    assert first.post(url, form_data(assessment, his_vendor="Viettel-HIS", value_A5="yes")).status_code == 302
    response = second.post(url, form_data(assessment, his_vendor="FPT.eHospital", value_A5="no"))

    assert response.status_code == 409
    assert "Người khác đã lưu biểu mẫu này sau khi bạn mở" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.his_vendor == "Viettel-HIS"
    assert assessment.version == 1
    assert assessment.answers.get(criterion__code="A5").value_bool is True


# -- permissions on every URL -----------------------------------------------------------------

READ_URLS = ["assessments:detail"]
WRITE_URLS = ["assessments:edit", "assessments:evidence_upload"]
POST_URLS = ["assessments:preview", "assessments:submit", "assessments:approve", "assessments:return"]


@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
def test_other_facility_staff_get_404(staff_client, other_assessment, name):
    response = staff_client.get(reverse(name, args=[other_assessment.pk]))
    assert response.status_code == 404
    assert other_assessment.facility.name not in response.content.decode()


@pytest.mark.parametrize("name", POST_URLS)
def test_other_facility_staff_cannot_post(staff_client, other_assessment, name):
    other_assessment.status = Status.SUBMITTED
    other_assessment.save()
    response = staff_client.post(
        reverse(name, args=[other_assessment.pk]), {"comment": "x", "head_name": "A", "head_confirms": "on"}
    )
    assert response.status_code == 404
    other_assessment.refresh_from_db()
    assert other_assessment.status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["assessments:create", "assessments:facility"])
def test_other_facility_pages_by_code_get_404(staff_client, other_facility, name):
    assert staff_client.get(reverse(name, args=[other_facility.code])).status_code == 404


def test_other_facility_preview_new_gets_404(staff_client, other_facility, v1):
    assert staff_client.post(reverse("assessments:preview_new", args=[other_facility.code])).status_code == 404


@pytest.mark.parametrize("name", ["assessments:approve", "assessments:return"])
def test_staff_cannot_review_their_own_facility(staff_client, assessment, name):
    assessment.status = Status.SUBMITTED
    assessment.save()
    response = staff_client.post(reverse(name, args=[assessment.pk]), {"comment": "Thiếu minh chứng"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["assessments:approve", "assessments:return"])
def test_leadership_is_read_only(leadership_client, assessment, name):
    assessment.status = Status.SUBMITTED
    assessment.save()
    assert leadership_client.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 200
    assert leadership_client.post(reverse(name, args=[assessment.pk]), {"comment": "x"}).status_code == 403
    assert leadership_client.get(reverse("assessments:edit", args=[assessment.pk])).status_code == 403


@pytest.mark.parametrize("name", WRITE_URLS)
def test_officers_cannot_edit_a_facility_assessment(officer_client, assessment, name):
    assert officer_client.get(reverse(name, args=[assessment.pk])).status_code == 403


@pytest.mark.parametrize("name", ["assessments:create", "assessments:facility"])
def test_officers_reach_any_facility_but_do_not_start_assessments(officer_client, facility, v1, name):
    expected = 403 if name == "assessments:create" else 200
    assert officer_client.get(reverse(name, args=[facility.code])).status_code == expected


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("assessments:catalogue"),
        lambda a: reverse("assessments:create", args=[a.facility.code]),
        lambda a: reverse("assessments:facility", args=[a.facility.code]),
        lambda a: reverse("assessments:detail", args=[a.pk]),
        lambda a: reverse("assessments:edit", args=[a.pk]),
        lambda a: reverse("assessments:evidence_upload", args=[a.pk]),
    ],
)
def test_anonymous_users_are_sent_to_login(client, assessment, url):
    response = client.get(url(assessment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", POST_URLS)
def test_anonymous_posts_are_sent_to_login(client, assessment, name):
    response = client.post(reverse(name, args=[assessment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_of_several_facilities_edit_each(client, staff, assessment, other_assessment):
    MembershipFactory(user=staff, facility=other_assessment.facility)
    client.force_login(staff)
    assert client.get(reverse("assessments:edit", args=[other_assessment.pk])).status_code == 200


# -- lists and pages ---------------------------------------------------------------------------


def test_facility_list_shows_its_assessments_with_state_and_score(staff_client, assessment, other_assessment):
    assessment.status, assessment.score = Status.APPROVED, Decimal("87.50")
    assessment.save()
    body = staff_client.get(reverse("assessments:facility", args=[assessment.facility.code])).content.decode()
    assert "Đã duyệt" in body and "87,5" in body
    assert reverse("assessments:detail", args=[assessment.pk]) in body
    assert reverse("assessments:detail", args=[other_assessment.pk]) not in body


def test_assessment_page_links_to_the_facility_list(staff_client, assessment):
    body = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert reverse("assessments:facility", args=[assessment.facility.code]) in body


def test_page_in_vietnamese_by_default(staff_client, assessment):
    body = staff_client.get(reverse("assessments:edit", args=[assessment.pk])).content.decode()
    assert "Pháp lý – tổ chức" in body
    assert "Đã ban hành danh mục các từ viết tắt được phép sử dụng" in body
    assert "Lưu nháp" in body


def test_page_in_english_with_the_language_cookie(staff_client, assessment):
    staff_client.cookies["django_language"] = "en"
    for name in ("assessments:edit", "assessments:detail"):
        body = staff_client.get(reverse(name, args=[assessment.pk])).content.decode()
        assert "Governance and legal" in body
        assert "List of permitted abbreviations issued" in body
        assert "Readiness assessment" in body
        assert "Pháp lý – tổ chức" not in body


def test_catalogue_page_lists_groups_and_mandatory_badges(staff_client, v1):
    body = staff_client.get(reverse("assessments:catalogue")).content.decode()
    assert "Bộ tiêu chí" in body
    for name in ("Pháp lý – tổ chức", "Hạ tầng công nghệ thông tin", "Lưu trữ dữ liệu"):
        assert name in body
    assert "Bắt buộc nếu áp dụng" in body and "Khuyến nghị" in body
    assert body.count('id="crit-') == 59  # version 2: A7 and A8 are milestones


def test_catalogue_page_in_english(staff_client, v1):
    staff_client.cookies["django_language"] = "en"
    body = staff_client.get(reverse("assessments:catalogue")).content.decode()
    assert "Data retention" in body and "Mandatory where it applies" in body
    assert "Retention periods configured" in body


def test_officers_see_the_catalogue_in_the_nav(officer_client, v1):
    url = reverse("assessments:catalogue")
    assert f'href="{url}"' in officer_client.get(reverse("facilities:list")).content.decode()


def test_facility_staff_do_not_see_the_catalogue_in_the_nav(staff_client, v1):
    url = reverse("assessments:catalogue")
    assert f'href="{url}"' not in staff_client.get(reverse("facilities:list")).content.decode()


def test_hospital_answers_the_hospital_criteria(client, v1):
    hospital = FacilityFactory(type=facility_type("general_hospital"))
    member = MembershipFactory(facility=hospital).user
    client.force_login(member)
    body = client.get(reverse("assessments:create", args=[hospital.code])).content.decode()
    assert "Không áp dụng: Chỉ áp dụng cho bệnh viện." not in body


# -- query counts ------------------------------------------------------------------------------


def _edit_many_times(assessment, user, times):
    from assessments import services
    from assessments.scoring import catalogue_criteria

    criteria = {c.code: c for c in catalogue_criteria(assessment.catalogue_id)}
    for i in range(times):
        services.assessment_save_draft(
            assessment=assessment,
            answers={
                criteria["D1"].id: {"value_number": Decimal(50 + i)},
                criteria["A5"].id: {"value_bool": i % 2 == 0},
            },
            by=user,
            expected_version=assessment.version,
        )
        assessment.his_version = f"5.{i}"


# The edit page's list of criteria to upload evidence against costs one query.
@pytest.mark.parametrize(("name", "queries"), [("assessments:detail", 14), ("assessments:edit", 12)])
def test_assessment_page_query_count_does_not_grow_with_history(
    staff_client, staff, assessment, name, queries, django_assert_max_num_queries
):
    EvidenceFactory(assessment=assessment, criterion=assessment.catalogue.groups.first().criteria.first())
    _edit_many_times(assessment, staff, 3)
    with django_assert_max_num_queries(queries):
        assert staff_client.get(reverse(name, args=[assessment.pk])).status_code == 200
    _edit_many_times(assessment, staff, 12)
    EvidenceFactory(assessment=assessment)
    with django_assert_max_num_queries(queries):
        assert staff_client.get(reverse(name, args=[assessment.pk])).status_code == 200


def test_facility_list_query_count(staff_client, facility, django_assert_max_num_queries, v1):
    for status in (Status.APPROVED, Status.APPROVED, Status.DRAFT):
        AssessmentFactory(facility=facility, status=status)
    with django_assert_max_num_queries(9):
        assert staff_client.get(reverse("assessments:facility", args=[facility.code])).status_code == 200
