"""The data migration that makes milestones from the monthly reports and the A7/A8 answers, from the previous schema."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.tests.migration_data import as_migrated  # noqa: F401 (an autouse fixture for this module)

MIGRATION = ("milestones", "0003_milestones_from_reports_and_answers")
BEFORE = [("milestones", "0002_evidence_name_and_type"), ("reports", "0004_first_submitted_at")]
D = datetime.date


def _migrate(overrides):
    """Migrate milestones and reports to the given migrations, every other app to its latest; the state's apps."""
    executor = MigrationExecutor(connection)
    targets = dict(executor.loader.graph.leaf_nodes()) | dict(overrides)
    executor.migrate(list(targets.items()))
    executor.loader.build_graph()
    return executor.loader.project_state(list(targets.items())).apps


pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def old_apps():
    """The schema before the migration; afterwards every app is migrated to its latest state again."""
    yield _migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_milestones_are_made_from_reports_and_answers(old_apps):
    Area = old_apps.get_model("facilities", "Area")
    Facility = old_apps.get_model("facilities", "Facility")
    FacilityType = old_apps.get_model("facilities", "FacilityType")
    Membership = old_apps.get_model("facilities", "Membership")
    User = old_apps.get_model("accounts", "User")
    MonthlyReport = old_apps.get_model("reports", "MonthlyReport")
    Assessment = old_apps.get_model("assessments", "Assessment")
    Answer = old_apps.get_model("assessments", "Answer")
    Catalogue = old_apps.get_model("assessments", "Catalogue")
    Criterion = old_apps.get_model("assessments", "Criterion")

    area = Area.objects.create(code="29999", name="Xã Thử")
    station = FacilityType.objects.get(code="health_station")
    head = User.objects.create(username="truong", first_name="Đặng Hữu", last_name="Phúc")
    officer = User.objects.create(username="canbo", role="officer")
    reported = Facility.objects.create(
        code="82221",
        name="Trạm Y tế xã Tân Hồng",
        type=station,
        area=area,
        head_name="Đặng Hữu Phúc",
        has_inpatient=True,
        has_outpatient=False,
    )
    Membership.objects.create(user=head, facility=reported, role="head")
    answered = Facility.objects.create(code="82222", name="Trạm Y tế xã Tân Hộ Cơ", type=station, area=area)
    reviewed = timezone.make_aware(datetime.datetime(2026, 10, 3, 10, 0))
    assessment = Assessment.objects.create(
        facility=reported, catalogue=Catalogue.objects.get(version=1), status="approved", reviewed_at=reviewed
    )
    common = {"facility": reported, "departments_total": 4, "departments_live": 4}
    MonthlyReport.objects.create(period=D(2026, 8, 1), stage=4, status="approved", **common)
    MonthlyReport.objects.create(
        period=D(2026, 9, 1),
        stage=6,
        status="approved",
        decision_number="125/QĐ-TYT",
        decision_date=D(2026, 9, 29),
        announced_date=D(2026, 9, 30),
        submitted_at=reviewed,
        submitted_by=head,
        attested_by_name="Đặng Hữu Phúc",
        reviewed_at=reviewed,
        reviewed_by=officer,
        **common,
    )
    MonthlyReport.objects.create(
        period=D(2026, 10, 1),
        stage=7,
        status="draft",
        decision_number="125/QĐ-TYT",
        decision_date=D(2026, 9, 29),
        paper_stopped_date=D(2026, 10, 1),
        **common,
    )
    answered_assessment = Assessment.objects.create(
        facility=answered, catalogue=Catalogue.objects.get(version=1), status="submitted", submitted_at=reviewed
    )
    a7 = Criterion.objects.get(group__catalogue__version=1, code="A7")
    a8 = Criterion.objects.get(group__catalogue__version=1, code="A8")
    Answer.objects.create(assessment=answered_assessment, criterion=a7, value_date=D(2026, 9, 20), note="7/QĐ-TYT")
    Answer.objects.create(assessment=answered_assessment, criterion=a8, value_date=D(2026, 9, 25))
    Answer.objects.create(assessment=assessment, criterion=a7, value_date=D(2026, 1, 1))  # a report says better

    apps = _migrate([("milestones", "0005_report_stages_up_to_hospital_wide"), BEFORE[1]])
    Milestone = apps.get_model("milestones", "Milestone")
    MonthlyReport = apps.get_model("reports", "MonthlyReport")

    ms = {m.kind: m for m in Milestone.objects.filter(facility__code="82221")}
    assert set(ms) == {"self_assessed", "decision", "announced", "paper_stopped"}
    decision = ms["decision"]
    assert (decision.number, decision.date, decision.effective_date) == ("125/QĐ-TYT", D(2026, 9, 29), D(2026, 9, 29))
    # The approved September report, not the October draft, gives the decision: verified as that report was.
    assert decision.status == "approved" and decision.reviewed_at == reviewed and decision.reviewed_by_id == officer.pk
    assert decision.head_confirmed and decision.signer == "Đặng Hữu Phúc"
    assert decision.scope_inpatient and not decision.scope_outpatient
    assert ms["announced"].date == D(2026, 9, 30) and ms["announced"].status == "approved"
    assert ms["paper_stopped"].date == D(2026, 10, 1) and ms["paper_stopped"].status == "draft"
    self_assessed = ms["self_assessed"]
    assert self_assessed.date == D(2026, 8, 31) and self_assessed.assessment_id == assessment.pk
    assert self_assessed.status == "approved"

    from_answers = {m.kind: m for m in Milestone.objects.filter(facility__code="82222")}
    assert set(from_answers) == {"decision", "announced"}
    assert from_answers["decision"].date == D(2026, 9, 20) and from_answers["decision"].number == "7/QĐ-TYT"
    assert from_answers["decision"].status == "submitted" and not from_answers["decision"].head_confirmed
    assert from_answers["announced"].date == D(2026, 9, 25)

    # 0005: the reports' stages stop at hospital-wide once their milestones are made.
    assert sorted(MonthlyReport.objects.values_list("stage", flat=True)) == [3, 3, 3]
    HistoricalMilestone = apps.get_model("milestones", "HistoricalMilestone")
    assert HistoricalMilestone.objects.filter(history_change_reason="migrated").count() == 6
