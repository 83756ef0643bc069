"""Milestone in each workflow state, with the data its kind needs (SPEC section 4a)."""

import datetime

import factory
from django.utils import timezone

from core.models import Status
from facilities.tests.factories import FacilityFactory
from milestones.models import Milestone, MilestoneKind


class MilestoneFactory(factory.django.DjangoModelFactory):
    """A draft decision signed on 29/09/2026, effective 01/10/2026, covering every department."""

    class Meta:
        model = Milestone
        django_get_or_create = ("facility", "kind")

    facility = factory.SubFactory(FacilityFactory)
    kind = MilestoneKind.DECISION
    date = datetime.date(2026, 9, 29)
    status = Status.DRAFT
    version = 1
    number = "125/QĐ-TYT"
    effective_date = datetime.date(2026, 10, 1)
    signer = factory.SelfAttribute("facility.head_name")

    class Params:
        self_assessed = factory.Trait(kind=MilestoneKind.SELF_ASSESSED, date=datetime.date(2026, 9, 15), number="")
        announced = factory.Trait(
            kind=MilestoneKind.ANNOUNCED, date=datetime.date(2026, 10, 3), link="https://benhandientu.moh.gov.vn/"
        )
        paper_stopped = factory.Trait(kind=MilestoneKind.PAPER_STOPPED, date=datetime.date(2026, 10, 1))
        submitted = factory.Trait(
            status=Status.SUBMITTED,
            version=2,
            submitted_at=factory.LazyFunction(timezone.now),
            attested_by_name=factory.SelfAttribute("facility.head_name"),
            head_confirmed=True,
        )
        verified = factory.Trait(
            status=Status.APPROVED,
            version=3,
            submitted_at=factory.LazyFunction(timezone.now),
            attested_by_name=factory.SelfAttribute("facility.head_name"),
            head_confirmed=True,
            reviewed_at=factory.LazyFunction(timezone.now),
        )
