"""Stored compliance rows, built directly as the engine would write them (the engine's tests run the engine)."""

import datetime

import factory
from django.conf import settings

from compliance.models import ComplianceSnapshot, ComplianceStatus, FacilityCompliance
from facilities.tests.factories import FacilityFactory


class FacilityComplianceFactory(factory.django.DjangoModelFactory):
    """A facility's current compliance on 25/11/2026: on track, with its status as its one reason."""

    class Meta:
        model = FacilityCompliance

    facility = factory.SubFactory(FacilityFactory)
    as_of = datetime.date(2026, 11, 25)
    status = ComplianceStatus.ON_TRACK
    reasons = factory.LazyAttribute(lambda o: [o.status])
    deadline = settings.EMR_DEADLINE
    days_to_deadline = factory.LazyAttribute(lambda o: (o.deadline - o.as_of).days)
    progress = 0


class ComplianceSnapshotFactory(FacilityComplianceFactory):
    class Meta:
        model = ComplianceSnapshot
