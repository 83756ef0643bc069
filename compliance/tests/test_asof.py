"""One "as of D" for the engine, the dashboard, the facility list, the facility page and the exports.

An approval without a recorded time counts as approved before any day and as the oldest approval.
PostgreSQL sorts NULLs first in a descending order unless told otherwise: pinned there.
"""

import datetime

import pytest
import time_machine

from assessments.tests.factories import AssessmentFactory
from compliance.asof import approval_order, day_end, latest_approved_assessment, latest_approved_assessments
from compliance.engine import gather_facts
from compliance.selectors import assessed_filter
from core.tests.dates import local_noon
from facilities.models import Facility

D = datetime.date
TODAY = D(2026, 11, 25)
BEFORE_THE_DATED_APPROVAL = D(2026, 2, 1)

pytestmark = pytest.mark.postgres


@pytest.fixture
def approvals(facility):
    """An approval without a time (mandatory criteria unmet), then one on 01/03/2026 (met)."""
    undated = AssessmentFactory(approved=True, facility=facility, reviewed_at=None, mandatory_met=False)
    dated = AssessmentFactory(approved=True, facility=facility, reviewed_at=local_noon(D(2026, 3, 1)))
    with time_machine.travel(local_noon(TODAY), tick=False):
        yield undated, dated


def latest(as_of) -> tuple[int, int]:
    """The latest approved assessment as the exports' subquery and the dashboard's window pick it."""
    facilities = Facility.objects.all()
    one = facilities.annotate(latest=latest_approved_assessment(as_of)).get().latest
    window = latest_approved_assessments(as_of, facilities).get().pk
    return one, window


def test_a_dated_approval_is_newer_than_one_without_a_time(approvals):
    undated, dated = approvals
    assert latest(TODAY) == (dated.pk, dated.pk)
    assert gather_facts(TODAY)[0].mandatory_met is True
    assert sorted([undated, dated], key=approval_order) == [dated, undated]


def test_an_approval_without_a_time_counts_on_every_past_day(approvals):
    undated, _ = approvals
    assert latest(BEFORE_THE_DATED_APPROVAL) == (undated.pk, undated.pk)
    assert gather_facts(BEFORE_THE_DATED_APPROVAL)[0].mandatory_met is False
    assert Facility.objects.filter(assessed_filter(BEFORE_THE_DATED_APPROVAL)).exists()


def test_the_end_of_day_is_midnight_in_the_province():
    assert day_end(D(2026, 9, 30)).isoformat() == "2026-10-01T00:00:00+07:00"
