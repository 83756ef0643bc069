"""The facility list: status, progress and last report per facility; filters, sorting and its query count."""

import datetime
import re

import pytest
from django.urls import reverse

from compliance.models import ComplianceStatus as S
from compliance.tests.factories import ComplianceSnapshotFactory, FacilityComplianceFactory
from core.models import Status
from dashboard.tests.province import build_province, local
from escalations.tests.factories import EscalationItemFactory
from facilities.tests.factories import FacilityFactory, facility_type
from reports.tests.factories import MonthlyReportFactory

LIST = reverse("facilities:list")
# Session, user, count, page, 2 for the filter choices, and the session save (3 with its savepoint):
# pinned at 10 and 300 facilities.
LIST_QUERIES = 9


@pytest.fixture
def three(db, today):
    """An overdue hospital, an at-risk station and a station on track, with their reports."""
    hospital = FacilityFactory(code="82001", name="Bệnh viện Đa khoa Đồng Tháp", type=facility_type("general_hospital"))
    at_risk = FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng")
    on_track = FacilityFactory(code="82222", name="Trạm Y tế xã Tân Thành", deadline=datetime.date(2027, 3, 31))
    FacilityComplianceFactory(facility=hospital, status=S.OVERDUE, progress=0.9, days_to_deadline=-56)
    FacilityComplianceFactory(
        facility=at_risk,
        status=S.AT_RISK,
        progress=0.25,
        reasons=[
            {"code": "months_missing", "months": ["2026-09", "2026-10"]},
            {"code": "mandatory_unmet", "criteria": ["B3"]},
        ],
    )
    FacilityComplianceFactory(facility=on_track, status=S.ON_TRACK, progress=0.5, days_to_deadline=126)
    ComplianceSnapshotFactory(facility=hospital, as_of=datetime.date(2026, 10, 31), status=S.AT_RISK)
    ComplianceSnapshotFactory(facility=at_risk, as_of=datetime.date(2026, 10, 31), status=S.ON_TRACK)
    october = datetime.date(2026, 10, 1)
    MonthlyReportFactory(
        bare=True, facility=hospital, period=october, status=Status.SUBMITTED, submitted_at=local(2026, 11, 9)
    )
    MonthlyReportFactory(
        bare=True, facility=on_track, period=october, status=Status.APPROVED, submitted_at=local(2026, 11, 2)
    )
    escalated = MonthlyReportFactory(
        bare=True,
        facility=on_track,
        period=datetime.date(2026, 9, 1),
        status=Status.APPROVED,
        submitted_at=local(2026, 10, 2),
        needs_escalation=True,
    )
    EscalationItemFactory(facility=on_track, report=escalated, raised_on=datetime.date(2026, 10, 2))
    MonthlyReportFactory(bare=True, facility=at_risk, period=october, status=Status.DRAFT)
    return hospital, at_risk, on_track


def codes(response) -> list[str]:
    return re.findall(r'<tr data-code="(\w+)"', response.content.decode())


def test_each_row_shows_status_reasons_progress_and_last_report(officer_client, three):
    body = officer_client.get(LIST).content.decode()
    row = re.search(r'<tr data-code="82221">(.*?)</tr>', body, re.S).group(1)
    assert '<span class="badge rag-amber">' in row
    assert "Chưa có báo cáo được duyệt tháng 09/2026, 10/2026" in row and "Chưa đạt tiêu chí bắt buộc: B3" in row
    assert "25\u00a0%" in row
    row = re.search(r'<tr data-code="82001">(.*?)</tr>', body, re.S).group(1)
    assert '<span class="badge rag-red">' in row
    assert "10/2026" in row and "90\u00a0%" in row
    row = re.search(r'<tr data-code="82222">(.*?)</tr>', body, re.S).group(1)
    assert "31/03/2027" in row


