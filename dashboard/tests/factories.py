"""Stored compliance rows, reports and assessments for the dashboard's tests (built directly, as the engine would)."""

import datetime

import factory
from django.conf import settings

from assessments.models import Assessment, Catalogue
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
    reasons = factory.LazyAttribute(lambda o: [o.status])
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


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalogue
        django_get_or_create = ("version",)

    version = 1
    title = "Bộ tiêu chí 2026"
    published_at = factory.LazyFunction(lambda: datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    facility = factory.SubFactory(FacilityFactory)
    catalogue = factory.SubFactory(CatalogueFactory)
    status = Status.DRAFT
