"""Catalogue version 1 from the data migration, and versioning: new versions never touch old assessments."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assessments import services
from assessments.models import AnswerType, Catalogue, Criterion, Mandatory
from assessments.scoring import catalogue_criteria, evaluate_assessment

from .factories import AssessmentFactory, CatalogueFactory

pytestmark = pytest.mark.django_db


def test_version_1_holds_the_nine_groups_and_every_criterion(v1):
    assert Catalogue.objects.current().version == 2  # v1 stays published; new assessments take v2
    assert v1.is_published
    assert list(v1.groups.values_list("code", flat=True)) == list("ABCDEFGHI")
    assert v1.groups.get(code="A").name == "Pháp lý – tổ chức"
    assert v1.groups.get(code="A").name_en == "Governance and legal"
    codes = [c.code for c in catalogue_criteria(v1.pk)]
    expected_counts = {"A": 10, "B": 9, "C": 14, "D": 4, "E": 7, "F": 5, "G": 7, "H": 4, "I": 1}
    for group, count in expected_counts.items():
        assert [f"{group}{i}" for i in range(1, count + 1)] == [c for c in codes if c[0] == group]
    assert len(codes) == 61


def test_every_criterion_has_both_languages_and_a_weight_by_mandatory_level(v1):
    weights = {Mandatory.REQUIRED: 3, Mandatory.WHERE_APPLIES: 2, Mandatory.RECOMMENDED: 1}
    for c in catalogue_criteria(v1.pk):
        assert c.text and c.text_en and c.text != c.text_en, c.code
        assert c.weight == weights[c.mandatory], c.code
        if c.mandatory == Mandatory.WHERE_APPLIES:
            assert c.applicability_note and c.applicability_note_en, c.code
        if c.answer_type in (AnswerType.NUMBER, AnswerType.PERCENT):
            assert c.threshold is not None, c.code


@pytest.mark.parametrize(
    ("code", "mandatory", "answer_type", "threshold"),
    [
        ("A3", "B", "date", None),
        ("A7", "B", "date", None),
        ("A8", "B?", "date", None),
        ("A1", "N", "yes_no", None),
        ("C2", "B", "percent", 100),
        ("D1", "B", "percent", 100),
        ("H3", "N", "percent", 80),
        ("H2", "N", "number", 1),
        ("G3", "B", "yes_no", None),
    ],
)
def test_criteria_answer_types_and_thresholds(v1, code, mandatory, answer_type, threshold):
    c = Criterion.objects.get(group__catalogue=v1, code=code)
    assert (c.mandatory, c.answer_type) == (mandatory, answer_type)
    assert c.threshold == (None if threshold is None else Decimal(threshold))


@pytest.mark.parametrize(
    ("code", "flag"),
    [
        ("H1", "applies_to_others"),
        ("D2", "requires_bhyt"),
        ("G1", "requires_bhyt"),
        ("G2", "requires_bhyt"),
        ("A10", "requires_rented_software"),
        ("F4", "requires_rented_software"),
        ("G5", "requires_health_checks"),
    ],
)
def test_applicability_flags_of_version_1(v1, code, flag):
    c = Criterion.objects.get(group__catalogue=v1, code=code)
    assert getattr(c, flag) is (flag != "applies_to_others")


def test_copy_as_draft_copies_groups_and_criteria(v1):
    draft = services.catalogue_copy_as_draft(catalogue=v1)
    assert draft.version == 3 and not draft.is_published
    assert Catalogue.objects.current().version == 2  # a draft is not used yet
    assert draft.groups.count() == 9
    assert Criterion.objects.filter(group__catalogue=draft).count() == 61
    assert Criterion.objects.filter(group__catalogue=v1).count() == 61


def test_publishing_a_new_version_leaves_old_assessments_unchanged(facility, staff, v1):
    criteria = {c.code: c for c in catalogue_criteria(v1.pk)}
    old = AssessmentFactory.build(facility=facility, catalogue=v1)
    answers = {criteria["A5"].id: {"value_bool": True}, criteria["D1"].id: {"value_number": Decimal(90)}}
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        services.assessment_save_draft(assessment=old, answers=answers, by=staff, expected_version=None)
    old.refresh_from_db()
    before = evaluate_assessment(old)
    score, gaps = old.score, [c.code for c in before.gaps]

    draft = services.catalogue_copy_as_draft(catalogue=v1)
    changed = Criterion.objects.get(group__catalogue=draft, code="G6")
    changed.mandatory, changed.weight, changed.text = Mandatory.REQUIRED, 3, "Liên thông kết quả cận lâm sàng"
    changed.save()
    Criterion.objects.filter(group__catalogue=draft, code="A5").delete()
    services.catalogue_publish(catalogue=draft)

    assert Catalogue.objects.current() == draft
    old.refresh_from_db()
    after = evaluate_assessment(old)
    assert old.catalogue == v1
    assert old.score == score == after.score
    assert [c.code for c in after.gaps] == gaps
    assert "A5" not in gaps and "G6" in gaps
    assert Criterion.objects.get(group__catalogue=v1, code="G6").mandatory == Mandatory.RECOMMENDED
    old.status = "approved"
    old.save()
    assert AssessmentFactory(facility=facility).catalogue == draft  # new assessments use the new version


def test_publishing_twice_or_empty_is_refused(v1):
    with pytest.raises(services.CatalogueError):
        services.catalogue_publish(catalogue=v1)
    with pytest.raises(services.CatalogueError):
        services.catalogue_publish(catalogue=CatalogueFactory(published_at=None))


def test_admin_shows_published_criteria_read_only(admin_client, v1):
    criterion = Criterion.objects.get(group__catalogue=v1, code="A3")
    url = reverse("admin:assessments_criterion_change", args=[criterion.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'name="text"' not in response.content.decode()  # shown, not editable
    admin_client.post(url, {"text": "Đã sửa", "code": "A3"})
    criterion.refresh_from_db()
    assert criterion.text != "Đã sửa"
    catalogue_url = reverse("admin:assessments_catalogue_change", args=[v1.pk])
    assert 'name="title"' not in admin_client.get(catalogue_url).content.decode()


def test_admin_copies_publishes_and_edits_drafts(admin_client, v1):
    changelist = reverse("admin:assessments_catalogue_changelist")
    admin_client.post(changelist, {"action": "copy_as_draft", "_selected_action": [v1.pk]})
    draft = Catalogue.objects.get(version=3)
    criterion = Criterion.objects.get(group__catalogue=draft, code="A3")
    response = admin_client.get(reverse("admin:assessments_criterion_change", args=[criterion.pk]))
    assert 'name="text"' in response.content.decode()  # a draft's criteria are editable
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    assert Catalogue.objects.current() == draft


def test_admin_adds_groups_to_draft_catalogues_only(admin_client, v1):
    draft = services.catalogue_copy_as_draft(catalogue=v1)
    add = reverse("admin:assessments_criteriongroup_add")
    choices = admin_client.get(add).context["adminform"].form.fields["catalogue"].queryset
    assert list(choices) == [draft]
    group = {"code": "J", "name": "Nhóm mới", "name_en": "New group", "order": "10"}
    response = admin_client.post(add, group | {"catalogue": v1.pk})
    assert response.status_code == 200  # the form again, with the error
    assert not v1.groups.filter(code="J").exists()
    assert admin_client.post(add, group | {"catalogue": draft.pk}).status_code == 302
    assert draft.groups.filter(code="J").exists()
    published_group = v1.groups.get(code="A")
    change = reverse("admin:assessments_criteriongroup_change", args=[published_group.pk])
    admin_client.post(change, {"code": "A", "name": "Đã sửa", "name_en": "Changed", "order": "1", "catalogue": v1.pk})
    published_group.refresh_from_db()
    assert published_group.name != "Đã sửa"
    moved = draft.groups.get(code="J")
    change = reverse("admin:assessments_criteriongroup_change", args=[moved.pk])
    admin_client.post(change, group | {"catalogue": v1.pk})
    moved.refresh_from_db()
    assert moved.catalogue == draft


def test_catalogue_page_shows_an_older_published_version(staff_client, v1):
    draft = services.catalogue_copy_as_draft(catalogue=v1)
    services.catalogue_publish(catalogue=draft)
    body = staff_client.get(reverse("assessments:catalogue") + "?version=1").content.decode()
    assert "phiên bản 1" in body
    assert "phiên bản 3" in staff_client.get(reverse("assessments:catalogue")).content.decode()


def test_catalogue_page_needs_login(client, v1):
    response = client.get(reverse("assessments:catalogue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