def test_filter_by_status(officer_client, three):
    assert codes(officer_client.get(LIST, {"status": "at_risk"})) == ["82221"]
    assert codes(officer_client.get(LIST, {"status": ["at_risk", "overdue"]})) == ["82001", "82221"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("code", ["82001", "82221", "82222"]),
        ("-code", ["82222", "82221", "82001"]),
        ("name", ["82001", "82221", "82222"]),
        ("status", ["82001", "82221", "82222"]),
        ("-progress", ["82001", "82222", "82221"]),
        ("progress", ["82221", "82222", "82001"]),
        ("-deadline", ["82222", "82001", "82221"]),
        ("type", ["82001", "82221", "82222"]),
        ("-last_report", ["82001", "82222", "82221"]),  # the draft is not sent: it comes last
    ],
)
def test_sort_by_any_column(officer_client, three, sort, expected):
    assert codes(officer_client.get(LIST, {"sort": sort})) == expected


def test_sort_links_keep_the_filters(officer_client, three):
    body = officer_client.get(LIST, {"type": "health_station", "sort": "progress"}).content.decode()
    assert 'aria-sort="ascending"' in body
    assert 'href="?type=health_station&amp;sort=-progress"' in body


def test_reported_filter_for_a_month(officer_client, three):
    assert codes(officer_client.get(LIST, {"month": "10/2026", "reported": "yes"})) == ["82001", "82222"]
    assert codes(officer_client.get(LIST, {"month": "10/2026", "reported": "no"})) == ["82221"]
    assert codes(officer_client.get(LIST, {"month": "10/2026", "reported": "on_time"})) == ["82222"]
    assert codes(officer_client.get(LIST, {"month": "2026-10", "reported": "late"})) == ["82001"]


def test_a_bad_month_is_refused_next_to_the_field(officer_client, three):
    body = officer_client.get(LIST, {"month": "13/2026", "reported": "no"}).content.decode()
    assert "Nhập tháng theo dạng mm/yyyy." in body


def test_escalated_and_complete_filters(officer_client, three):
    assert codes(officer_client.get(LIST, {"escalated": "true"})) == ["82222"]
    assert codes(officer_client.get(LIST, {"deployed": "true"})) == []


def test_a_past_date_shows_that_days_statuses(officer_client, three):
    response = officer_client.get(LIST, {"date": "31/10/2026", "status": "at_risk"})
    assert codes(response) == ["82001"]
    body = response.content.decode()
    assert "Tình trạng như tại ngày 31/10/2026" in body
    row = re.search(r'<tr data-code="82001">(.*?)</tr>', body, re.S).group(1)
    assert "10/2026" not in row  # submitted on 09/11, after that day


def test_diacritics_insensitive_search_still_works(officer_client, three):
    assert codes(officer_client.get(LIST, {"q": "tan hong"})) == ["82221"]


def test_facility_staff_see_only_their_facility_and_no_registry_actions(client, three):
    from accounts.tests.factories import UserFactory
    from facilities.tests.factories import MembershipFactory

    user = UserFactory()
    MembershipFactory(user=user, facility=three[1])
    client.force_login(user)
    response = client.get(LIST, {"status": ["overdue", "at_risk", "on_track"]})
    assert codes(response) == ["82221"]
    body = response.content.decode()
    assert reverse("facilities:create") not in body and reverse("facilities:import") not in body


def test_officers_keep_the_registry_actions(officer_client, three):
    body = officer_client.get(LIST).content.decode()
    assert reverse("facilities:create") in body and reverse("facilities:import") in body


def test_english_renders(officer_client, three):
    officer_client.cookies["django_language"] = "en"
    body = officer_client.get(LIST).content.decode()
    assert "Last report" in body and "No approved report for 09/2026, 10/2026" in body


def test_pagination_keeps_the_filters(officer_client, today):
    build_province(60)
    body = officer_client.get(LIST, {"type": "health_station", "sort": "-progress"}).content.decode()
    assert re.search(r'id="facility-count">9<', body)
    body = officer_client.get(LIST, {"sort": "-progress"}).content.decode()
    assert "page=2" in body and "sort=-progress" in body


@pytest.mark.parametrize("size", [10, 300])
def test_list_query_count_does_not_grow(officer_client, today, size, django_assert_max_num_queries):
    build_province(size)
    with django_assert_max_num_queries(LIST_QUERIES):
        assert officer_client.get(LIST).status_code == 200
    with django_assert_max_num_queries(LIST_QUERIES):
        response = officer_client.get(
            LIST, {"status": ["at_risk", "overdue"], "sort": "-last_report", "month": "10/2026", "reported": "no"}
        )
        assert response.status_code == 200
    with django_assert_max_num_queries(LIST_QUERIES):
        assert officer_client.get(LIST, {"date": "31/10/2026", "sort": "status", "q": "co so"}).status_code == 200


