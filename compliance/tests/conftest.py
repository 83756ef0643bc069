import datetime

import pytest
import time_machine

from compliance.engine import compute_compliance
from compliance.models import FacilityCompliance

from .factories import local_noon


@pytest.fixture
def compute(db):
    """Travel to noon of day D, run the engine for D and return the facility's current compliance."""

    def run(day: datetime.date, facility=None, facility_ids=None):
        with time_machine.travel(local_noon(day), tick=False):
            counts = compute_compliance(day, facility_ids=facility_ids)
        if facility is None:
            return counts
        return FacilityCompliance.objects.get(facility=facility)

    return run
