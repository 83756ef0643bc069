"""The rules as plain functions, with the expected projections computed by hand in the comments."""

import datetime
from fractions import Fraction

import pytest

from compliance import rules
from compliance.models import Projection
from compliance.rules import Facts, MilestoneFact
from core.models import Status
from milestones.models import MilestoneKind as K
from reports.models import Stage

D = datetime.date


DEADLINE = D(2026, 9, 30)
PAPERLESS_FROM = D(2026, 10, 1)


def reports(*progress: tuple[str, int], total: int = 10, stage: int = Stage.HOSPITAL_WIDE):
    return [rules.CountedReport(D.fromisoformat(f"{m}-01"), stage, live, total) for m, live in progress]


def test_progress_is_live_over_total_of_the_latest_report():
    assert rules.progress(rules.CountedReport(D(2026, 1, 1), 3, 3, 8)) == Fraction(3, 8)


def test_progress_is_zero_without_a_report_or_without_departments():
    assert rules.progress(None) == 0
    assert rules.progress(rules.CountedReport(D(2026, 1, 1), 0, 0, 0)) == 0


def test_one_point_projects_nothing():
    assert rules.projected_completion(reports(("2026-01", 5))) == (Projection.UNKNOWN, None)
    assert rules.projected_completion([]) == (Projection.UNKNOWN, None)


def test_two_points_project_the_day_the_line_reaches_100_percent():
    # 31/01: 20 %, 28/02: 40 %: +20 points in 28 days, so the missing 60 points take 84 days: 28/02 + 84 = 23/05.
    assert rules.projected_completion(reports(("2026-01", 2), ("2026-02", 4))) == (Projection.DATE, D(2026, 5, 23))


def test_a_fractional_day_is_rounded_up():
    # 31/01: 0 %, 28/02: 30 %: 100 % after 28 / 0.3 = 93.33 days, so on day 94 after 31/01
    # (28/02 is day 28, 31/03 day 59, 30/04 day 89): 05/05.
    assert rules.projected_completion(reports(("2026-01", 0), ("2026-02", 3))) == (Projection.DATE, D(2026, 5, 5))


# Six reports, January to June 2026, at 1, 2, 4, 5, 6 and 8 of 10 departments. With x in days after 31/01
# (0, 28, 59, 89, 120, 150) and y the progress: n = 6, Σx = 446, Σy = 2.6, Σx² = 49086, Σxy = 265.7;
# slope = (6·265.7 − 446·2.6) / (6·49086 − 446²) = 434.6 / 95600 = 2173 / 478000 per day;
# intercept = (2.6 − slope·446) / 6 = 273642 / 2868000; 100 % at x = (1 − intercept) / slope
# = 2594358 / 13038 = 198.98…, rounded up to day 199: 31/01 + 199 days = 18/08/2026.
SIX = (("2026-01", 1), ("2026-02", 2), ("2026-03", 4), ("2026-04", 5), ("2026-05", 6), ("2026-06", 8))


def test_six_points_project_by_least_squares():
    assert rules.projected_completion(reports(*SIX)) == (Projection.DATE, D(2026, 8, 18))


def test_only_the_last_six_points_count():
    # An old report at 90 % would drag the line down if it were used.
    assert rules.projected_completion(reports(("2025-12", 9), *SIX)) == (Projection.DATE, D(2026, 8, 18))


def test_a_flat_line_projects_never():
    assert rules.projected_completion(reports(("2026-01", 5), ("2026-02", 5), ("2026-03", 5))) == (
        Projection.NEVER,
        None,
    )


def test_a_falling_line_projects_never():
    assert rules.projected_completion(reports(("2026-01", 6), ("2026-02", 5))) == (Projection.NEVER, None)


def test_a_line_already_past_100_percent_projects_the_day_it_got_there():
    # 31/01: 50 %, 28/02: 100 %: the line reaches 100 % on 28/02 itself.
    assert rules.projected_completion(reports(("2026-01", 5), ("2026-02", 10))) == (Projection.DATE, D(2026, 2, 28))


