"""Stored compliance rows, built directly as the engine would write them (the engine's tests run the engine)."""

import datetime

import factory
from django.conf import settings

from assessments.tests.factories import AssessmentFactory
from compliance import rollups
from compliance.asof import today
from compliance.models import ComplianceSnapshot, ComplianceStatus, FacilityCompliance
from core.tests.dates import local_noon
from facilities.tests.factories import FacilityFactory
from milestones.models import MilestoneKind
from milestones.tests.factories import MilestoneFactory


class FacilityComplianceFactory(factory.django.DjangoModelFactory):
    """A facility's current compliance on 25/11/2026: on track, lacking its decision (deployed ones: deployed on
    15/09/2026); paper replacement as the engine stores it before a run sets it (not due)."""

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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Written as the engine writes it: today's rollup cells of the facility follow (compliance.rollups)."""
        row = super()._create(model_class, *args, **kwargs)
        rollups.refresh_current(rollups.slices_of([row.facility_id]))
        return row


class ComplianceSnapshotFactory(FacilityComplianceFactory):
    """A day's snapshot; as after the engine's run for a past day, that day has no rollup rows (it reads these)."""

    class Meta:
        model = ComplianceSnapshot

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = super(FacilityComplianceFactory, cls)._create(model_class, *args, **kwargs)
        if row.as_of < today():
            rollups.forget(row.as_of)
        return row


def deployed(
    facility, decided: datetime.date, *, assessed: datetime.date | None = None, assessment=None, mandatory_met=True
):
    """The verified milestones of a deployment on `decided` (each verified at noon of its date): a self-assessment
    on an approved assessment (`assessment`, or a new one), then the decision. Returns the decision."""
    assessment = assessment or AssessmentFactory(approved=True, facility=facility, mandatory_met=mandatory_met)
    assessed = assessed or decided - datetime.timedelta(days=10)
    MilestoneFactory(
        verified=True,
        self_assessed=True,
        facility=facility,
        date=assessed,
        assessment=assessment,
        submitted_at=local_noon(assessed),
        reviewed_at=local_noon(assessed),
    )
    return verified_milestone(facility, MilestoneKind.DECISION, decided)


def verified_milestone(facility, kind: str, day: datetime.date):
    """A milestone of `kind` dated `day`, verified by the DoH at noon that day."""
    return MilestoneFactory(
        verified=True, facility=facility, kind=kind, date=day, submitted_at=local_noon(day), reviewed_at=local_noon(day)
    )
