import datetime

from compliance.selectors import reporting_completeness
from core.models import Status
from core.tests.dates import local_noon, month
from facilities.models import Facility
from facilities.tests.factories import FacilityFactory
from reports.tests.factories import MonthlyReportFactory

D = datetime.date


def report(facility, period: str, status=Status.SUBMITTED, submitted: D | None = None):
    return MonthlyReportFactory(
        counted=True,
        facility=facility,
        period=month(period),
        status=status,
        submitted_at=local_noon(submitted) if submitted else None,
    )


def test_completeness_and_timeliness_per_month(db, django_assert_num_queries):
    on_time, late, draft, returned, silent = (FacilityFactory() for _ in range(5))
    FacilityFactory(is_active=False)  # not expected to report
    report(on_time, "2026-04", Status.APPROVED, submitted=D(2026, 5, 5))  # on the due day
    report(late, "2026-04", Status.SUBMITTED, submitted=D(2026, 5, 6))
    report(draft, "2026-04", Status.DRAFT)
    report(returned, "2026-04", Status.RETURNED, submitted=D(2026, 5, 2))
    report(on_time, "2026-05", Status.SUBMITTED, submitted=D(2026, 6, 1))
    with django_assert_num_queries(2):
        april, may, june = reporting_completeness(Facility.objects.all(), [month("2026-04"), month("2026-05"),
                                                                          month("2026-06")])  # fmt: skip
    assert (april.month, april.active, april.reported, april.on_time) == (D(2026, 4, 1), 5, 2, 1)
    assert (april.completeness, april.timeliness, april.due_date) == (0.4, 0.2, D(2026, 5, 5))
    assert (may.reported, may.on_time) == (1, 1)
    assert (june.reported, june.on_time, june.completeness) == (0, 0, 0)


def test_completeness_counts_only_the_facilities_given(db):
    mine, other = FacilityFactory(), FacilityFactory()
    report(other, "2026-04", submitted=D(2026, 5, 1))
    [april] = reporting_completeness(Facility.objects.filter(pk=mine.pk), [month("2026-04")])
    assert (april.active, april.reported, april.completeness) == (1, 0, 0)
    assert reporting_completeness(Facility.objects.none(), [month("2026-04")])[0].completeness is None


def test_completeness_query_count_does_not_grow(db, django_assert_num_queries):
    for _ in range(30):
        report(FacilityFactory(), "2026-04", submitted=D(2026, 5, 1))
    months = [month(f"2026-{m:02}") for m in range(1, 7)]
    with django_assert_num_queries(2):
        rows = reporting_completeness(Facility.objects.all(), months)
    assert [row.reported for row in rows] == [0, 0, 0, 30, 0, 0]
