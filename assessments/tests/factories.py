import datetime

import factory
from django.utils import timezone

from assessments.models import (
    Answer,
    AnswerType,
    Assessment,
    Catalogue,
    Criterion,
    CriterionGroup,
    Evidence,
    Mandatory,
)
from compliance.tests.follow import follow_rollups
from core.models import Status
from core.tests.dates import local_noon
from facilities.tests.factories import FacilityFactory

# The smallest files each accepted type is recognised from (by content, as the upload check does).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)
# A JFIF header (what a phone camera writes): recognised as image/jpeg from its first bytes.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


class CatalogueFactory(factory.django.DjangoModelFactory):
    """A published catalogue; version 1 comes from the data migration, so these start at 100."""

    class Meta:
        model = Catalogue

    version = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Bộ tiêu chí thử {n}")
    published_at = factory.LazyFunction(timezone.now)


class CriterionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionGroup

    catalogue = factory.SubFactory(CatalogueFactory)
    code = factory.Sequence(lambda n: f"X{n}")
    name = factory.Sequence(lambda n: f"Nhóm {n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")
    order = factory.Sequence(lambda n: n)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    group = factory.SubFactory(CriterionGroupFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    text = factory.Sequence(lambda n: f"Tiêu chí thử số {n}")
    text_en = factory.Sequence(lambda n: f"Test criterion {n}")
    mandatory = Mandatory.REQUIRED
    decides_compliance = factory.LazyAttribute(lambda o: o.mandatory in (Mandatory.REQUIRED, Mandatory.WHERE_APPLIES))
    weight = 3
    answer_type = AnswerType.YES_NO
    order = factory.Sequence(lambda n: n)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft on the current catalogue (version 2 unless a test publishes another).

    `approved`: as the compliance rules see it, on version 1 with every mandatory criterion met,
    submitted on 10/01/2026 and approved on 15/01/2026.
    """

    class Meta:
        model = Assessment

    facility = factory.SubFactory(FacilityFactory)
    catalogue = factory.LazyFunction(lambda: Catalogue.objects.current())

    class Params:
        approved = factory.Trait(
            catalogue=factory.LazyFunction(lambda: Catalogue.objects.get(version=1)),
            status=Status.APPROVED,
            mandatory_met=True,
            score=90,
            submitted_at=factory.LazyFunction(lambda: local_noon(datetime.date(2026, 1, 10))),
            reviewed_at=factory.LazyFunction(lambda: local_noon(datetime.date(2026, 1, 15))),
            attested_by_name="Đặng Hữu Phúc",
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        assessment = super()._create(model_class, *args, **kwargs)
        if assessment.status == Status.APPROVED:
            follow_rollups(assessment.facility_id)
        return assessment


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)
    criterion = factory.SubFactory(CriterionFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    assessment = factory.SubFactory(AssessmentFactory)
    file = factory.django.FileField(data=PDF_BYTES, filename="upload")
    original_name = "Quyết định 123.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
