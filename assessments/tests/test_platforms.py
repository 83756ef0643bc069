"""Shared platforms' pages: the DoH edits them, leadership reads them, facility users never see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from assessments import services
from assessments.models import Criterion, SharedPlatform
from core.models import Status
from facilities.tests.factories import FacilityFactory

from .factories import PDF_BYTES, AssessmentFactory

pytestmark = pytest.mark.django_db


def mandatory_codes(catalogue) -> list[str]:
    return list(
        Criterion.objects.filter(group__catalogue=catalogue, decides_compliance=True).values_list("code", flat=True)
    )


@pytest.fixture
def platform(facility, officer):
    platform = SharedPlatform(name="HIS dùng chung của tỉnh", description="Phần mềm HIS do Sở vận hành")
    return services.platform_save(platform=platform, criteria_codes=["B1", "E1"], members={facility.pk}, by=officer)


def test_an_officer_creates_a_platform_with_members_by_type_and_code(officer_client, facility, other_facility, v2):
    response = officer_client.post(
        reverse("assessments:platform_create"),
        {
            "name": "HIS dùng chung của tỉnh",
            "operator": "Sở Y tế",
            "criteria": ["B1", "E1"],
            "is_active": "on",
            "add_type": facility.type_id,
            "add_codes": other_facility.code,
        },
    )
    platform = SharedPlatform.objects.get()
    assert response.status_code == 302
    assert platform.criteria_codes == ["B1", "E1"]
    assert set(platform.members.values_list("pk", flat=True)) >= {facility.pk, other_facility.pk}


def test_an_unknown_facility_code_is_refused_and_nothing_saved(officer_client, v2):
    response = officer_client.post(
        reverse("assessments:platform_create"), {"name": "HIS", "operator": "Sở Y tế", "add_codes": "KHONGCO"}
    )
    assert response.status_code == 400
    assert "KHONGCO" in response.content.decode()
    assert not SharedPlatform.objects.exists()


def test_leadership_reads_but_may_not_edit(leadership_client, platform):
    assert leadership_client.get(reverse("assessments:platforms")).status_code == 200
    page = leadership_client.get(reverse("assessments:platform", args=[platform.pk])).content.decode()
    assert "HIS dùng chung của tỉnh" in page
    assert reverse("assessments:platform_edit", args=[platform.pk]) not in page
    assert leadership_client.get(reverse("assessments:platform_edit", args=[platform.pk])).status_code == 403
    assert leadership_client.get(reverse("assessments:platform_create")).status_code == 403


@pytest.mark.parametrize("name", ["platforms", "platform", "platform_edit"])
def test_a_facility_user_gets_404_on_platform_pages(staff_client, platform, name):
    args = [] if name == "platforms" else [platform.pk]
    assert staff_client.get(reverse(f"assessments:{name}", args=args)).status_code == 404


def test_the_service_writes_history_with_who_and_why(platform, officer, other_facility):
    platform.name = "HIS dùng chung (bản 2)"
    services.platform_save(platform=platform, criteria_codes=["B1"], members={other_facility.pk}, by=officer)
    history = list(platform.history.order_by("history_date"))
    assert [h.history_change_reason for h in history][0] == "created"
    assert history[-1].history_user == officer
    assert "edited" in [h.history_change_reason for h in history]
    assert history[-1].name == "HIS dùng chung (bản 2)"


def test_declaring_criteria_stores_again_the_open_and_approved_results(facility, officer, v2):
    draft = AssessmentFactory(facility=facility, catalogue=v2)
    approved = AssessmentFactory(facility=facility, approved=True, catalogue=v2, mandatory_met=False)
    platform = SharedPlatform(name="Nền tảng của Sở")
    services.platform_save(platform=platform, criteria_codes=mandatory_codes(v2), members={facility.pk}, by=officer)
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert (draft.mandatory_met, draft.mandatory_gaps) == (True, [])
    assert (approved.mandatory_met, approved.mandatory_gaps, approved.status) == (True, [], Status.APPROVED)
    assert approved.history.first().history_change_reason == "results recomputed"
    assert approved.history.first().history_user == officer

    services.platform_save(platform=platform, criteria_codes=mandatory_codes(v2), members=set(), by=officer)
    draft.refresh_from_db()
    assert draft.mandatory_met is False
    assert "B1" in draft.mandatory_gaps


def test_membership_shows_on_the_facility_page(staff_client, facility, platform):
    page = staff_client.get(facility.get_absolute_url()).content.decode()
    assert 'id="shared-platforms"' in page
    assert "HIS dùng chung của tỉnh" in page
    assert "B1</span>, <span" in page or "B1" in page.split('id="shared-platforms"')[1]


def test_a_facility_not_on_a_platform_shows_no_platform_block(officer_client, other_facility, platform):
    page = officer_client.get(other_facility.get_absolute_url()).content.decode()
    assert 'id="shared-platforms"' not in page


@pytest.fixture
def platform_with_evidence(platform, officer):
    file = SimpleUploadedFile("quyet-dinh.pdf", PDF_BYTES)
    file.name = "quyet-dinh.pdf"
    return services.platform_save(
        platform=platform,
        criteria_codes=platform.criteria_codes,
        members={m.pk for m in platform.members.all()},
        evidence_file=file,
        by=officer,
    )


def test_the_evidence_is_served_to_the_doh_and_member_facilities(officer_client, platform_with_evidence, client, staff):
    url = reverse("assessments:platform_evidence", args=[platform_with_evidence.pk])
    response = officer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_the_evidence_answers_404_to_a_facility_not_on_the_platform(client, platform_with_evidence, other_facility):
    from facilities.models import MemberRole
    from facilities.tests.factories import MembershipFactory

    outsider = UserFactory()
    MembershipFactory(user=outsider, facility=other_facility, role=MemberRole.STAFF)
    client.force_login(outsider)
    url = reverse("assessments:platform_evidence", args=[platform_with_evidence.pk])
    assert client.get(url).status_code == 404


def test_an_uploaded_evidence_file_is_checked_by_content(officer_client, platform):
    response = officer_client.post(
        reverse("assessments:platform_edit", args=[platform.pk]),
        {"name": platform.name, "operator": "Sở Y tế", "evidence": SimpleUploadedFile("a.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 400
    platform.refresh_from_db()
    assert not platform.evidence_file


def test_the_list_page_costs_a_fixed_number_of_queries(officer_client, officer, django_assert_max_num_queries, v2):
    for n in range(5):
        services.platform_save(
            platform=SharedPlatform(name=f"Nền tảng {n}"),
            criteria_codes=["B1"],
            members={FacilityFactory().pk, FacilityFactory().pk},
            by=officer,
        )
    with django_assert_max_num_queries(6):
        response = officer_client.get(reverse("assessments:platforms"))
    assert response.content.decode().count('<td><a href="/assessments/platforms/') == 5
