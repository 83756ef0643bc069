"""Fixtures of the monthly report tests: a frozen clock, reports in each state, clients for each role."""

import datetime

import pytest
import time_machine

from accounts.tests.factories import UserFactory
from facilities.models import MemberRole
from facilities.tests.factories import MembershipFactory
from reports.tests.factories import MonthlyReportFactory

from .utils import at


@pytest.fixture(autouse=True)
def clock():
    """3 October 2026, 09:00 in Đồng Tháp: September's report is due on the 5th."""
    with time_machine.travel(at(2026, 10, 3), tick=False) as traveller:
        yield traveller


@pytest.fixture
def approved_august(facility):
    return MonthlyReportFactory(approved=True, facility=facility, period=datetime.date(2026, 8, 1))


@pytest.fixture
def draft(facility):
    return MonthlyReportFactory(facility=facility, period=datetime.date(2026, 9, 1))


@pytest.fixture
def submitted(facility):
    return MonthlyReportFactory(submitted=True, facility=facility, period=datetime.date(2026, 9, 1))


@pytest.fixture
def other_report(other_facility):
    return MonthlyReportFactory(submitted=True, facility=other_facility, period=datetime.date(2026, 9, 1))


@pytest.fixture
def other_staff(other_facility):
    user = UserFactory(first_name="Trần Thị", last_name="Mai")
    MembershipFactory(user=user, facility=other_facility, role=MemberRole.STAFF)
    return user
