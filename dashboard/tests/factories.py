"""Stored compliance rows and reports in any state, for the dashboard's tests (built directly, as the engine would)."""

import datetime

import factory
from django.conf import settings

from compliance.models import ComplianceSnapshot, ComplianceStatus, FacilityCompliance
from core.models import Status
from facilities.tests.factories import FacilityFactory
from reports.models import MonthlyReport


class ComplianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityCompliance

    facility = factory.SubFactory(FacilityFactory)
    as_of = datetime.date(2026, 11, 25)
    status = ComplianceStatus.ON_TRACK
    reasons = factory.LazyAttribute(
        lambda o: [{"code": "deployed", "date": "2026-09-15"}] if o.deployed else [{"code": "decision_missing"}]
    )
    deployed = factory.LazyAttribute(lambda o: str(o.status).startswith("deployed"))
    deployment_date = factory.LazyAttribute(lambda o: datetime.date(2026, 9, 15) if o.deployed else None)
    paperless_from = settings.PAPERLESS_FROM
    deadline = settings.EMR_DEADLINE
    days_to_deadline = factory.LazyAttribute(lambda o: (o.deadline - o.as_of).days)
    progress = 0


class SnapshotFactory(ComplianceFactory):
    class Meta:
        model = ComplianceSnapshot


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport

    facility = factory.SubFactory(FacilityFactory)
    period = datetime.date(2026, 10, 1)
    status = Status.DRAFT
    departments_total = 10
    departments_live = 5
