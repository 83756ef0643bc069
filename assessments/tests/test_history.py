"""Every value change and every transition leaves history and shows on the assessment page."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Assessment

from .test_views import form_data

pytestmark = pytest.mark.django_db


def timeline_of(client, assessment) -> str:
    body = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    return body.split('data-testid="timeline"')[1].split("</ul>\n      </div>")[0]


def test_edits_leave_history_rows_for_the_assessment_and_its_answers(staff_client, assessment):
    url = reverse("assessments:edit", args=[assessment.pk])
    staff_client.post(url, form_data(assessment, value_A5="yes", value_D1="80"))
    assessment.refresh_from_db()
    staff_client.post(url, form_data(assessment, value_A5="no", value_D1="80", his_vendor="Viettel-HIS"))

    assert assessment.history.count() == 3  # factory create, two saves
    a5 = Answer.objects.get(assessment=assessment, criterion__code="A5")
    assert list(a5.history.order_by("history_date").values_list("value_bool", flat=True)) == [True, False]
    d1 = Answer.objects.get(assessment=assessment, criterion__code="D1")
    assert d1.history.count() == 1  # unchanged on the second save: no new row
    latest = assessment.history.first()
    assert latest.history_user is not None and latest.history_change_reason == "edited"


def test_the_timeline_shows_who_when_and_old_to_new(staff_client, staff, assessment):
    url = reverse("assessments:edit", args=[assessment.pk])
    staff_client.post(url, form_data(assessment, value_A5="yes", value_A7="15/03/2026"))
    assessment.refresh_from_db()
    staff_client.post(url, form_data(assessment, value_A5="no", value_A7="15/03/2026", his_vendor="Viettel-HIS"))

    timeline = timeline_of(staff_client, assessment)
    assert "Võ Thị Lan" in timeline  # staff.display_name
    assert 'Nhà cung cấp HIS: <del class="text-muted">VNPT-HIS</del> → Viettel-HIS' in timeline
    assert 'A5: <del class="text-muted">Đạt</del> → Chưa đạt' in timeline
    assert 'A5: <del class="text-muted">—</del> → Đạt' in timeline
    assert 'A7: <del class="text-muted">—</del> → 15/03/2026' in timeline
    assert 'Kinh phí cần (đồng): <del class="text-muted">—</del> → 1.250.000.000 ₫' in timeline


def test_transitions_show_on_the_timeline(staff_client, staff, officer, assessment):
    services.assessment_submit(assessment=assessment, by=staff, attested_by_name="Đặng Hữu Phúc", head_confirms=True)
    services.assessment_return(assessment=assessment, by=officer, comment="Bổ sung biên bản diễn tập B6.")
    assessment.refresh_from_db()
    services.assessment_save_draft(assessment=assessment, answers={}, by=staff, expected_version=assessment.version)
    services.assessment_submit(assessment=assessment, by=staff, attested_by_name="Đặng Hữu Phúc", head_confirms=True)
    services.assessment_approve(assessment=assessment, by=officer)

    reasons = list(assessment.history.order_by("history_date").values_list("history_change_reason", "status"))
    assert reasons[1:] == [
        ("submitted", "submitted"),
        ("returned", "returned"),
        ("edited", "returned"),
        ("submitted", "submitted"),
        ("approved", "approved"),
    ]
    timeline = timeline_of(staff_client, assessment)
    assert timeline.count("Gửi Sở Y tế xem xét") == 2
    assert "Người đứng đầu xác nhận: Đặng Hữu Phúc" in timeline
    assert "Trả lại để chỉnh sửa" in timeline and "Bổ sung biên bản diễn tập B6." in timeline
    assert "Đã duyệt" in timeline
    assert timeline.index("Đã duyệt") < timeline.index("Trả lại để chỉnh sửa")  # newest first


def test_evidence_uploads_show_on_the_timeline(staff_client, assessment):
    from .test_evidence import PDF_BYTES, upload

    upload(staff_client, assessment, "Biên bản.pdf", PDF_BYTES)
    assert "Tải minh chứng lên" in timeline_of(staff_client, assessment)
    assert "Biên bản.pdf" in timeline_of(staff_client, assessment)


def test_a_refused_stale_save_leaves_no_history(staff_client, staff, assessment):
    services.assessment_save_draft(assessment=assessment, answers={}, by=staff, expected_version=0)
    rows = assessment.history.count()
    stale = form_data(assessment, value_A5="yes") | {"version": 0}
    response = staff_client.post(reverse("assessments:edit", args=[assessment.pk]), stale)
    assert response.status_code == 409
    assert assessment.history.count() == rows
    assert not Answer.history.filter(assessment_id=assessment.pk).exists()
    assert Assessment.objects.get(pk=assessment.pk).version == 1
