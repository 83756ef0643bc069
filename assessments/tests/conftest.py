"""Assessment fixtures on top of the project's cast (facility, other_facility, staff, head, officer…)."""

import pytest

from assessments.models import Catalogue

from .factories import AssessmentFactory


@pytest.fixture
def v1(db):
    """The catalogue the data migration publishes."""
    return Catalogue.objects.get(version=1)


@pytest.fixture
def v2(db):
    """Version 2: the legal definition of EMR deployed decides compliance; new assessments take it."""
    return Catalogue.objects.get(version=2)


@pytest.fixture
def assessment(facility, v1):
    """A draft of `facility` on catalogue version 1."""
    return AssessmentFactory(facility=facility, catalogue=v1)


@pytest.fixture
def other_assessment(other_facility, v1):
    return AssessmentFactory(facility=other_facility, catalogue=v1)