def test_sort_by_area(officer_client, three):
    from facilities.tests.factories import AreaFactory

    for facility, name in zip(three, ["Xã Thanh Bình", "Phường An Hòa", "Xã Mỹ Hiệp"], strict=True):
        facility.area = AreaFactory(name=name)
        facility.save()
    assert codes(officer_client.get(LIST, {"sort": "area"})) == ["82221", "82222", "82001"]
    assert codes(officer_client.get(LIST, {"sort": "-area"})) == ["82001", "82222", "82221"]


def test_facilities_without_a_status_can_be_listed(officer_client, three):
    FacilityFactory(code="82299", name="Trạm Y tế xã mới")  # never computed
    assert codes(officer_client.get(LIST, {"status": "not_computed"})) == ["82299"]
    assert codes(officer_client.get(LIST, {"status": ["not_computed", "overdue"]})) == ["82001", "82299"]
    body = officer_client.get(LIST).content.decode()
    assert re.search(r'value="not_computed"[^>]*>\s*<label[^>]*><span class="badge rag-grey">Chưa được tính<', body)


def test_facilities_with_an_approved_assessment(officer_client, three):
    from assessments.tests.factories import AssessmentFactory

    hospital, at_risk, on_track = three
    AssessmentFactory(facility=hospital, status=Status.APPROVED, reviewed_at=local(2026, 11, 1))
    AssessmentFactory(facility=on_track, status=Status.APPROVED, reviewed_at=local(2026, 11, 20))
    AssessmentFactory(facility=at_risk, status=Status.SUBMITTED, submitted_at=local(2026, 11, 2))
    assert codes(officer_client.get(LIST, {"assessed": "true"})) == ["82001", "82222"]
    assert codes(officer_client.get(LIST, {"assessed": "false"})) == ["82221"]
    assert codes(officer_client.get(LIST, {"assessed": "true", "date": "31/10/2026"})) == []  # approved later
    assert codes(officer_client.get(LIST, {"escalated": "false"})) == ["82001", "82221"]


def test_a_past_date_lists_only_the_reports_sent_by_then(officer_client, three):
    hospital = three[0]  # its October report was submitted on 09/11
    assert "82001" in codes(officer_client.get(LIST, {"month": "10/2026", "reported": "yes"}))
    past = {"month": "10/2026", "date": "08/11/2026"}
    assert codes(officer_client.get(LIST, {**past, "reported": "yes"})) == ["82222"]
    assert hospital.code in codes(officer_client.get(LIST, {**past, "reported": "no"}))


def test_yes_no_filters_offer_all_and_the_button_reads_loc(officer_client, three):
    body = officer_client.get(LIST).content.decode()
    for name in ("active", "deployed", "escalated", "assessed"):
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
        assert re.findall(r"<option[^>]*>(.*?)</option>", select) == ["Tất cả", "Có", "Không"], name
    assert "Chưa xác định" not in body
    assert re.search(r'<button type="submit"[^>]*>Lọc</button>', body)


def test_on_a_phone_the_code_type_and_area_columns_hide_and_the_filters_fold(officer_client, three):
    body = officer_client.get(LIST).content.decode()
    head = re.search(r"<thead>(.*?)</thead>", body, re.S).group(1)
    hidden = re.findall(r'<th class="d-none d-md-table-cell"[^>]*><a [^>]*>([^<]+)</a>', head)
    assert [label.rstrip(" ▲▼") for label in hidden] == ["Mã", "Loại hình", "Xã/phường"]
    row = re.search(r'<tr data-code="82221">(.*?)</tr>', body, re.S).group(1)
    assert row.count('<td class="d-none d-md-table-cell">') == 3
    assert '<div class="reasons small text-muted d-none d-md-block">' in row
    assert re.search(r'<form [^>]*class="[^"]*collapse d-md-block[^"]*" id="facility-filters"', body)
    assert 'data-bs-target="#facility-filters"' in body