@pytest.mark.parametrize(
    ("latest", "as_of", "stale"),
    [
        (None, D(2026, 6, 10), True),
        (D(2026, 3, 1), D(2026, 6, 10), True),  # April and May both missing
        (D(2026, 4, 1), D(2026, 6, 10), False),
        (D(2026, 5, 1), D(2026, 6, 1), False),  # May ended on 31/05, before D
        (D(2026, 3, 1), D(2026, 5, 31), False),  # May has not ended: March and April are the last two
    ],
)
def test_stale_means_no_approved_report_for_either_of_the_last_two_complete_months(latest, as_of, stale):
    assert rules.is_stale(latest, as_of) is stale


def test_a_flat_line_at_100_percent_projects_the_end_of_the_latest_month():
    assert rules.projected_completion(reports(("2026-01", 10), ("2026-02", 10))) == (Projection.DATE, D(2026, 2, 28))


def risks(**overrides):
    values = {
        "projection": Projection.DATE,
        "projected": D(2026, 8, 1),
        "deadline": DEADLINE,
        "stale": False,
        "mandatory": True,
        "stage": Stage.HOSPITAL_WIDE,
        "decision_counted": True,
        "days_left": 120,
    }
    return rules.at_risk_rules(**(values | overrides))


def test_no_risk_when_every_rule_is_satisfied():
    assert risks() == []


def test_every_risk_that_holds_is_named_in_order():
    everything = risks(
        projection=Projection.NEVER,
        projected=None,
        stale=True,
        mandatory=False,
        stage=Stage.NOT_STARTED,
        decision_counted=False,
        days_left=10,
    )
    assert everything == ["a", "b", "c", "d", "e"]


def test_projection_after_the_deadline_is_a_risk_but_on_the_deadline_is_not():
    assert risks(projected=D(2026, 10, 1)) == ["a"]
    assert risks(projected=DEADLINE) == []
    assert risks(projection=Projection.UNKNOWN, projected=None) == []


@pytest.mark.parametrize(("days_left", "expected"), [(91, []), (90, []), (89, ["c"])])
def test_mandatory_criteria_matter_with_fewer_than_90_days_left(days_left, expected):
    assert risks(mandatory=False, days_left=days_left) == expected


@pytest.mark.parametrize(("days_left", "expected"), [(61, []), (60, []), (59, ["d"])])
def test_stage_before_facility_wide_matters_with_fewer_than_60_days_left(days_left, expected):
    assert risks(stage=Stage.PILOT, days_left=days_left) == expected
    assert risks(stage=Stage.HOSPITAL_WIDE, days_left=days_left) == []


@pytest.mark.parametrize(("days_left", "expected"), [(31, []), (30, []), (29, ["e"])])
def test_no_counted_decision_matters_with_fewer_than_30_days_left(days_left, expected):
    assert risks(decision_counted=False, days_left=days_left) == expected


def status(**overrides):
    values = {"deployed_on": None, "deadline": DEADLINE, "as_of": D(2026, 9, 1), "has_data": True, "risks": []}
    return rules.deployment_status(**(values | overrides))


def test_deployment_status_first_matching_rule_wins():
    assert status(deployed_on=DEADLINE, as_of=D(2026, 12, 1)) == "deployed_on_time"
    assert status(deployed_on=D(2026, 10, 1), as_of=D(2026, 11, 1)) == "deployed_late"
    assert status(as_of=D(2026, 10, 1), risks=["b"], has_data=False) == "overdue"
    assert status(as_of=DEADLINE, risks=["b"]) == "at_risk"
    assert status(has_data=False, risks=["b"]) == "no_data"
    assert status() == "on_track"


# What counts as of D.


def noon(day: D) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=rules.day_end(day).tzinfo)


def late_evening(day: D) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=rules.day_end(day).tzinfo)


def test_a_report_approved_on_d_counts():
    assert rules.report_counts(Status.APPROVED, late_evening(D(2026, 10, 1)), D(2026, 9, 1), D(2026, 10, 1))


