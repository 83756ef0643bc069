import datetime

import factory
from django.utils import timezone

from exports.models import Export, ExportStatus


class ExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Export

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    kind = "facility_list"
    status = ExportStatus.PENDING
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=24))
