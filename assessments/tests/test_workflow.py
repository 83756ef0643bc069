"""Draft -> submitted -> approved, or submitted -> returned -> edited -> submitted (SPEC section 5)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import services
from assessments.models import Status
from core.workflow import StaleEdit, WorkflowError

from .test_views import form_data

pytestmark = pytest.mark.django_db
ATTEST = {"head_name": "Đặng Hữu Phúc", "head_confirms": "on"}


def _submit(client, assessment, **data):
    return client.post(reverse("assessments:submit", args=[assessment.pk]), {"version": assessment.version} | data)


def _as_submitted(assessment, by):
    return services.assessment_submit(
        assessment=assessment, by=by, attested_by_name="Đặng Hữu Phúc", head_confirms=True
    )


def test_staff_submit_with_the_head_attestation(staff_client, assessment):
    response = _submit(staff_client, assessment, **ATTEST)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    assert assessment.attested_by_name == "Đặng Hữu Phúc"
    assert assessment.submitted_by.username.startswith("user")
    body = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Đã gửi" in body and "đang chờ Sở Y tế xem xét" in body


def test_the_attestation_name_is_prefilled_from_the_facility_head(staff_client, assessment):
    body = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert 'value="Đặng Hữu Phúc"' in body  # facility.head_name
    assert "Người đứng đầu cơ sở chịu trách nhiệm về nội dung đánh giá này." in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"head_name": "Đặng Hữu Phúc"}, "Cần họ tên và xác nhận của người đứng đầu cơ sở để gửi."),
        ({"head_name": "  ", "head_confirms": "on"}, "Nhập họ tên người đứng đầu cơ sở."),
    ],
)
def test_submitting_without_the_attestation_is_refused(staff_client, assessment, data, message):
    response = _submit(staff_client, assessment, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_the_service_refuses_a_submission_without_confirmation(staff, assessment):
    with pytest.raises(WorkflowError):
        services.assessment_submit(
            assessment=assessment, by=staff, attested_by_name="Đặng Hữu Phúc", head_confirms=False
        )


def test_submitting_what_a_colleague_changed_since_is_refused(staff_client, staff, assessment):
    services.assessment_save_draft(assessment=assessment, answers={}, by=staff, expected_version=0)
    response = staff_client.post(reverse("assessments:submit", args=[assessment.pk]), {"version": 0} | ATTEST)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_submitting_without_the_version_is_refused_with_the_reload_message(staff_client, assessment):
    response = staff_client.post(reverse("assessments:submit", args=[assessment.pk]), ATTEST)
    assert response.status_code == 400
    assert "Người khác đã lưu biểu mẫu này sau khi bạn mở." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_an_edit_posted_without_the_version_is_refused(staff_client, assessment):
    data = form_data(assessment, his_vendor="FPT.eHospital")
    del data["version"]
    response = staff_client.post(reverse("assessments:edit", args=[assessment.pk]), data)
    assert response.status_code == 409
    assert "Người khác đã lưu biểu mẫu này sau khi bạn mở." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.his_vendor == ""
    assert assessment.version == 0


def test_the_service_refuses_a_missing_version_for_an_existing_assessment(staff, assessment):
    assessment.his_vendor = "FPT.eHospital"
    with pytest.raises(StaleEdit):
        services.assessment_save_draft(assessment=assessment, answers={}, by=staff, expected_version=None)
    assessment.refresh_from_db()
    assert assessment.his_vendor == ""


def test_officer_approves_and_compliance_is_recomputed(
    officer_client, staff, assessment, django_capture_on_commit_callbacks
):
    _as_submitted(assessment, staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = officer_client.post(reverse("assessments:approve", args=[assessment.pk]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.APPROVED
    assert assessment.reviewed_by.is_officer
    assert any("enqueue" in getattr(c, "__qualname__", "") for c in callbacks)


def test_officer_returns_with_a_comment_the_facility_sees(officer_client, client, staff, assessment):
    _as_submitted(assessment, staff)
    response = officer_client.post(
        reverse("assessments:return", args=[assessment.pk]), {"comment": "Bổ sung quyết định A7."}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED
    client.force_login(staff)
    body = client.get(reverse("assessments:edit", args=[assessment.pk])).content.decode()
    assert "Bổ sung quyết định A7." in body and "Sở Y tế trả lại để chỉnh sửa" in body
    assert "Bổ sung quyết định A7." in client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()


def test_returning_without_a_comment_is_refused(officer_client, staff, assessment):
    _as_submitted(assessment, staff)
    response = officer_client.post(reverse("assessments:return", args=[assessment.pk]), {"comment": "   "})
    assert response.status_code == 400
    assert "Phải nhập ý kiến khi trả lại hồ sơ." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


def test_returned_assessment_is_edited_and_submitted_again(officer, staff_client, staff, assessment):
    _as_submitted(assessment, staff)
    services.assessment_return(assessment=assessment, by=officer, comment="Thiếu minh chứng")
    assessment.refresh_from_db()
    response = staff_client.post(
        reverse("assessments:edit", args=[assessment.pk]), form_data(assessment, value_A5="yes")
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.RETURNED
    assert _submit(staff_client, assessment, **ATTEST).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_submitted_and_approved_assessments_cannot_be_edited(staff_client, assessment, status):
    assessment.status = status
    assessment.save()
    url = reverse("assessments:edit", args=[assessment.pk])
    response = staff_client.get(url)
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    staff_client.post(url, form_data(assessment, his_vendor="Đổi sau khi duyệt"))
    assessment.refresh_from_db()
    assert assessment.his_vendor == ""
    assert assessment.status == status


def test_the_service_refuses_to_edit_an_approved_assessment(staff, assessment):
    assessment.status = Status.APPROVED
    assessment.save()
    assessment.his_vendor = "x"
    with pytest.raises(WorkflowError):
        services.assessment_save_draft(assessment=assessment, answers={}, by=staff, expected_version=assessment.version)


def test_approving_a_draft_is_refused(officer_client, assessment):
    officer_client.post(reverse("assessments:approve", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT


def test_submitting_twice_is_refused(staff_client, staff, assessment):
    _as_submitted(assessment, staff)
    response = _submit(staff_client, assessment, **ATTEST)
    assert response.status_code == 302
    assert "Chỉ sửa được bản nháp và hồ sơ bị trả lại." in staff_client.get(response["Location"]).content.decode()


def test_staff_approving_through_the_service_is_refused(staff, assessment):
    _as_submitted(assessment, staff)
    with pytest.raises(PermissionDenied):
        services.assessment_approve(assessment=assessment, by=staff)
    with pytest.raises(PermissionDenied):
        services.assessment_return(assessment=assessment, by=staff, comment="x")


def test_officers_see_review_buttons_only_on_submitted_assessments(officer_client, staff, assessment):
    url = reverse("assessments:detail", args=[assessment.pk])
    assert reverse("assessments:approve", args=[assessment.pk]) not in officer_client.get(url).content.decode()
    _as_submitted(assessment, staff)
    body = officer_client.get(url).content.decode()
    assert reverse("assessments:approve", args=[assessment.pk]) in body
    # The shared review card, with the way on to the next submission waiting after this one.
    assert f'id="next-item" href="{reverse("reports:review_next")}?after=/assessments/{assessment.pk}/"' in body


def test_facility_users_see_no_review_buttons(staff_client, staff, assessment):
    _as_submitted(assessment, staff)
    body = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert reverse("assessments:approve", args=[assessment.pk]) not in body
    assert reverse("assessments:submit", args=[assessment.pk]) not in body
