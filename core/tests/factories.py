"""ImportJob in each state of a large import; the traits say which one a test needs."""

import secrets

import factory
from django.utils import timezone

from core.models import ImportJob, ImportKind, JobStatus


class ImportJobFactory(factory.django.DjangoModelFactory):
    """A registry import queued by an officer; `running` (claimed now) and `saved` (120 rows created) further on."""

    class Meta:
        model = ImportJob

    user = factory.SubFactory("accounts.tests.factories.OfficerFactory")
    kind = ImportKind.FACILITIES
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(18))

    class Params:
        running = factory.Trait(status=JobStatus.RUNNING, started_at=factory.LazyFunction(timezone.now))
        saved = factory.Trait(
            status=JobStatus.READY,
            committed=True,
            rows_total=120,
            result={"counts": {"created": 120, "updated": 0, "unchanged": 0, "rejected": 0}, "rows": []},
            finished_at=factory.LazyFunction(timezone.now),
        )
