"""Milestones through their pages: order checks, who confirms, verification and return, access, races."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.tests.factories import PDF_BYTES, AssessmentFactory
from core.models import Status
from core.workflow import STALE_EDIT
from facilities.models import MemberRole
from facilities.tests.factories import MembershipFactory
from milestones import services
from milestones.models import Milestone, MilestoneKind
from milestones.tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def approved_assessment(facility):
    return AssessmentFactory(facility=facility, status=Status.APPROVED, reviewed_at=TODAY, mandatory_met=True)


def decision_data(**overrides):
    data = {
        "date": "29/09/2026",
        "number": "125/QĐ-TYT",
        "effective_date": "01/10/2026",
        "signer": "Đặng Hữu Phúc",
        "scope_inpatient": "on",
        "scope_outpatient": "on",
        "all_departments": "on",
    }
    return data | overrides


def errors(response, field):
    return response.context["form"].errors.get(field, [])


def create(client, facility, kind, data):
    return client.post(reverse("milestones:create", args=[facility.code, kind]), data)


# -- order and data checks ---------------------------------------------------------------------


def test_staff_save_a_decision_draft(staff_client, facility, staff):
    response = create(staff_client, facility, MilestoneKind.DECISION, decision_data())
    milestone = Milestone.objects.get(facility=facility, kind=MilestoneKind.DECISION)
    assert response.status_code == 302 and response.url == milestone.get_absolute_url()
    assert milestone.status == Status.DRAFT and milestone.created_by == staff
    assert milestone.date == datetime.date(2026, 9, 29) and milestone.effective_date == datetime.date(2026, 10, 1)


def test_a_date_in_the_future_is_refused(staff_client, facility):
    response = create(staff_client, facility, MilestoneKind.DECISION, decision_data(date="06/10/2026"))
    assert errors(response, "date") == ["Ngày này ở tương lai."]
    assert not Milestone.objects.exists()


def test_a_date_before_the_programme_is_refused(staff_client, facility):
    response = create(staff_client, facility, MilestoneKind.DECISION, decision_data(date="31/12/2024"))
    assert errors(response, "date")
    assert not Milestone.objects.exists()


def test_a_decision_needs_its_number_signer_effective_date_and_scope(staff_client, facility):
    data = decision_data(number="", signer="", effective_date="", all_departments="")
    del data["scope_inpatient"], data["scope_outpatient"]
    response = create(staff_client, facility, MilestoneKind.DECISION, data)
    for field in ("number", "signer", "effective_date", "scope_inpatient", "departments"):
        assert errors(response, field), field
    assert not Milestone.objects.exists()


def test_a_decision_cannot_take_effect_before_it_is_signed(staff_client, facility):
    response = create(staff_client, facility, MilestoneKind.DECISION, decision_data(effective_date="28/09/2026"))
    assert errors(response, "effective_date")


def test_a_decision_may_not_precede_the_self_assessment(staff_client, facility, approved_assessment):
    september_30 = datetime.date(2026, 9, 30)
    MilestoneFactory(facility=facility, self_assessed=True, date=september_30, assessment=approved_assessment)
    response = create(staff_client, facility, MilestoneKind.DECISION, decision_data(date="29/09/2026"))
    assert errors(response, "date") == [
        "Ngày này phải bằng hoặc sau ngày của “Đã tự đánh giá đáp ứng TT 13/2025” (30/09/2026)."
    ]


def test_the_announcement_may_not_precede_the_decision(staff_client, facility):
    MilestoneFactory(facility=facility)  # decision of 29/09/2026
    data = {"date": "28/09/2026", "link": "https://benhandientu.moh.gov.vn/co-so/82221"}
    response = create(staff_client, facility, MilestoneKind.ANNOUNCED, data)
    assert errors(response, "date")
    assert create(staff_client, facility, MilestoneKind.ANNOUNCED, data | {"date": "29/09/2026"}).status_code == 302


def test_paper_stopped_needs_the_decision_and_comes_after_it(staff_client, facility):
    data = {"date": "01/10/2026", "scope_inpatient": "on", "all_departments": "on"}
    response = create(staff_client, facility, MilestoneKind.PAPER_STOPPED, data)
    assert errors(response, "date") == ["Hãy ghi nhận quyết định sử dụng HSBA điện tử thay thế bệnh án giấy trước."]
    MilestoneFactory(facility=facility)
    assert errors(create(staff_client, facility, MilestoneKind.PAPER_STOPPED, data | {"date": "28/09/2026"}), "date")
    assert create(staff_client, facility, MilestoneKind.PAPER_STOPPED, data).status_code == 302


def test_the_announcement_needs_a_link_or_a_screenshot(staff_client, facility):
    MilestoneFactory(facility=facility)
    response = create(staff_client, facility, MilestoneKind.ANNOUNCED, {"date": "02/10/2026"})
    assert errors(response, "link")
    screenshot = SimpleUploadedFile("cong.pdf", PDF_BYTES, content_type="application/pdf")
    data = {"date": "02/10/2026", "evidence_file": screenshot}
    response = create(staff_client, facility, MilestoneKind.ANNOUNCED, data)
    assert response.status_code == 302
    announced = Milestone.objects.get(kind=MilestoneKind.ANNOUNCED)
    assert announced.evidence_name == "cong.pdf" and announced.evidence_type == "application/pdf"


def test_evidence_is_checked_by_its_content(staff_client, facility):
    fake = SimpleUploadedFile("quyet-dinh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = create(staff_client, facility, MilestoneKind.DECISION, decision_data(evidence_file=fake))
    assert errors(response, "evidence_file")
    assert not Milestone.objects.exists()


def test_a_self_assessment_rests_on_an_approved_assessment_of_the_facility(
    staff_client, facility, other_facility, approved_assessment
):
    draft = AssessmentFactory(facility=facility)
    others = AssessmentFactory(facility=other_facility, status=Status.APPROVED, reviewed_at=TODAY)
    for assessment in (draft, others):
        response = create(
            staff_client, facility, MilestoneKind.SELF_ASSESSED, {"date": "15/09/2026", "assessment": assessment.pk}
        )
        assert errors(response, "assessment")
    data = {"date": "15/09/2026", "assessment": approved_assessment.pk}
    assert create(staff_client, facility, MilestoneKind.SELF_ASSESSED, data).status_code == 302


# -- submission: the head's account or the typed name ----------------------------------------


def submit(client, milestone, **data):
    return client.post(reverse("milestones:submit", args=[milestone.pk]), {"version": milestone.version, **data})


def test_the_head_submits_from_their_own_account(client, facility, head):
    milestone = MilestoneFactory(facility=facility)
    client.force_login(head)
    response = submit(client, milestone, confirm="on")
    milestone.refresh_from_db()
    assert response.status_code == 302
    assert milestone.status == Status.SUBMITTED and milestone.head_confirmed
    assert milestone.submitted_by == head and milestone.attested_by_name == head.display_name
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "Đã được người đứng đầu cơ sở xác nhận bằng tài khoản của mình" in page


def test_staff_cannot_submit_where_the_facility_has_a_head_account(staff_client, facility, head):
    milestone = MilestoneFactory(facility=facility)
    page = staff_client.get(milestone.get_absolute_url())
    assert page.context["waits_for_head"] and not page.context["may_submit"]
    submit(staff_client, milestone, head_name="Đặng Hữu Phúc", confirm="on")
    milestone.refresh_from_db()
    assert milestone.status == Status.DRAFT


def test_staff_submit_with_the_heads_typed_name_where_there_is_no_head_account(staff_client, facility, staff):
    milestone = MilestoneFactory(facility=facility)
    response = submit(staff_client, milestone, confirm="on")
    assert response.context["submit_form"].errors["head_name"]
    submit(staff_client, milestone, head_name="  Đặng   Hữu Phúc ", confirm="on")
    milestone.refresh_from_db()
    assert milestone.status == Status.SUBMITTED and not milestone.head_confirmed
    assert milestone.attested_by_name == "Đặng Hữu Phúc" and milestone.submitted_by == staff
    page = staff_client.get(milestone.get_absolute_url()).content.decode()
    assert "chưa có xác nhận của người đứng đầu" in page


def test_submission_rechecks_the_order(staff_client, facility, approved_assessment):
    decision = MilestoneFactory(facility=facility)
    self_assessed = MilestoneFactory(facility=facility, self_assessed=True, assessment=approved_assessment)
    # The decision is moved before the self-assessment after the latter was saved.
    Milestone.objects.filter(pk=decision.pk).update(date=datetime.date(2026, 9, 10))
    response = submit(staff_client, self_assessed, head_name="Đặng Hữu Phúc", confirm="on")
    assert response.url == reverse("milestones:edit", args=[self_assessed.pk])
    self_assessed.refresh_from_db()
    assert self_assessed.status == Status.DRAFT


def test_a_stale_submission_is_refused(staff_client, facility):
    milestone = MilestoneFactory(facility=facility)
    opened = milestone.version
    services.milestone_save_draft(milestone=Milestone.objects.get(pk=milestone.pk), by=None, expected_version=opened)
    response = submit(staff_client, milestone, head_name="Đặng Hữu Phúc", confirm="on")
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Status.DRAFT


def test_a_stale_edit_is_refused(staff_client, facility):
    milestone = MilestoneFactory(facility=facility)
    opened = milestone.version
    url = reverse("milestones:edit", args=[milestone.pk])
    assert staff_client.post(url, decision_data(version=opened, signer="Nguyễn Văn A")).status_code == 302
    response = staff_client.post(url, decision_data(version=opened, signer="Trần Văn B"))
    assert response.context["form"].non_field_errors() == [str(STALE_EDIT)]
    milestone.refresh_from_db()
    assert milestone.signer == "Nguyễn Văn A"


# -- verification and return -----------------------------------------------------------------


def test_an_officer_verifies_and_compliance_is_recomputed(officer_client, officer, facility, monkeypatch):
    from compliance import services as compliance_services

    scheduled = []
    monkeypatch.setattr(compliance_services, "schedule_facility_recompute", scheduled.append)
    milestone = MilestoneFactory(facility=facility, submitted=True)
    response = officer_client.post(reverse("milestones:verify", args=[milestone.pk]))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Status.APPROVED and milestone.reviewed_by == officer
    assert list(Milestone.objects.verified()) == [milestone]
    assert scheduled == [facility.pk]
    page = officer_client.get(milestone.get_absolute_url()).content.decode()
    assert "Sở Y tế xác nhận" in page


def test_a_return_needs_the_dohs_comment(officer_client, facility):
    milestone = MilestoneFactory(facility=facility, submitted=True)
    url = reverse("milestones:return", args=[milestone.pk])
    assert officer_client.post(url, {"comment": "  "}).status_code == 200
    officer_client.post(url, {"comment": "Số quyết định không khớp với bản scan."})
    milestone.refresh_from_db()
    assert milestone.status == Status.RETURNED and milestone.review_comment == "Số quyết định không khớp với bản scan."


def test_a_returned_milestone_is_corrected_and_submitted_again(client, facility, head):
    milestone = MilestoneFactory(facility=facility, submitted=True, status=Status.RETURNED, review_comment="Sai số.")
    client.force_login(head)
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "Ý kiến của Sở Y tế" in page and "Sai số." in page
    url = reverse("milestones:edit", args=[milestone.pk])
    assert client.post(url, decision_data(version=milestone.version, number="126/QĐ-TYT")).status_code == 302
    milestone.refresh_from_db()
    submit(client, milestone, confirm="on")
    milestone.refresh_from_db()
    assert milestone.status == Status.SUBMITTED and milestone.number == "126/QĐ-TYT"


def test_facility_users_cannot_verify(client, facility, head):
    milestone = MilestoneFactory(facility=facility, submitted=True)
    client.force_login(head)
    assert client.post(reverse("milestones:verify", args=[milestone.pk])).status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == Status.SUBMITTED


def test_a_second_verification_is_told_who_verified(client, facility):
    from accounts.tests.factories import UserFactory

    first, second = UserFactory(officer=True, first_name="Lê", last_name="Minh"), UserFactory(officer=True)
    milestone = MilestoneFactory(facility=facility, submitted=True)
    services.milestone_verify(milestone=milestone, by=first)
    client.force_login(second)
    response = client.post(reverse("milestones:verify", args=[milestone.pk]), follow=True)
    assert "Lê Minh đã xác nhận mốc này" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.reviewed_by == first and milestone.version == 3


# -- access ------------------------------------------------------------------------------------


def test_another_facilitys_milestone_is_404(client, facility, other_facility):
    from accounts.tests.factories import UserFactory

    milestone = MilestoneFactory(facility=facility, submitted=True)
    outsider = UserFactory()
    MembershipFactory(user=outsider, facility=other_facility, role=MemberRole.HEAD)
    client.force_login(outsider)
    for name in ("detail", "edit", "evidence"):
        assert client.get(reverse(f"milestones:{name}", args=[milestone.pk])).status_code == 404, name
    for name in ("submit", "verify", "return"):
        assert client.post(reverse(f"milestones:{name}", args=[milestone.pk])).status_code == 404, name
    assert client.get(reverse("milestones:create", args=[facility.code, "decision"])).status_code == 404


def test_evidence_is_served_to_the_facility_under_a_random_name(staff_client, facility):
    decision = decision_data(evidence_file=SimpleUploadedFile("qd.pdf", PDF_BYTES))
    create(staff_client, facility, MilestoneKind.DECISION, decision)
    milestone = Milestone.objects.get()
    response = staff_client.get(reverse("milestones:evidence", args=[milestone.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert not milestone.evidence.name.endswith(".pdf")  # stored under a random name
