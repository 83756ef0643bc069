"""The rules as plain functions, with the expected projections computed by hand in the comments."""

import datetime
from fractions import Fraction

import pytest

from compliance import rules
from compliance.models import Projection
from compliance.reasons import Reason
from reports.models import Stage

D = datetime.date


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


def risks(**overrides):
    values = {
        "projection": Projection.DATE,
        "projected": D(2026, 8, 1),
        "deadline": D(2026, 9, 30),
        "stale": False,
        "mandatory_met": True,
        "latest_stage": Stage.HOSPITAL_WIDE,
        "days_left": 120,
    }
    return rules.at_risk_reasons(**(values | overrides))


def test_no_risk_when_every_rule_is_satisfied():
    assert risks() == []


def test_every_risk_that_holds_is_a_reason_in_order():
    everything = risks(
        projection=Projection.NEVER, projected=None, stale=True, mandatory_met=None, latest_stage=None, days_left=10
    )
    assert everything == [Reason.PROJECTED_NEVER, Reason.STALE, Reason.MANDATORY_UNMET, Reason.EARLY_STAGE]


def test_projection_after_the_deadline_is_a_risk_but_on_the_deadline_is_not():
    assert risks(projected=D(2026, 10, 1)) == [Reason.PROJECTED_LATE]
    assert risks(projected=D(2026, 9, 30)) == []
    assert risks(projection=Projection.UNKNOWN, projected=None) == []


@pytest.mark.parametrize(("days_left", "expected"), [(91, []), (90, []), (89, [Reason.MANDATORY_UNMET])])
def test_mandatory_criteria_matter_with_fewer_than_90_days_left(days_left, expected):
    assert risks(mandatory_met=False, days_left=days_left) == expected
    assert risks(mandatory_met=None, days_left=days_left) == expected  # no approved assessment


@pytest.mark.parametrize(("days_left", "expected"), [(61, []), (60, []), (59, [Reason.EARLY_STAGE])])
def test_stage_before_facility_wide_matters_with_fewer_than_60_days_left(days_left, expected):
    assert risks(latest_stage=Stage.PILOT, days_left=days_left) == expected
    assert risks(latest_stage=None, days_left=days_left) == expected  # no report counts as not started
    assert risks(latest_stage=Stage.HOSPITAL_WIDE, days_left=days_left) == []


def status(**overrides):
    values = {
        "completed_on": None,
        "deadline": D(2026, 9, 30),
        "as_of": D(2026, 9, 1),
        "has_counted_report": True,
        "has_assessment": True,
        "risks": [],
    }
    return rules.status(**(values | overrides))


def test_status_first_matching_rule_wins():
    assert status(completed_on=D(2026, 9, 30)) == ("completed_on_time", ["completed_on_time"])
    assert status(completed_on=D(2026, 10, 1), as_of=D(2026, 11, 1)) == ("completed_late", ["completed_late"])
    assert status(as_of=D(2026, 10, 1), risks=[Reason.STALE]) == ("overdue", ["overdue"])
    assert status(as_of=D(2026, 9, 30), risks=[Reason.STALE]) == ("at_risk", ["stale"])
    assert status(has_counted_report=False, has_assessment=False, risks=[Reason.STALE]) == ("no_data", ["no_data"])
    assert status(has_counted_report=False) == ("on_track", ["on_track"])


def test_completion_needs_the_mandatory_criteria():
    assert rules.completion_date(D(2026, 9, 1), True) == D(2026, 9, 1)
    assert rules.completion_date(D(2026, 9, 1), False) is None
    assert rules.completion_date(D(2026, 9, 1), None) is None
    assert rules.completion_date(None, True) is None