def test_a_report_approved_the_day_after_d_does_not_count():
    assert not rules.report_counts(Status.APPROVED, noon(D(2026, 10, 2)), D(2026, 9, 1), D(2026, 10, 1))


def test_a_report_for_the_month_ending_the_day_before_d_counts_but_not_for_the_month_ending_on_d():
    assert rules.report_counts(Status.APPROVED, noon(D(2026, 9, 30)), D(2026, 9, 1), D(2026, 10, 1))
    assert not rules.report_counts(Status.APPROVED, noon(D(2026, 9, 30)), D(2026, 9, 1), D(2026, 9, 30))
    assert rules.first_uncounted_month(D(2026, 10, 1)) == D(2026, 10, 1)


def test_a_submitted_report_does_not_count():
    assert not rules.report_counts(Status.SUBMITTED, None, D(2026, 8, 1), D(2026, 10, 1))


def test_an_approval_without_a_review_time_counts():
    assert rules.approved_by_end_of(Status.APPROVED, None, D(2026, 10, 1))
    assert rules.milestone_counts(MilestoneFact(K.DECISION, D(2026, 9, 29), Status.APPROVED, None), D(2026, 9, 30))


def test_a_milestone_verified_after_d_does_not_count_on_d():
    decision = MilestoneFact(K.DECISION, D(2026, 9, 29), Status.APPROVED, noon(D(2026, 10, 1)))
    assert not rules.milestone_counts(decision, D(2026, 9, 30))
    assert rules.milestone_counts(decision, D(2026, 10, 1))


def test_a_milestone_dated_after_d_does_not_count_on_d():
    decision = MilestoneFact(K.DECISION, D(2026, 10, 2), Status.APPROVED, noon(D(2026, 9, 1)))
    assert not rules.milestone_counts(decision, D(2026, 10, 1))


def test_deadline_is_the_extension_else_the_types_else_the_provinces():
    assert rules.deadline(D(2026, 12, 31), D(2025, 9, 30), DEADLINE) == D(2026, 12, 31)
    assert rules.deadline(None, D(2025, 9, 30), DEADLINE) == D(2025, 9, 30)
    assert rules.deadline(None, None, DEADLINE) == DEADLINE
    assert rules.paperless_from(None, PAPERLESS_FROM) == PAPERLESS_FROM
    assert rules.extension_beyond_legal(D(2027, 3, 31), D(2026, 12, 31))
    assert not rules.extension_beyond_legal(D(2026, 12, 31), D(2026, 12, 31))


# Whole evaluations, as pure functions.


def verified(kind, day, **kwargs):
    return MilestoneFact(kind, day, Status.APPROVED, noon(day), **kwargs)


def deployed_milestones(decision: D, *, stopped: D | None = None, assessed: D | None = None):
    assessed = assessed or D(2026, 8, 20)
    milestones = {
        K.SELF_ASSESSED: verified(K.SELF_ASSESSED, assessed, assessment_mandatory_met=True),
        K.DECISION: verified(K.DECISION, decision),
    }
    if stopped:
        milestones[K.PAPER_STOPPED] = verified(K.PAPER_STOPPED, stopped)
    return milestones


FULL = rules.CountedReport(D(2026, 9, 1), Stage.HOSPITAL_WIDE, 10, 10, 100, 100, 500, 500)


def facts(**overrides):
    values = {
        "facility_id": 1,
        "deadline": DEADLINE,
        "paperless_from": PAPERLESS_FROM,
        "legal_deadline": D(2026, 12, 31),
        "reports": [FULL],
        "mandatory_met": True,
    }
    return Facts(**(values | overrides))


def test_a_decision_on_the_deadline_is_deployed_on_time():
    result = rules.evaluate(facts(milestones=deployed_milestones(DEADLINE)), D(2026, 10, 15))
    assert (result.status, result.deployment_date) == ("deployed_on_time", DEADLINE)
    assert result.reasons == [{"code": "deployed", "date": "2026-09-30"}]
    assert result.projection == Projection.DEPLOYED and result.projected_completion is None


