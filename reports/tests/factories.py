"""MonthlyReport in each workflow state, saved with save() so simple-history records their creation."""

import datetime

import factory
from django.utils import timezone

from core.models import Status
from facilities.tests.factories import FacilityFactory
from reports.models import MonthlyReport, Stage


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    """A draft for September 2026 of a station at the hospital-wide stage, with consistent numbers."""

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


class SubmittedReportFactory(MonthlyReportFactory):
    status = Status.SUBMITTED
    version = 2
    submitted_at = factory.LazyFunction(timezone.now)
    attested_by_name = factory.SelfAttribute("facility.head_name")


class ReturnedReportFactory(SubmittedReportFactory):
    status = Status.RETURNED
    version = 3
    reviewed_at = factory.LazyFunction(timezone.now)
    review_comment = "Số khoa triển khai không khớp với báo cáo tháng trước."


class ApprovedReportFactory(SubmittedReportFactory):
    status = Status.APPROVED
    version = 3
    reviewed_at = factory.LazyFunction(timezone.now)
