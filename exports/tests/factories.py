import datetime

import factory
from django.utils import timezone

from compliance.models import ComplianceStatus, FacilityCompliance
from exports.models import Export, ExportStatus


class FacilityComplianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityCompliance

    facility = factory.SubFactory("facilities.tests.factories.FacilityFactory")
    as_of = datetime.date(2026, 11, 25)
    status = ComplianceStatus.ON_TRACK
    deadline = datetime.date(2026, 9, 30)
    days_to_deadline = -56
    progress = 0


class ExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Export

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    kind = "facility_list"
    status = ExportStatus.PENDING
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=24))
