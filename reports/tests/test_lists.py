"""The report list (scoped, filtered, paginated) and the officers' review queue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Catalogue
from core.models import Status
from facilities import widgets
from facilities.models import Area, Facility
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type
from reports.queue import review_items
from reports.tests.factories import MonthlyReportFactory

from .utils import at


def listed(response):
    return [(r.facility.code, r.period) for r in response.context["page"]]


def test_officers_see_every_facilitys_reports_newest_month_first(officer_client, facility, other_facility):
    MonthlyReportFactory(facility=facility, period=datetime.date(2026, 7, 1))
    MonthlyReportFactory(submitted=True, facility=other_facility, period=datetime.date(2026, 9, 1))
    MonthlyReportFactory(approved=True, facility=facility, period=datetime.date(2026, 8, 1))
    response = officer_client.get(reverse("reports:list"))
    assert listed(response) == [
        (other_facility.code, datetime.date(2026, 9, 1)),
        (facility.code, datetime.date(2026, 8, 1)),
        (facility.code, datetime.date(2026, 7, 1)),
    ]


def test_leadership_see_every_report(leadership_client, submitted, other_report):
    assert len(listed(leadership_client.get(reverse("reports:list")))) == 2


def test_search_ignores_diacritics(officer_client, submitted, other_report):
    response = officer_client.get(reverse("reports:list"), {"q": "tan hong"})
    assert listed(response) == [(submitted.facility.code, submitted.period)]


def test_filters_by_type_area_month_and_status(officer_client, facility):
    area = AreaFactory(code="28121", name="Xã Tân Hồng")
    hospital = FacilityFactory(name="Bệnh viện Đa khoa", type=facility_type("general_hospital"), area=area)
    MonthlyReportFactory(approved=True, facility=hospital, period=datetime.date(2026, 8, 1))
    MonthlyReportFactory(submitted=True, facility=hospital, period=datetime.date(2026, 9, 1))
    MonthlyReportFactory(submitted=True, facility=facility, period=datetime.date(2026, 9, 1))
    url = reverse("reports:list")
    assert len(listed(officer_client.get(url, {"type": "general_hospital"}))) == 2
    assert len(listed(officer_client.get(url, {"area": "28121"}))) == 2
    assert len(listed(officer_client.get(url, {"month": "2026-09"}))) == 2
    assert listed(officer_client.get(url, {"status": "approved"})) == [(hospital.code, datetime.date(2026, 8, 1))]
    response = officer_client.get(url, {"month": "2026-09", "type": "health_station"})
    assert listed(response) == [(facility.code, datetime.date(2026, 9, 1))]


def test_filters_late_and_on_time_submissions(officer_client, facility):
    late = MonthlyReportFactory(
        submitted=True, facility=facility, period=datetime.date(2026, 7, 1), submitted_at=at(2026, 8, 6)
    )
    on_time = MonthlyReportFactory(
        submitted=True, facility=facility, period=datetime.date(2026, 8, 1), submitted_at=at(2026, 9, 5)
    )
    MonthlyReportFactory(facility=facility, period=datetime.date(2026, 9, 1))
    url = reverse("reports:list")
    assert listed(officer_client.get(url, {"late": "yes"})) == [(facility.code, late.period)]
    assert listed(officer_client.get(url, {"late": "no"})) == [(facility.code, on_time.period)]
    body = officer_client.get(url).content.decode()
    assert body.count("nộp muộn") == 1


def test_a_facilitys_history_lists_its_reports_with_state(staff_client, facility, other_facility):
    MonthlyReportFactory(approved=True, facility=facility, period=datetime.date(2026, 8, 1))
    MonthlyReportFactory(returned=True, facility=facility, period=datetime.date(2026, 9, 1))
    response = staff_client.get(reverse("reports:list"), {"facility": facility.code})
    body = response.content.decode()
    assert len(listed(response)) == 2
    assert "Đã duyệt" in body and "Bị trả lại" in body
    assert reverse("reports:create", args=[facility.code]) in body


def test_the_list_is_paginated(officer_client, facility):
    month = datetime.date(2025, 1, 1)
    for i in range(30):
        MonthlyReportFactory(facility=facility, period=month.replace(year=2025 + (i // 12), month=i % 12 + 1))
    response = officer_client.get(reverse("reports:list"))
    assert len(listed(response)) == 25
    assert len(listed(officer_client.get(reverse("reports:list"), {"page": 2}))) == 5


def many_areas(count: int) -> None:
    Area.objects.bulk_create(AreaFactory.build_batch(count))


@pytest.mark.parametrize("areas", [0, 400])
def test_the_list_costs_a_fixed_number_of_queries(officer_client, areas, django_assert_max_num_queries):
    many_areas(areas)
    for _ in range(30):
        MonthlyReportFactory(
            submitted=True,
        )
    with django_assert_max_num_queries(10):
        response = officer_client.get(reverse("reports:list"), {"q": "tram", "late": "no"})
    assert response.status_code == 200
    # Hundreds of communes are a search box with suggestions, not a select of every one (facilities.widgets).
    assert ('list="id_area-options"' in response.content.decode()) == (areas > 0)


@pytest.fixture
def catalogue(db):
    catalogue, _ = Catalogue.objects.get_or_create(
        version=1, defaults={"title": "Bộ tiêu chí 2026", "published_at": timezone.now()}
    )
    return catalogue


def submitted_assessment(facility, catalogue, when):
    return Assessment.objects.create(
        facility=facility, catalogue=catalogue, status=Status.SUBMITTED, submitted_at=when, version=2
    )


def test_the_queue_holds_submitted_reports_and_assessments_oldest_first(officer_client, facility, catalogue):
    hospital = FacilityFactory(name="Bệnh viện Phổi", type=facility_type("specialty_hospital"))
    newest = MonthlyReportFactory(submitted=True, facility=facility, submitted_at=at(2026, 10, 2))
    oldest = MonthlyReportFactory(
        submitted=True, facility=hospital, period=datetime.date(2026, 8, 1), submitted_at=at(2026, 9, 8)
    )
    assessment = submitted_assessment(facility, catalogue, at(2026, 9, 20))
    MonthlyReportFactory(approved=True, facility=facility, period=datetime.date(2026, 7, 1))
    MonthlyReportFactory(returned=True, facility=hospital, period=datetime.date(2026, 9, 1))
    MonthlyReportFactory(facility=hospital, period=datetime.date(2026, 7, 1))
    response = officer_client.get(reverse("reports:review_queue"))
    items = list(response.context["page"])
    assert [item.url for item in items] == [
        oldest.get_absolute_url(),
        reverse("assessments:detail", args=[assessment.pk]),
        newest.get_absolute_url(),
    ]
    assert [item.days_waiting for item in items] == [25, 13, 1]
    assert [item.late for item in items] == [True, False, False]
    body = response.content.decode()
    assert "Đánh giá mức độ sẵn sàng" in body and "nộp muộn" in body


def test_a_later_page_of_the_queue_interleaves_the_kinds_by_age(catalogue):
    """Each kind is cut to the rows a page could need before the UNION; the page is still the oldest overall."""
    reports, assessments = [], []
    for n in range(12):  # every report older than every assessment: a page of 10 from the 11th holds both
        facility = FacilityFactory()
        reports.append(MonthlyReportFactory(submitted=True, facility=facility, submitted_at=at(2026, 10, 1, 8, n)))
        assessment = submitted_assessment(facility, catalogue, at(2026, 10, 1, 9, n))
        assessments.append(reverse("assessments:detail", args=[assessment.pk]))
    expected = [report.get_absolute_url() for report in reports] + assessments
    items = review_items(facilities=Facility.objects.all())
    assert len(items) == 24
    assert [item.url for item in items[10:20]] == expected[10:20]
    assert [item.url for item in items[20:30]] == expected[20:]
    assert items[0].url == expected[0]


def test_the_queue_filters_by_kind_type_area_and_search(officer_client, facility, catalogue):
    area = AreaFactory(code="28121", name="Xã Tân Hồng")
    hospital = FacilityFactory(name="Bệnh viện Phổi", type=facility_type("specialty_hospital"), area=area)
    MonthlyReportFactory(submitted=True, facility=facility)
    MonthlyReportFactory(submitted=True, facility=hospital)
    submitted_assessment(hospital, catalogue, at(2026, 9, 20))
    url = reverse("reports:review_queue")

    def kinds(params):
        return sorted((i.kind, i.facility.code) for i in officer_client.get(url, params).context["page"])

    assert kinds({"kind": "assessment"}) == [("assessment", hospital.code)]
    assert kinds({"kind": "report", "type": "specialty_hospital"}) == [("report", hospital.code)]
    assert kinds({"area": "28121", "kind": "report"}) == [("report", hospital.code)]
    assert kinds({"q": "tan hong"}) == [("report", facility.code)]


@pytest.mark.parametrize(("areas", "facilities"), [(0, 3), (400, 30)])
def test_the_queue_costs_a_fixed_number_of_queries(
    officer_client, catalogue, areas, facilities, django_assert_max_num_queries
):
    """Session, user, the count, a page of items, their facilities, the types and the first areas."""
    many_areas(areas)
    for _ in range(facilities):
        report = MonthlyReportFactory(
            submitted=True,
        )
        submitted_assessment(report.facility, catalogue, at(2026, 9, 20))
    url = reverse("reports:review_queue")
    officer_client.get(url)  # the session's renewal (once a minute) is not the page's cost
    with django_assert_max_num_queries(7):
        response = officer_client.get(url)
    assert len(response.context["page"]) == min(2 * facilities, 25)


def test_the_queue_takes_a_commune_typed_by_name(officer_client, facility, monkeypatch):
    """At national scale the area is a search box: a name typed without picking a suggestion still filters
    when it names one commune, and the box says so when it names none or several."""
    monkeypatch.setattr(widgets, "AREA_SELECT_LIMIT", 1)
    tan_hong = AreaFactory(code="28121", name="Xã Tân Hồng")
    AreaFactory(code="28122", name="Xã Tân Hồng Nam")
    hospital = FacilityFactory(name="Bệnh viện Phổi", area=tan_hong)
    MonthlyReportFactory(submitted=True, facility=facility)
    MonthlyReportFactory(submitted=True, facility=hospital)
    url = reverse("reports:review_queue")

    def queue(area):
        response = officer_client.get(url, {"area": area})
        return [item.facility.code for item in response.context["page"]], response.content.decode()

    for typed in ("28121", "xa tan hong", "Xã Tân Hồng"):
        codes, page = queue(typed)
        assert codes == [hospital.code]
        assert 'value="28121"' in page and '<div class="form-text small">Xã Tân Hồng</div>' in page
    assert queue("hong nam")[0] == []
    codes, page = queue("tan")
    assert sorted(codes) == sorted([facility.code, hospital.code])
    assert "Không tìm được đúng một xã, phường có mã hoặc tên “tan”" in page and 'aria-invalid="true"' in page
