"""draft -> submitted -> approved, or submitted -> returned -> edited -> submitted (SPEC section 5)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from core import workflow
from core.models import Status
from reports import services
from reports.models import MonthlyReport, due_date
from reports.tests.factories import MonthlyReportFactory

from .utils import at, form_data


def submit(client, report, name="Đặng Hữu Phúc", confirm=True, version=None):
    """Post the report page's submit form, with the version the page showed (the report's, by default)."""
    data = {"attested_by_name": name, "version": report.version if version is None else version}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("reports:submit", args=[report.pk]), data)


def test_staff_submit_a_draft_with_the_heads_attestation(staff_client, staff, draft):
    response = submit(staff_client, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_by == staff
    assert draft.attested_by_name == "Đặng Hữu Phúc"
    assert not draft.is_late


def test_the_attestation_name_is_prefilled_from_the_facility_head(staff_client, facility, draft):
    facility.head_name = "Lê Văn Trưởng"
    facility.save()
    form = staff_client.get(draft.get_absolute_url()).context["attestation"]
    assert form["attested_by_name"].value() == "Lê Văn Trưởng"


def test_submitting_without_the_checkbox_is_refused(staff_client, draft):
    response = submit(staff_client, draft, confirm=False)
    assert response.status_code == 200
    assert "Hãy đánh dấu ô xác nhận báo cáo." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submitting_without_the_heads_name_is_refused(staff_client, draft):
    response = submit(staff_client, draft, name="  ")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_service_refuses_a_blank_attestation(draft, staff):
    with pytest.raises(workflow.WorkflowError):
        services.report_submit(report=draft, by=staff, attested_by_name=" ")


def test_a_submission_on_the_due_day_is_on_time(client, staff, draft, clock):
    clock.move_to(at(2026, 10, 5, 23, 30))
    client.force_login(staff)  # after travelling, or the idle session would have expired
    staff_client = client
    submit(staff_client, draft)
    draft.refresh_from_db()
    assert draft.due_date == datetime.date(2026, 10, 5)
    assert not draft.is_late
    assert "nộp muộn" not in staff_client.get(draft.get_absolute_url()).content.decode()


def test_a_submission_after_the_due_day_is_allowed_and_marked_late(client, staff, draft, clock):
    clock.move_to(at(2026, 10, 6, 0, 5))
    client.force_login(staff)
    staff_client = client
    response = submit(staff_client, draft)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.is_late
    assert MonthlyReport.objects.late().get() == draft
    page = staff_client.get(response["Location"]).content.decode()
    assert "nộp muộn" in page
    assert "Gửi sau hạn nộp (05/10/2026)" in page


@pytest.mark.parametrize(("settings_day", "due"), [(5, datetime.date(2026, 3, 5)), (10, datetime.date(2026, 3, 10))])
def test_the_due_date_is_the_due_day_of_the_next_month(settings, settings_day, due):
    settings.REPORT_DUE_DAY = settings_day
    assert due_date(datetime.date(2026, 2, 1)) == due


def test_the_late_annotation_matches_the_property(facility, clock):
    for day, hour in [(5, 23), (6, 0), (4, 12)]:
        period = datetime.date(2026, day, 1)
        MonthlyReportFactory(
            submitted=True, facility=facility, period=period, submitted_at=at(2026, day + 1, day, hour)
        )
    MonthlyReportFactory(
        submitted=True, facility=facility, period=datetime.date(2026, 1, 1), submitted_at=at(2026, 3, 1)
    )
    for report in MonthlyReport.objects.with_late():
        assert report.submitted_late == report.is_late, report.period


def test_officer_approves_and_the_compliance_recompute_is_scheduled(
    officer_client, officer, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = officer_client.post(reverse("reports:approve", args=[submitted.pk]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert submitted.reviewed_by == officer
    assert len(callbacks) == 1


def test_officer_returns_with_a_comment(officer_client, submitted):
    response = officer_client.post(
        reverse("reports:return", args=[submitted.pk]), {"comment": "Số khoa lâm sàng chưa khớp với đánh giá."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert submitted.review_comment == "Số khoa lâm sàng chưa khớp với đánh giá."


def test_the_returned_report_shows_the_comment_to_staff(client, staff, facility):
    report = MonthlyReportFactory(returned=True, facility=facility)
    client.force_login(staff)
    body = client.get(report.get_absolute_url()).content.decode()
    assert report.review_comment in body
    assert "Trả lại để chỉnh sửa" in body


def test_returning_without_a_comment_is_refused_with_the_error_shown(officer_client, submitted):
    response = officer_client.post(reverse("reports:return", args=[submitted.pk]), {"comment": "   "})
    assert response.status_code == 200
    assert "Phải nhập ý kiến khi trả lại báo cáo." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_the_service_refuses_a_return_without_a_comment(submitted, officer):
    with pytest.raises(workflow.WorkflowError):
        services.report_return(report=submitted, by=officer, comment="")


def test_a_returned_report_is_edited_and_submitted_again(client, staff, officer, submitted):
    services.report_return(report=submitted, by=officer, comment="Sửa số khoa.")
    client.force_login(staff)
    submitted.refresh_from_db()
    response = client.post(
        reverse("reports:edit", args=[submitted.pk]), form_data(departments_live="4", version=submitted.version)
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    assert submitted.departments_live == 4
    submit(client, submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    services.report_approve(report=submitted, by=officer)
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    reasons = list(submitted.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-4:] == ["returned", "edited", "submitted", "approved"]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
def test_submitted_and_approved_reports_cannot_be_edited(staff_client, facility, status):
    report = MonthlyReportFactory(
        facility=facility, **{"submitted" if status == Status.SUBMITTED else "approved": True}
    )
    response = staff_client.get(reverse("reports:edit", args=[report.pk]))
    assert response.status_code == 302
    response = staff_client.post(
        reverse("reports:edit", args=[report.pk]), form_data(departments_live="1", version=report.version), follow=True
    )
    assert "Chỉ sửa được bản nháp và hồ sơ bị trả lại." in response.content.decode()
    report.refresh_from_db()
    assert report.departments_live == 3
    assert report.status == status


def test_an_approved_report_cannot_be_submitted_again(staff_client, facility):
    report = MonthlyReportFactory(approved=True, facility=facility)
    response = submit(staff_client, report)
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    assert "Chỉ sửa được bản nháp và hồ sơ bị trả lại." in staff_client.get(response["Location"]).content.decode()


def test_a_draft_cannot_be_approved(officer_client, draft):
    officer_client.post(reverse("reports:approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_staff_cannot_approve_or_return_their_own_facilitys_report(staff_client, submitted):
    assert staff_client.post(reverse("reports:approve", args=[submitted.pk])).status_code == 403
    assert staff_client.post(reverse("reports:return", args=[submitted.pk]), {"comment": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_the_head_cannot_approve_either(head_client, submitted):
    assert head_client.post(reverse("reports:approve", args=[submitted.pk])).status_code == 403


def test_leadership_reads_but_cannot_review_or_write(leadership_client, submitted, facility):
    assert leadership_client.get(submitted.get_absolute_url()).status_code == 200
    assert leadership_client.post(reverse("reports:approve", args=[submitted.pk])).status_code == 403
    assert leadership_client.post(reverse("reports:return", args=[submitted.pk]), {"comment": "x"}).status_code == 403
    assert leadership_client.get(reverse("reports:create", args=[facility.code])).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_officers_review_but_do_not_write_a_facilitys_report(officer_client, draft, facility):
    assert officer_client.get(reverse("reports:create", args=[facility.code])).status_code == 403
    assert officer_client.get(reverse("reports:edit", args=[draft.pk])).status_code == 403
    assert submit(officer_client, draft).status_code == 403


def test_a_stale_form_is_refused_and_nothing_is_overwritten(staff, head, draft):
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(head)
    url = reverse("reports:edit", args=[draft.pk])
    version_first = first.get(url).context["form"]["version"].value()
    version_second = second.get(url).context["form"]["version"].value()
    assert second.post(url, form_data(departments_live="4", version=version_second)).status_code == 302
    response = first.post(url, form_data(departments_live="1", version=version_first))
    assert response.status_code == 200
    assert "Người khác đã lưu biểu mẫu này sau khi bạn mở." in response.content.decode()
    draft.refresh_from_db()
    assert draft.departments_live == 4


def test_the_service_refuses_a_stale_version(draft, staff):
    draft.departments_live = 1
    with pytest.raises(workflow.StaleEdit):
        services.report_save_draft(report=draft, by=staff, expected_version=draft.version - 1)


def test_a_duplicate_month_from_a_race_is_a_workflow_error(facility, staff, draft):
    twin = MonthlyReport(facility=facility, period=draft.period)
    with pytest.raises(workflow.WorkflowError):
        services.report_save_draft(report=twin, by=staff, expected_version=None)
    assert MonthlyReport.objects.count() == 1


def test_an_edit_posted_without_the_version_is_refused(staff_client, draft):
    response = staff_client.post(reverse("reports:edit", args=[draft.pk]), form_data(departments_live="1"))
    assert response.status_code == 200
    assert "Người khác đã lưu biểu mẫu này sau khi bạn mở." in response.content.decode()
    draft.refresh_from_db()
    assert draft.departments_live == 3
    assert draft.version == 1


def test_the_service_refuses_a_missing_version_for_an_existing_report(draft, staff):
    draft.departments_live = 1
    with pytest.raises(workflow.StaleEdit):
        services.report_save_draft(report=draft, by=staff, expected_version=None)
    draft.refresh_from_db()
    assert draft.departments_live == 3


def test_submitting_what_a_colleague_changed_since_is_refused(staff_client, head, draft):
    seen = draft.version
    services.report_save_draft(report=draft, by=head, expected_version=seen)  # a colleague saves meanwhile
    response = submit(staff_client, draft, version=seen)
    assert response.status_code == 302
    assert "Người khác đã lưu biểu mẫu này sau khi bạn mở." in staff_client.get(response["Location"]).content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    with pytest.raises(workflow.StaleEdit):
        services.report_submit(report=draft, by=head, attested_by_name="Đặng Hữu Phúc", expected_version=seen)


def test_submitting_without_the_version_is_refused_with_the_reload_message(staff_client, draft):
    response = staff_client.post(
        reverse("reports:submit", args=[draft.pk]), {"attested_by_name": "Đặng Hữu Phúc", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "Người khác đã lưu biểu mẫu này sau khi bạn mở." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_report_page_carries_the_version_into_the_submit_form(staff_client, draft):
    form = staff_client.get(draft.get_absolute_url()).context["attestation"]
    assert form["version"].value() == draft.version


def test_a_month_approved_since_the_draft_was_saved_is_checked_at_submit(staff_client, staff, facility, draft):
    # The September draft (3 departments live, facility-wide) was saved; then August is approved
    # with 4 departments live at a later stage: the drop and the step back now need explaining.
    MonthlyReportFactory(
        approved=True, facility=facility, period=datetime.date(2026, 8, 1), departments_live=4, stage=4
    )
    response = submit(staff_client, draft)
    assert response["Location"] == reverse("reports:edit", args=[draft.pk]) + "?check=1"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.version == 1
    page = staff_client.get(response["Location"])
    body = page.content.decode()
    assert "Báo cáo chưa được gửi" in body
    assert "Số khoa triển khai ít hơn tháng được duyệt gần nhất (08/2026: 4)" in body
    assert "Giai đoạn thấp hơn tháng được duyệt gần nhất (08/2026" in body
    form = page.context["form"]
    assert set(form.errors) == {"departments_drop_explanation", "stage_explanation"}
    assert form["version"].value() == draft.version and form["departments_live"].value() == 3
    with pytest.raises(services.ReportInvalid) as refused:
        services.report_submit(report=draft, by=staff, attested_by_name="Đặng Hữu Phúc")
    assert "departments_drop_explanation" in refused.value.errors

    explained = form_data(
        version=draft.version,
        departments_drop_explanation="Khoa Nhi tạm dừng do sửa chữa.",
        stage_explanation="Đánh giá lại sau khi thay phần mềm.",
    )
    assert staff_client.post(reverse("reports:edit", args=[draft.pk]), explained).status_code == 302
    draft.refresh_from_db()
    assert submit(staff_client, draft).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_staff_approving_through_the_service_is_refused(staff, head, submitted):
    for user in (staff, head):
        with pytest.raises(PermissionDenied):
            services.report_approve(report=submitted, by=user)
        with pytest.raises(PermissionDenied):
            services.report_return(report=submitted, by=user, comment="x")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_officers_see_review_buttons_only_on_submitted_reports(officer, staff, facility):
    officer_client, staff_client = Client(), Client()
    officer_client.force_login(officer)
    staff_client.force_login(staff)
    for state, shown in [
        ({}, False),
        ({"returned": True}, False),
        ({"approved": True}, False),
        ({"submitted": True}, True),
    ]:
        report = MonthlyReportFactory(facility=facility, period=datetime.date(2026, 9, 1), **state)
        body = officer_client.get(report.get_absolute_url()).content.decode()
        assert (reverse("reports:approve", args=[report.pk]) in body) is shown, report.status
        assert (reverse("reports:return", args=[report.pk]) in body) is shown, report.status
        assert ('id="review"' in body) is shown, report.status
        staff_body = staff_client.get(report.get_absolute_url()).content.decode()
        assert reverse("reports:approve", args=[report.pk]) not in staff_body
        assert 'id="review"' not in staff_body
        report.delete()