def test_a_decision_the_day_after_the_deadline_is_deployed_late():
    result = rules.evaluate(facts(milestones=deployed_milestones(D(2026, 10, 1))), D(2026, 10, 15))
    assert (result.status, result.deployment_date) == ("deployed_late", D(2026, 10, 1))
    assert result.reasons == [{"code": "deployed_after_deadline", "date": "2026-10-01", "deadline": "2026-09-30"}]


def test_a_decision_in_time_and_paper_stopped_on_the_paperless_date_are_both_on_time():
    """The dispatch exactly as ordered: deployed by 30/09, paper replaced from 01/10."""
    milestones = deployed_milestones(D(2026, 9, 25), stopped=PAPERLESS_FROM)
    result = rules.evaluate(facts(milestones=milestones), D(2026, 10, 2))
    assert (result.status, result.paperless_status) == ("deployed_on_time", "paperless_on_time")
    assert result.paperless_date == PAPERLESS_FROM
    assert result.paperless_reasons == [{"code": "paperless", "date": "2026-10-01"}]


def test_paper_stopped_after_the_paperless_date_is_late():
    milestones = deployed_milestones(D(2026, 9, 25), stopped=D(2026, 10, 2))
    result = rules.evaluate(facts(milestones=milestones), D(2026, 10, 5))
    assert result.paperless_status == "paperless_late"
    assert result.paperless_reasons == [{"code": "paperless_late", "date": "2026-10-02", "from": "2026-10-01"}]


def test_before_the_paperless_date_paper_is_not_due():
    result = rules.evaluate(facts(milestones=deployed_milestones(D(2026, 9, 25))), D(2026, 9, 30))
    assert result.paperless_status == "not_due"
    assert result.paperless_reasons[0] == {"code": "not_due", "from": "2026-10-01"}
    assert {"code": "paper_stop_missing"} in result.paperless_reasons


def test_paper_in_use_names_the_records_still_on_paper():
    milestones = deployed_milestones(D(2026, 9, 25), stopped=D(2026, 10, 1))
    report = FULL._replace(period=D(2026, 10, 1), inpatient_electronic=90)
    result = rules.evaluate(facts(milestones=milestones, reports=[FULL, report]), D(2026, 11, 10))
    assert result.paperless_status == "paper_in_use"
    assert result.paperless_reasons == [
        {"code": "records_on_paper", "kind": "inpatient", "month": "2026-10", "electronic": 90, "total": 100}
    ]


def test_a_month_without_new_records_counts_as_all_electronic():
    milestones = deployed_milestones(D(2026, 9, 25), stopped=D(2026, 10, 1))
    empty = FULL._replace(period=D(2026, 10, 1), inpatient_records=0, inpatient_electronic=0)
    result = rules.evaluate(facts(milestones=milestones, reports=[FULL, empty]), D(2026, 11, 10))
    assert result.paperless_status == "paperless_on_time"


def test_outpatient_records_matter_only_where_the_facility_treats_outpatients():
    milestones = deployed_milestones(D(2026, 9, 25), stopped=D(2026, 10, 1))
    report = FULL._replace(outpatient_electronic=10)
    assert rules.evaluate(facts(milestones=milestones, reports=[report]), D(2026, 10, 5)).paperless_status == (
        "paper_in_use"
    )
    no_outpatients = facts(milestones=milestones, reports=[report], treats_outpatients=False)
    assert rules.evaluate(no_outpatients, D(2026, 10, 5)).paperless_status == "paperless_on_time"


def test_an_overdue_facility_at_100_percent_names_its_missing_decision():
    milestones = {K.SELF_ASSESSED: verified(K.SELF_ASSESSED, D(2026, 8, 20), assessment_mandatory_met=True)}
    result = rules.evaluate(facts(milestones=milestones), D(2026, 10, 15))
    assert result.status == "overdue" and result.progress == 1
    assert result.reasons[0] == {"code": "decision_missing"}
    assert {"code": "overdue"} not in result.reasons


