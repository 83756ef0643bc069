"""Catalogue version 2: the legal definition of EMR deployed decides compliance; legal dates, not-applicable
answers with a reason, regional centres for H1, shared platforms, stored gap codes and carried-over answers."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from assessments import services
from assessments.models import Answer, AnswerStatus, Assessment, Criterion, SharedPlatform
from assessments.scoring import catalogue_criteria, evaluate, evaluate_assessment, facility_flags
from core.models import Status
from facilities.tests.factories import FacilityFactory, facility_type

from .factories import AssessmentFactory
from .test_views import form_data

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
LEGAL_SET = ["A3", "B1", "B2", "B3", "B4", "B6", "C2", "C3", "C4", "C5", "C7", "D1", "D2", "D3", "E1", "E2", "G3"]
PROVINCIAL_HIS = ["B3", "B4", "B6", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "E1", "E2", "I1"]


def _mandatory(catalogue, facility, *, rented=False, checks=False, today=datetime.date(2026, 11, 25)):
    criteria = catalogue_criteria(catalogue.pk)
    flags = facility_flags(facility, rented=rented, health_checks=checks)
    return [c.code for c in evaluate(criteria, {}, **flags, today=today).mandatory_gaps]


def test_version_2_keeps_version_1_and_decides_compliance_on_the_legal_set_only(v1, v2):
    assert [c.code for c in catalogue_criteria(v2.pk) if c.decides_compliance] == LEGAL_SET
    codes = {c.code for c in catalogue_criteria(v2.pk)}
    assert "A7" not in codes and "A8" not in codes and len(codes) == 59
    assert Criterion.objects.filter(group__catalogue=v1).count() == 61  # v1 untouched
    assert Criterion.objects.filter(group__catalogue=v1, decides_compliance=True).count() == 48  # its B and B?
    b7 = Criterion.objects.get(group__catalogue=v2, code="B7")
    c14 = Criterion.objects.get(group__catalogue=v2, code="C14")
    assert (b7.mandatory, b7.decides_compliance, c14.mandatory, c14.decides_compliance) == ("B?", False, "B", False)
    assert c14.threshold_by_doh and not Criterion.objects.get(group__catalogue=v2, code="C2").threshold_by_doh


@pytest.mark.parametrize(
    ("type_code", "bhyt", "expected"),
    [
        ("health_station", True, LEGAL_SET),
        ("health_station", False, [c for c in LEGAL_SET if c != "D2"]),
        ("general_hospital", True, LEGAL_SET),
        ("regional_centre", True, LEGAL_SET),
    ],
)
def test_the_mandatory_set_per_facility_type_is_the_legal_definition(v2, type_code, bhyt, expected):
    facility = FacilityFactory(type=facility_type(type_code), bhyt_contract=bhyt)
    assert _mandatory(v2, facility) == expected
    assert len(_mandatory(v2.__class__.objects.get(version=1), facility)) >= 40  # what v1 asked: 44 to 46


def test_h1_applies_to_hospitals_and_regional_centres_not_to_stations(v2):
    h1 = Criterion.objects.get(group__catalogue=v2, code="H1")
    for type_code, applies in [("general_hospital", True), ("regional_centre", True), ("health_station", False)]:
        facility = FacilityFactory(type=facility_type(type_code))
        evaluation = evaluate([h1], {}, **facility_flags(facility, rented=False, health_checks=False))
        assert (h1 in evaluation.applicable) is applies, type_code


@pytest.mark.parametrize(("code", "date"), [("G6", datetime.date(2027, 1, 1)), ("D4", datetime.date(2027, 4, 10))])
def test_a_criterion_with_a_later_legal_date_is_no_gap_before_it_and_a_gap_from_it(v2, code, date):
    criterion = Criterion.objects.get(group__catalogue=v2, code=code)
    facility = FacilityFactory(bhyt_contract=True)
    flags = facility_flags(facility, rented=False, health_checks=False)
    before = evaluate([criterion], {}, **flags, today=date - datetime.timedelta(days=1))
    assert before.gaps == [] and before.upcoming == [criterion] and before.score == 0 and before.applicable == []
    on = evaluate([criterion], {}, **flags, today=date)
    assert on.gaps == [criterion] and on.upcoming == []


def test_not_applicable_needs_a_criterion_that_allows_it_and_a_reason(v2):
    c12 = Criterion.objects.get(group__catalogue=v2, code="C12")
    b7 = Criterion.objects.get(group__catalogue=v2, code="B7")
    flags = facility_flags(FacilityFactory(), rented=False, health_checks=False)
    na = lambda c, note: Answer(criterion=c, status=AnswerStatus.NOT_APPLICABLE, note=note)  # noqa: E731
    evaluation = evaluate([c12, b7], {c12.id: na(c12, "Trạm không có chẩn đoán hình ảnh"), b7.id: na(b7, "x")}, **flags)
    assert evaluation.not_applicable_ids == {c12.id}
    assert evaluation.gaps == [b7]  # B7 does not allow "not applicable": still a gap
    assert evaluate([c12], {c12.id: na(c12, "  ")}, **flags).gaps == [c12]  # no reason, no exemption


@time_machine.travel(NOW)
def test_the_form_refuses_not_applicable_without_a_reason_and_shows_the_labels(staff_client, facility, v2):
    url = reverse("assessments:create", args=[facility.code])
    body = staff_client.get(url).content.decode()
    assert 'value="na"' in body and body.count('value="na"') == 4  # A9, C11, C12, E7 only
    assert "ngưỡng do Sở Y tế chọn" in body and "Bắt buộc từ 01/01/2027" in body and "Quyết định tuân thủ" in body
    response = staff_client.post(url, form_data(value_C12="na", note_C12=""))
    assert response.status_code == 400
    assert "Ghi lý do tiêu chí không áp dụng cho cơ sở." in response.content.decode()
    assert not Assessment.objects.exists()
    response = staff_client.post(url, form_data(value_C12="na", note_C12="Trạm không có chẩn đoán hình ảnh"))
    assert response.status_code == 302
    answer = Answer.objects.get(criterion__code="C12")
    assert (answer.status, answer.met) == (AnswerStatus.NOT_APPLICABLE, False)
    detail = staff_client.get(reverse("assessments:detail", args=[answer.assessment_id])).content.decode()
    assert "Không áp dụng (lý do: Trạm không có chẩn đoán hình ảnh)" in detail


@time_machine.travel(NOW)
def test_platform_criteria_are_met_for_members_through_the_shared_platform(staff_client, facility, staff, v2):
    platform = SharedPlatform.objects.create(name="HIS dùng chung của tỉnh", criteria_codes=PROVINCIAL_HIS)
    platform.members.add(facility)
    assessment = services.assessment_new(facility=facility)
    criteria = catalogue_criteria(v2.pk)
    by_code = {c.code: c for c in criteria}
    met = {"value_bool": True, "status": AnswerStatus.MET}
    answers = {by_code[code].id: met for code in ["B2", "D2", "D3", "G3"]}
    answers[by_code["A3"].id] = {"value_date": datetime.date(2026, 5, 1)}
    answers |= {by_code["B1"].id: {"value_number": 100}, by_code["D1"].id: {"value_number": 100}}
    services.assessment_save_draft(assessment=assessment, answers=answers, by=staff, expected_version=None)
    assessment.refresh_from_db()
    assert assessment.mandatory_gaps == [] and assessment.mandatory_met
    body = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert body.count('data-state="platform"') == len(PROVINCIAL_HIS)
    assert "✓ đạt qua nền tảng dùng chung (HIS dùng chung của tỉnh)" in body
    assert "16 tiêu chí đạt qua nền tảng dùng chung" in body

    other = FacilityFactory()  # not a member: the same answers leave the platform's criteria as gaps
    flags = facility_flags(other, rented=False, health_checks=False)
    stored = {a.criterion_id: a for a in assessment.answers.all()}
    assert [c.code for c in evaluate(criteria, stored, **flags).mandatory_gaps] == [
        "B3", "B4", "B6", "C2", "C3", "C4", "C5", "C7", "E1", "E2",
    ]  # fmt: skip


@time_machine.travel(NOW)
def test_stored_gap_codes_follow_the_answers_and_the_approval(facility, staff, officer, v2):
    assessment = services.assessment_new(facility=facility)
    by_code = {c.code: c for c in catalogue_criteria(v2.pk)}
    services.assessment_save_draft(
        assessment=assessment,
        answers={by_code["A3"].id: {"value_date": datetime.date(2026, 5, 1)}},
        by=staff,
        expected_version=None,
    )
    assessment.refresh_from_db()
    assert assessment.mandatory_gaps == [c for c in LEGAL_SET if c != "A3"]
    assert assessment.mandatory_gaps == evaluate_assessment(assessment).mandatory_gap_codes
    SharedPlatform.objects.create(name="HIS", criteria_codes=PROVINCIAL_HIS).members.add(facility)
    services.assessment_submit(assessment=assessment, by=staff, attested_by_name="Đặng Hữu Phúc", head_confirms=True)
    services.assessment_approve(assessment=Assessment.objects.get(pk=assessment.pk), by=officer)
    assessment.refresh_from_db()
    assert assessment.mandatory_gaps == ["B1", "B2", "D1", "D2", "D3", "G3"]  # as of the approval day
    assert assessment.history.first().history_change_reason == "results recomputed"


@time_machine.travel(NOW)
def test_a_new_assessment_on_v2_carries_over_the_v1_answers_of_the_same_criteria(staff_client, facility, v1, v2):
    old = AssessmentFactory(facility=facility, catalogue=v1, status=Status.APPROVED, his_vendor="VNPT-HIS")
    old.reviewed_at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    old.save()
    v1_codes = {c.code: c for c in catalogue_criteria(v1.pk)}
    Answer.objects.create(assessment=old, criterion=v1_codes["A5"], value_bool=True, met=True)
    Answer.objects.create(assessment=old, criterion=v1_codes["A7"], value_date=datetime.date(2026, 2, 1), met=True)
    Answer.objects.create(assessment=old, criterion=v1_codes["D1"], value_number=80)
    body = staff_client.get(reverse("assessments:create", args=[facility.code])).content.decode()
    assert 'name="value_A5" value="yes" class="form-check-input" id="id_value_A5_0" checked' in body
    assert 'name="value_D1" value="80"' in body
    assert 'value="VNPT-HIS"' in body
    assert "Đã điền sẵn các câu trả lời" in body
