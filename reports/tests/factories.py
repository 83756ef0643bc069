"""MonthlyReport in each workflow state, saved with save() so simple-history records their creation.

One factory; the traits say which report a test needs:
- none: a draft for September 2026 of a station at the hospital-wide stage, with consistent numbers;
- `submitted`, `returned`, `approved`: the same report further along its workflow, reviewed now;
- `counted`: an approved report as the compliance rules count it, with its departments only, sent
  three days and approved five days after its month ended (January 2026 unless a period is given);
- `bare`: a draft for October 2026 with its departments only, for the pages that list reports.
"""

import datetime

import factory
from django.utils import timezone

from compliance.tests.follow import follow_rollups
from core.models import SENT_STATUSES, Status
from core.tests.dates import local_noon
from facilities.tests.factories import FacilityFactory
from reports.models import MonthlyReport, Stage, period_end

# The figures a report has when only its departments are filled in (the model's defaults).
DEPARTMENTS_ONLY = {
    "version": 0,
    "departments_total": 10,
    "departments_live": 5,
    "inpatient_records": 0,
    "inpatient_electronic": 0,
    "outpatient_visits": 0,
    "outpatient_electronic": 0,
    "signed_share": None,
    "lis_live": False,
    "bhxh_on_time_share": None,
    "signers_total": 0,
    "signers_with_certificate": 0,
    "last_backup_date": None,
    "staff_trained": 0,
    "staff_total": 0,
    "spending_to_date": None,
}


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReport
        django_get_or_create = ("facility", "period")

    facility = factory.SubFactory(FacilityFactory)
    period = datetime.date(2026, 9, 1)
    status = Status.DRAFT
    version = 1
    stage = Stage.HOSPITAL_WIDE
    departments_total = 4
    departments_live = 3
    inpatient_records = 20
    inpatient_electronic = 15
    outpatient_visits = 900
    outpatient_electronic = 700
    signed_share = 80
    lis_live = True
    bhxh_on_time_share = 95
    signers_total = 8
    signers_with_certificate = 6
    last_backup_date = datetime.date(2026, 9, 28)
    staff_trained = 9
    staff_total = 10
    spending_to_date = 120_000_000

    class Params:
        submitted = factory.Trait(
            status=Status.SUBMITTED,
            version=2,
            submitted_at=factory.LazyFunction(timezone.now),
            attested_by_name=factory.SelfAttribute("facility.head_name"),
        )
        returned = factory.Trait(
            status=Status.RETURNED,
            version=3,
            submitted_at=factory.LazyFunction(timezone.now),
            attested_by_name=factory.SelfAttribute("facility.head_name"),
            reviewed_at=factory.LazyFunction(timezone.now),
            review_comment="Số khoa triển khai không khớp với báo cáo tháng trước.",
        )
        approved = factory.Trait(
            status=Status.APPROVED,
            version=3,
            submitted_at=factory.LazyFunction(timezone.now),
            attested_by_name=factory.SelfAttribute("facility.head_name"),
            reviewed_at=factory.LazyFunction(timezone.now),
        )
        counted = factory.Trait(
            period=datetime.date(2026, 1, 1),
            status=Status.APPROVED,
            **DEPARTMENTS_ONLY,
            submitted_at=factory.LazyAttribute(lambda r: local_noon(period_end(r.period) + datetime.timedelta(days=3))),
            reviewed_at=factory.LazyAttribute(
                lambda r: (
                    local_noon(period_end(r.period) + datetime.timedelta(days=5))
                    if r.status == Status.APPROVED
                    else None
                )
            ),
            attested_by_name="Đặng Hữu Phúc",
        )
        bare = factory.Trait(period=datetime.date(2026, 10, 1), stage=Stage.NOT_STARTED, **DEPARTMENTS_ONLY)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        report = super()._create(model_class, *args, **kwargs)
        if report.status in SENT_STATUSES:
            follow_rollups(report.facility_id)
        return report