def test_a_submitted_decision_is_named_unverified():
    milestones = deployed_milestones(D(2026, 9, 29))
    milestones[K.DECISION] = milestones[K.DECISION]._replace(status=Status.SUBMITTED, reviewed_at=None)
    result = rules.evaluate(facts(milestones=milestones), D(2026, 9, 30))
    assert result.status == "at_risk"  # e: no counted decision with fewer than 30 days left
    assert result.reasons[0] == {"code": "decision_unverified", "date": "2026-09-29"}


def test_a_decision_verified_after_d_does_not_deploy_on_d():
    milestones = deployed_milestones(D(2026, 9, 29))
    milestones[K.DECISION] = milestones[K.DECISION]._replace(reviewed_at=noon(D(2026, 10, 1)))
    assert not rules.evaluate(facts(milestones=milestones), D(2026, 9, 30)).deployed
    assert rules.evaluate(facts(milestones=milestones), D(2026, 10, 1)).deployment_date == D(2026, 9, 29)


def test_a_self_assessment_on_unmet_mandatory_criteria_does_not_deploy():
    milestones = deployed_milestones(D(2026, 9, 29))
    milestones[K.SELF_ASSESSED] = milestones[K.SELF_ASSESSED]._replace(assessment_mandatory_met=False)
    result = rules.evaluate(facts(milestones=milestones, mandatory_met=False, unmet=("B3", "E1")), D(2026, 10, 5))
    assert result.status == "overdue"
    assert {"code": "mandatory_unmet", "criteria": ["B3", "E1"]} in result.reasons


def test_a_self_assessment_dated_after_the_decision_does_not_deploy():
    milestones = deployed_milestones(D(2026, 9, 1), assessed=D(2026, 9, 10))
    result = rules.evaluate(facts(milestones=milestones), D(2026, 10, 5))
    assert not result.deployed
    assert {"code": "self_assessment_after_decision", "date": "2026-09-10", "decision": "2026-09-01"} in (
        result.reasons
    )


def test_a_hospital_deployed_after_its_legal_deadline_is_flagged():
    hospital = facts(milestones=deployed_milestones(D(2026, 9, 15)), legal_deadline=D(2025, 9, 30))
    result = rules.evaluate(hospital, D(2026, 10, 5))
    assert result.status == "deployed_on_time" and result.after_legal_deadline
    assert {"code": "after_legal_deadline", "deadline": "2025-09-30"} in result.reasons
    other = rules.evaluate(facts(milestones=deployed_milestones(D(2026, 9, 15))), D(2026, 10, 5))
    assert not other.after_legal_deadline


def test_at_risk_names_each_thing_it_lacks():
    report = rules.CountedReport(D(2026, 6, 1), Stage.PILOT, 5, 12)
    result = rules.evaluate(facts(reports=[report], mandatory_met=False), D(2026, 9, 5))
    assert result.status == "at_risk"
    assert result.reasons == [
        {"code": "decision_missing"},
        {"code": "self_assessment_missing"},
        {"code": "mandatory_unmet", "criteria": []},
        {"code": "departments", "live": 5, "total": 12},
        {"code": "stage", "stage": 2},
        {"code": "months_missing", "months": ["2026-07", "2026-08"]},
    ]


def test_no_data_names_what_is_missing():
    result = rules.evaluate(facts(reports=[], mandatory_met=None), D(2026, 6, 5))
    assert result.status == "no_data"
    assert result.reasons == [
        {"code": "decision_missing"},
        {"code": "self_assessment_missing"},
        {"code": "assessment_missing"},
        {"code": "report_missing"},
    ]


def test_the_stage_is_the_furthest_of_the_report_and_the_counted_milestones():
    milestones = {K.SELF_ASSESSED: verified(K.SELF_ASSESSED, D(2026, 8, 20), assessment_mandatory_met=True)}
    report = rules.CountedReport(D(2026, 8, 1), Stage.PILOT, 5, 10)
    assert rules.evaluate(facts(reports=[report], milestones=milestones), D(2026, 9, 5)).latest_stage == (
        Stage.SELF_ASSESSED
    )
