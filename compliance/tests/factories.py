"""Approved reports and assessments as the compliance rules see them (the submission apps own their forms)."""

import datetime

import factory
from django.utils import timezone

from assessments.models import Assessment, Catalogue
from core.models import Status
from facilities.tests.factories import FacilityFactory
from milestones.models import Milestone, MilestoneKind
from reports.models import MonthlyReport, Stage, period_end


def local_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_default_timezone())


def month(text: str) -> datetime.date:
    """ "2026-03" -> date(2026, 3, 1)."""
    return datetime.date.fromisoformat(f"{text}-01")


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalogue
        django_get_or_create = ("version",)

    version = 1
    title = "Bộ tiêu chí thử nghiệm"
    published_at = factory.LazyFunction(timezone.now)


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    """An approved report, reviewed five days after its month ended."""

    class Meta:
        model = MonthlyReport

    facility = factory.SubFactory(FacilityFactory)
    period = datetime.date(2026, 1, 1)
    status = Status.APPROVED
    stage = Stage.HOSPITAL_WIDE
    departments_total = 10
    departments_live = 5
    submitted_at = factory.LazyAttribute(lambda r: local_noon(period_end(r.period) + datetime.timedelta(days=3)))
    reviewed_at = factory.LazyAttribute(
        lambda r: local_noon(period_end(r.period) + datetime.timedelta(days=5)) if r.status == Status.APPROVED else None
    )
    attested_by_name = "Đặng Hữu Phúc"


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An approved assessment with every mandatory criterion met."""

    class Meta:
        model = Assessment

    facility = factory.SubFactory(FacilityFactory)
    catalogue = factory.SubFactory(CatalogueFactory)
    status = Status.APPROVED
    mandatory_met = True
    score = 90
    submitted_at = factory.LazyFunction(lambda: local_noon(datetime.date(2026, 1, 10)))
    reviewed_at = factory.LazyFunction(lambda: local_noon(datetime.date(2026, 1, 15)))
    attested_by_name = "Đặng Hữu Phúc"


class VerifiedMilestoneFactory(factory.django.DjangoModelFactory):
    """A milestone verified by the DoH at noon of its own date (the compliance rules' view of one)."""

    class Meta:
        model = Milestone

    facility = factory.SubFactory(FacilityFactory)
    kind = MilestoneKind.DECISION
    date = datetime.date(2026, 9, 15)
    status = Status.APPROVED
    submitted_at = factory.LazyAttribute(lambda m: local_noon(m.date))
    reviewed_at = factory.LazyAttribute(lambda m: local_noon(m.date) if m.status == Status.APPROVED else None)
    head_confirmed = True
    attested_by_name = "Đặng Hữu Phúc"


def deployed(
    facility, decided: datetime.date, *, assessed: datetime.date | None = None, assessment=None, mandatory_met=True
):
    """The milestones of a deployment on `decided`: a self-assessment on an approved assessment (`assessment`, or a
    new one), then the decision."""
    assessment = assessment or AssessmentFactory(facility=facility, mandatory_met=mandatory_met)
    assessed = assessed or decided - datetime.timedelta(days=10)
    VerifiedMilestoneFactory(facility=facility, kind=MilestoneKind.SELF_ASSESSED, date=assessed, assessment=assessment)
    return VerifiedMilestoneFactory(facility=facility, kind=MilestoneKind.DECISION, date=decided)
