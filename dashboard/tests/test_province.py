"""The province dashboard: who sees it, and its numbers against a hand-built province."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from assessments.tests.factories import AssessmentFactory
from compliance.models import ComplianceRollup
from compliance.models import ComplianceStatus as S
from compliance.tests.factories import ComplianceSnapshotFactory, FacilityComplianceFactory
from core.models import Status
from core.tests.parallel import clear_cache
from escalations.models import EscalationState
from escalations.tests.factories import EscalationItemFactory
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type
from milestones.tests.factories import MilestoneFactory
from reports.models import MonthlyReport
from reports.tests.factories import MonthlyReportFactory

from .province import build_province, local

DASHBOARD = reverse("dashboard:province")
DATA = reverse("dashboard:province_data")
# Session, user, 13 reads of the numbers (2 more with the items to review, for officers), 2 for
# the filter choices; one more with a type filter (its choice is looked up). The session is not saved:
# an active one is written once a minute (accounts.middleware), so each test opens a page first.
# Pinned at 10 and 300 facilities, with the memoised blocks computed (cold); from the cache (warm)
# their 5 reads are left out.
DASHBOARD_QUERIES = 21  # cold, the counting blocks read from the rollups
MEMOISED_QUERIES = 5  # from the rollups: completeness 2, by type, trend, budget 1 each


@pytest.fixture
def province(db, today):
    """Eight active facilities (one never computed), one inactive, with hand-picked numbers.

    | code  | type             | area | status            | progress |
    | 82001 | general hospital | A    | deployed_on_time | 1        |
    | 82002 | general hospital | B    | overdue           | 0.5      |
    | 82201 | health station   | A    | at_risk           | 0.2      |
    | 82202 | health station   | A    | on_track          | 0.6      |
    | 82203 | health station   | B    | no_data           | 0        |
    | 82204 | health station   | A    | (not computed)    |          |
    | 82401 | private clinic   | B    | deployed_late    | 1        |
    | 82402 | private clinic   | B    | at_risk           | 0.4      |
    | 82299 | health station   | A    | overdue, INACTIVE |          |
    """
    a = AreaFactory(code="28101", name="Xã Tân Hồng")
    b = AreaFactory(code="28102", name="Phường Mỹ Tho")
    hospital, station, clinic = (facility_type(c) for c in ("general_hospital", "health_station", "private_clinic"))
    f = {}

    def add(code, type_, area, status=None, progress=0, days=-56, reasons=None, compliance=None, **kwargs):
        f[code] = FacilityFactory(code=code, name=f"Cơ sở {code}", type=type_, area=area, **kwargs)
        if status:
            FacilityComplianceFactory(
                facility=f[code],
                status=status,
                progress=progress,
                days_to_deadline=days,
                deployed=status.startswith("deployed"),
                reasons=reasons or [{"code": "decision_missing"}],
                **(compliance or {}),
            )

    add(
        "82001",
        hospital,
        a,
        S.DEPLOYED_ON_TIME,
        1,
        compliance={"after_legal_deadline": True, "paperless_status": "paperless_on_time"},
    )
    add("82002", hospital, b, S.OVERDUE, 0.5, compliance={"paperless_status": "paper_in_use"})
    add(
        "82201",
        station,
        a,
        S.AT_RISK,
        0.2,
        reasons=[{"code": "months_missing", "months": ["2026-09", "2026-10"]}, {"code": "stage", "stage": 2}],
    )
    add("82202", station, a, S.ON_TRACK, 0.6)
    add("82203", station, b, S.NO_DATA, 0)
    add("82204", station, a)
    add(
        "82401",
        clinic,
        b,
        S.DEPLOYED_LATE,
        1,
        ownership="private",
        compliance={"after_legal_deadline": True, "paperless_status": "paperless_late"},  # not a hospital
    )
    add(
        "82402",
        clinic,
        b,
        S.AT_RISK,
        0.4,
        days=36,
        reasons=[{"code": "projection", "kind": "date", "date": "2026-12-20"}],
        ownership="private",
    )
    add("82299", station, a, S.OVERDUE, 0, is_active=False)

    # Snapshots: month ends feed the trend; 15/10 is not a month end.
    ComplianceSnapshotFactory(facility=f["82001"], as_of=datetime.date(2026, 9, 30), status=S.ON_TRACK)
    ComplianceSnapshotFactory(facility=f["82001"], as_of=datetime.date(2026, 10, 31), status=S.ON_TRACK)
    ComplianceSnapshotFactory(facility=f["82002"], as_of=datetime.date(2026, 10, 31), status=S.AT_RISK)
    ComplianceSnapshotFactory(facility=f["82201"], as_of=datetime.date(2026, 10, 31), status=S.AT_RISK)
    ComplianceSnapshotFactory(facility=f["82201"], as_of=datetime.date(2026, 10, 15), status=S.NO_DATA)
    ComplianceSnapshotFactory(facility=f["82299"], as_of=datetime.date(2026, 10, 31), status=S.OVERDUE)

    # Reports for 10/2026 (due 05/11/2026) and 09/2026 (due 05/10/2026).
    october, september = datetime.date(2026, 10, 1), datetime.date(2026, 9, 1)
    MonthlyReportFactory(
        bare=True, facility=f["82001"], period=october, status=Status.APPROVED, submitted_at=local(2026, 11, 3)
    )
    MonthlyReportFactory(
        bare=True, facility=f["82002"], period=october, status=Status.SUBMITTED, submitted_at=local(2026, 11, 10)
    )
    MonthlyReportFactory(bare=True, facility=f["82201"], period=october, status=Status.DRAFT, needs_escalation=True)
    MonthlyReportFactory(
        bare=True, facility=f["82202"], period=october, status=Status.RETURNED, submitted_at=local(2026, 11, 2)
    )
    MonthlyReportFactory(
        bare=True, facility=f["82401"], period=october, status=Status.APPROVED, submitted_at=local(2026, 11, 5, 23, 30)
    )
    MonthlyReportFactory(
        bare=True, facility=f["82299"], period=october, status=Status.APPROVED, submitted_at=local(2026, 11, 1)
    )
    MonthlyReportFactory(
        bare=True, facility=f["82203"], period=september, status=Status.APPROVED, submitted_at=local(2026, 10, 1)
    )
    escalated = MonthlyReportFactory(
        bare=True,
        facility=f["82202"],
        period=september,
        status=Status.APPROVED,
        submitted_at=local(2026, 10, 6),
        needs_escalation=True,
        difficulties="Thiếu kinh phí mua máy chủ",
    )
    # Approving it put its difficulty in the escalation register (the draft's above is not there).
    EscalationItemFactory(
        facility=f["82202"], report=escalated, raised_on=datetime.date(2026, 10, 6), difficulty=escalated.difficulties
    )
    old = MonthlyReportFactory(
        bare=True,
        facility=f["82203"],
        period=datetime.date(2025, 12, 1),
        status=Status.APPROVED,
        needs_escalation=True,
    )
    EscalationItemFactory(  # raised before the six-month window and resolved then: not counted
        facility=f["82203"],
        report=old,
        raised_on=datetime.date(2026, 1, 6),
        state=EscalationState.RESOLVED,
        resolved_on=datetime.date(2026, 2, 1),
    )

    # Assessments: the latest approved one per facility counts for the budget.
    AssessmentFactory(
        facility=f["82001"],
        status=Status.APPROVED,
        reviewed_at=local(2025, 6, 1),
        budget_needed=5_000_000_000,
        budget_secured=0,
    )
    AssessmentFactory(
        facility=f["82001"],
        status=Status.APPROVED,
        reviewed_at=local(2026, 3, 1),
        budget_needed=1_000_000_000,
        budget_secured=400_000_000,
    )
    AssessmentFactory(
        facility=f["82002"],
        status=Status.APPROVED,
        reviewed_at=local(2026, 2, 1),
        budget_needed=2_000_000_000,
        budget_secured=2_000_000_000,
    )
    AssessmentFactory(
        facility=f["82201"],
        status=Status.SUBMITTED,
        submitted_at=local(2026, 11, 20),
        budget_needed=100_000_000,
        budget_secured=0,
    )
    AssessmentFactory(
        facility=f["82401"],
        status=Status.APPROVED,
        reviewed_at=local(2026, 4, 1),
        budget_needed=300_000_000,
        budget_secured=0,
    )
    return f


def data(client, **params):
    response = client.get(DATA, params)
    assert response.status_code == 200
    return response.json()


def statuses(payload) -> dict[str, int]:
    return {row["code"]: row["count"] for row in payload["statuses"]}


def card(body: str, status: str) -> str:
    return re.search(rf'data-status="{status}">(.*?)</div></div>', body, re.S).group(1)


# ------------------------------------------------------------------ access


def test_facility_staff_are_sent_to_their_facility(staff_client, facility):
    response = staff_client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert staff_client.get(reverse("dashboard:home"))["Location"] == facility.get_absolute_url()


def test_facility_staff_get_403_for_the_province_json(staff_client, province):
    response = staff_client.get(DATA)
    assert response.status_code == 403
    assert "82002" not in response.content.decode()


def test_anonymous_users_are_sent_to_login(client, db):
    for url in (DASHBOARD, DATA):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["officer", "leadership"])
def test_officers_and_leadership_land_on_the_dashboard(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("dashboard:home"))["Location"] == DASHBOARD


def test_a_milestone_awaiting_verification_is_counted_and_listed_for_officers(officer_client, province):
    station = province["82201"]
    MilestoneFactory(facility=station, submitted=True)
    payload = data(officer_client)
    assert payload["review"]["milestones"] == 1
    assert payload["review"]["total"] == payload["review"]["reports"] + payload["review"]["assessments"] + 1
    review = officer_client.get(DASHBOARD).content.decode()
    review = review[review.index('id="review"') : review.index('id="escalations"')]
    assert "1 mốc triển khai" in review
    assert "Đã có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy" in review


def test_leadership_gets_the_dashboard_json(client, leadership, province):
    client.force_login(leadership)
    payload = data(client, type="health_station")
    assert payload["total"] == 4 and statuses(payload)["at_risk"] == 1
    assert payload["review"] == {"reports": 0, "assessments": 1, "milestones": 0, "total": 1}


def test_officer_sees_the_items_to_review_with_links(officer_client, province):
    body = officer_client.get(DASHBOARD).content.decode()
    review = body[body.index('id="review"') :]
    assert reverse("reports:review_queue") in review
    assert province["82002"].monthly_reports.get().get_absolute_url() in review
    assert "1 báo cáo tháng" in review and "1 đánh giá" in review


def test_leadership_sees_the_review_counts_but_no_review_links(client, leadership, province):
    client.force_login(leadership)
    body = client.get(DASHBOARD).content.decode()
    review = body[body.index('id="review"') : body.index('id="escalations"')]
    assert "1 báo cáo tháng" in review and "1 đánh giá" in review
    assert reverse("reports:review_queue") not in review
    assert province["82002"].monthly_reports.get().get_absolute_url() not in review


# ------------------------------------------------------------------ numbers


def test_status_counts_and_shares(officer_client, province):
    payload = data(officer_client)
    assert payload["total"] == 8  # the inactive facility does not count
    assert payload["not_computed"] == 1
    assert statuses(payload) == {
        "overdue": 1,
        "at_risk": 2,
        "deployed_late": 1,
        "no_data": 1,
        "on_track": 1,
        "deployed_on_time": 1,
    }
    shares = {row["code"]: row["share"] for row in payload["statuses"]}
    assert shares["at_risk"] == 0.25 and shares["overdue"] == 0.125

    body = officer_client.get(DASHBOARD).content.decode()
    assert ">2</a>" in card(body, "at_risk") and "25\u00a0%" in card(body, "at_risk")
    assert ">1</a>" in card(body, "overdue") and "13\u00a0%" in card(body, "overdue")
    assert re.search(r'id="behind-count">3<', body)
    assert re.search(r'id="total-facilities">8<', body)


def test_both_obligations_and_the_missed_deadlines_are_counted(officer_client, province):
    payload = data(officer_client)
    paperless = {row["code"]: row["count"] for row in payload["paperless"]}
    assert paperless == {"paper_in_use": 1, "paperless_late": 1, "not_due": 4, "paperless_on_time": 1}
    assert payload["missed_deadline"] == 2  # 82002 overdue, 82401 deployed late
    assert payload["hospitals_after_legal"] == 1  # 82001; 82401 is a clinic
    body = officer_client.get(DASHBOARD).content.decode()
    assert re.search(r'id="missed-deadline">2<', body)
    assert re.search(r'id="hospitals-after-legal">1<', body)
    assert 'data-paperless="paper_in_use"' in body


def test_deadline_countdown(officer_client, province):
    payload = data(officer_client)
    assert payload["days_to_deadline"] == -56
    assert payload["deadline"] == "2026-09-30" and payload["paperless_from"] == "2026-10-01"
    body = officer_client.get(DASHBOARD).content.decode()
    assert "56 ngày quá hạn" in body
    assert "01/10/2026" in body


def test_days_left_before_the_deadline(officer_client, officer):
    with time_machine.travel(local(2026, 9, 1, 9), tick=False):
        officer_client.force_login(officer)
        assert data(officer_client)["days_to_deadline"] == 29
        assert "Còn 29 ngày" in officer_client.get(DASHBOARD).content.decode()


def test_progress_by_type(officer_client, province):
    by_type = {row["code"]: row for row in data(officer_client)["by_type"]}
    assert list(by_type) == ["general_hospital", "health_station", "private_clinic"]
    assert by_type["general_hospital"] | {"counts": None, "paperless": None} == {
        "code": "general_hospital",
        "label": "Bệnh viện đa khoa tỉnh",
        "facilities": 2,
        "complete": 1,
        "complete_share": 0.5,
        "progress": 0.75,
        "counts": None,
        "paperless": None,
        "missed_deadline": 1,
        "hospitals_after_legal": 1,
    }
    assert by_type["general_hospital"]["paperless"]["paper_in_use"] == 1
    station = by_type["health_station"]
    assert (station["facilities"], station["complete"], station["progress"]) == (4, 0, 0.2667)
    assert station["counts"]["at_risk"] == 1 and station["counts"]["no_data"] == 1
    assert (by_type["private_clinic"]["complete_share"], by_type["private_clinic"]["progress"]) == (0.5, 0.7)

    body = officer_client.get(DASHBOARD).content.decode()
    row = re.search(r'<tr data-type="health_station">(.*?)</tr>', body, re.S).group(1)
    assert "27\u00a0%" in row and ">4</a>" in row


def test_reporting_completeness_and_timeliness(officer_client, province):
    months = {row["period"]: row for row in data(officer_client)["reporting"]}
    assert list(months) == [f"2026-{m:02d}-01" for m in range(5, 11)]
    # 10/2026: approved on time, submitted late, approved on the due day at 23:30; the draft,
    # the returned report and the inactive facility's report do not count.
    assert months["2026-10-01"] | {"label": None} == {
        "period": "2026-10-01",
        "label": None,
        "due": "2026-11-05",
        "due_label": "05/11/2026",
        "missing": 5,
        "expected": 8,
        "sent": 3,
        "on_time": 2,
        "completeness": 0.375,
        "timeliness": 0.25,
    }
    assert (months["2026-09-01"]["sent"], months["2026-09-01"]["on_time"]) == (2, 1)
    assert months["2026-05-01"]["sent"] == 0

    body = officer_client.get(DASHBOARD).content.decode()
    row = re.search(r'<tr data-period="2026-10">(.*?)</tr>', body, re.S).group(1)
    assert "05/11/2026" in row and "25\u00a0%" in row
    assert "month=10%2F2026&amp;reported=no" in row


def test_behind_schedule_worst_first_with_reasons_and_last_report(officer_client, province):
    behind = data(officer_client)["behind"]
    assert [row["code"] for row in behind] == ["82002", "82201", "82402"]
    assert behind[0]["last_report"] == {"period": "2026-10-01", "status": "submitted"}
    assert behind[1]["reasons"] == [
        {"code": "months_missing", "months": ["2026-09", "2026-10"]},
        {"code": "stage", "stage": 2},
    ]
    assert behind[1]["last_report"] is None  # only a draft: nothing sent
    body = officer_client.get(DASHBOARD).content.decode()
    table = body[body.index('id="behind"') :]
    table = table[: table.index("</table>")]
    assert "Chưa có báo cáo được duyệt tháng 09/2026, 10/2026" in table
    assert "Chưa có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy" in table  # what an overdue one lacks
    assert "quá thời hạn" not in table


def test_behind_schedule_shows_at_risk_facilities_however_many_are_overdue(officer_client, today):
    """The worst ten overdue, then the worst ten at risk: a long overdue list no longer hides the others."""
    for i in range(21):
        FacilityComplianceFactory(
            facility=FacilityFactory(code=f"{83000 + i}"), status=S.OVERDUE, days_to_deadline=-56 - i
        )
    for i in range(3):
        FacilityComplianceFactory(
            facility=FacilityFactory(code=f"{84000 + i}"), status=S.AT_RISK, days_to_deadline=20 + i
        )
    behind = [row["code"] for row in data(officer_client)["behind"]]
    assert behind == [f"{83000 + i}" for i in range(20, 10, -1)] + ["84000", "84001", "84002"]

    body = officer_client.get(DASHBOARD).content.decode()
    table = body[body.index('id="behind"') : body.index("</table>", body.index('id="behind"'))]
    overdue = re.search(r'data-group="overdue">.*?href="([^"]+)">Xem tất cả 21<', table, re.S).group(1)
    at_risk = re.search(r'data-group="at_risk">.*?href="([^"]+)">Xem tất cả 3<', table, re.S).group(1)
    assert "status=overdue" in overdue and "status=at_risk" in at_risk
    assert table.index('data-group="overdue"') < table.index('data-group="at_risk"')
    assert "quá 76 ngày" in table and "quá 67 ngày" in table  # days past its deadline, not "-76"
    assert ">20</td>" in table  # days still left: the number


def test_escalations_count_the_registers_items_in_the_window(officer_client, province):
    payload = data(officer_client)
    assert payload["escalations"] == {"count": 1, "facilities": 1}
    body = officer_client.get(DASHBOARD).content.decode()
    assert "Thiếu kinh phí mua máy chủ" in body


def test_budget_from_the_latest_approved_assessment(officer_client, province):
    budget = {row["code"]: row for row in data(officer_client)["budget"]}
    assert budget["general_hospital"]["assessed"] == 2
    assert budget["general_hospital"]["needed"] == 3_000_000_000
    assert budget["general_hospital"]["secured"] == 2_400_000_000
    assert budget["general_hospital"]["secured_share"] == 0.8
    assert budget["private_clinic"]["needed"] == 300_000_000
    assert "health_station" not in budget  # only a submitted assessment
    assert "3.000.000.000\u00a0₫" in officer_client.get(DASHBOARD).content.decode()


def test_data_as_of_shows_when_compliance_was_computed(officer_client, province):
    payload = data(officer_client)
    assert payload["computed_at"].startswith("2026-11-25T10:00")
    assert "dữ liệu tính lúc 25/11/2026 10:00" in officer_client.get(DASHBOARD).content.decode()


def test_stale_numbers_are_flagged(officer_client, officer, province):
    with time_machine.travel(local(2026, 11, 26, 8), tick=False):
        officer_client.force_login(officer)  # the session of the day before has expired
        body = officer_client.get(DASHBOARD).content.decode()
    assert "Lần tính tuân thủ gần nhất là 25/11/2026 10:00" in body


# ------------------------------------------------------------------ filters and dates


def test_filters_apply_to_every_number(officer_client, province):
    payload = data(officer_client, type="health_station")
    assert payload["total"] == 4
    assert statuses(payload)["at_risk"] == 1
    assert [row["code"] for row in payload["by_type"]] == ["health_station"]
    assert payload["reporting"][-1]["expected"] == 4 and payload["reporting"][-1]["sent"] == 0
    assert [row["code"] for row in payload["behind"]] == ["82201"]
    assert payload["escalations"]["count"] == 1
    assert payload["review"] == {"reports": 0, "assessments": 1, "milestones": 0, "total": 1}
    assert payload["budget"] == []

    payload = data(officer_client, area="28102", ownership="private")
    assert payload["total"] == 2
    assert statuses(payload) | {"on_track": 0} == {
        "overdue": 0,
        "at_risk": 1,
        "deployed_late": 1,
        "no_data": 0,
        "on_track": 0,
        "deployed_on_time": 0,
    }


def _number_links(body: str) -> list[tuple[str, int]]:
    """Every link to the facility list or the review queue whose text holds a number, with that number."""
    found = []
    for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', body, re.S):
        href = href.replace("&amp;", "&")
        number = re.search(r"\d[\d.]*", re.sub(r"<[^>]+>", "", text))
        if number and href.split("?")[0] in (reverse("facilities:list"), reverse("reports:review_queue")):
            found.append((href, int(number.group().replace(".", ""))))
    return found


def _rows_listed(client, href: str) -> int:
    """The total the linked list shows in its title (the facility list or the review queue)."""
    body = client.get(href).content.decode()
    total = re.search(r"<h1[^>]*>.*?<span [^>]*class=\"badge[^\"]*\"[^>]*>([\d.]+)</span>", body, re.S)
    return int(total.group(1).replace(".", ""))


@pytest.mark.parametrize(
    "params",
    [{}, {"type": "health_station", "area": "28101"}, {"ownership": "private"}, {"date": "31/10/2026"}],
    ids=["today", "type-and-area", "ownership", "past-date"],
)
def test_every_number_links_to_a_list_of_that_many(officer_client, province, params):
    body = officer_client.get(DASHBOARD, params).content.decode()
    links = _number_links(body)
    expected = ["status=", "deployed=true", "reported=on_time", "escalated=true", "kind=report"]
    expected += ["paperless=", "missed=true", "after_legal=true"]
    if not params:
        expected += ["status=not_computed", "kind=assessment", "assessed=true"]
    for part in expected:
        assert any(part in href for href, _ in links), part
    for key in ("type", "area", "ownership"):  # the filters go with every link, to the list or the queue
        assert all(f"{key}={params[key]}" in href for href, _ in links if key in params)
    listed = [(href, shown, _rows_listed(officer_client, href)) for href, shown in links]
    assert [(href, shown, rows) for href, shown, rows in listed if shown != rows] == []


def test_filters_are_kept_in_the_links_to_the_list(officer_client, province):
    body = officer_client.get(DASHBOARD, {"type": "health_station", "area": "28101"}).content.decode()
    at_risk = card(body, "at_risk")
    href = re.search(r'href="([^"]+)"', at_risk).group(1).replace("&amp;", "&")
    assert href.startswith(reverse("facilities:list") + "?")
    for part in ("type=health_station", "area=28101", "active=true", "status=at_risk"):
        assert part in href
    listing = officer_client.get(href).content.decode()
    assert 'data-code="82201"' in listing and 'data-code="82402"' not in listing
    assert re.search(r'id="facility-count">1<', listing)
    assert 'value="health_station" selected' in body  # the form shows the filters applied


def test_a_past_date_reads_that_days_snapshots(officer_client, province):
    payload = data(officer_client, date="31/10/2026")
    assert payload["as_of"] == "2026-10-31" and payload["current"] is False
    assert payload["total"] == 8
    assert statuses(payload) | {"on_track": 1, "at_risk": 2} == statuses(payload)
    assert sum(statuses(payload).values()) == 3
    assert payload["days_to_deadline"] == -31
    # The months that had ended by 31/10.
    assert [m["period"] for m in payload["reporting"]][-1] == "2026-09-01"
    assert payload["reporting"][-1]["sent"] == 2
    assert payload["escalations"]["count"] == 1
    # The budget as approved by then.
    assert {row["code"]: row["needed"] for row in payload["budget"]}["general_hospital"] == 3_000_000_000

    body = officer_client.get(DASHBOARD, {"date": "31/10/2026"}).content.decode()
    assert "31/10/2026" in body
    href = re.search(r'href="([^"]+)"', card(body, "at_risk")).group(1).replace("&amp;", "&")
    assert "date=31%2F10%2F2026" in href
    listing = officer_client.get(href).content.decode()
    assert 'data-code="82002"' in listing and 'data-code="82201"' in listing  # at risk on 31/10


def test_a_past_days_behind_list_is_worst_first_by_days_left_then_progress(officer_client, today):
    """Read from that day's snapshots in the order of their index: nearest deadline, then least progress, then id."""
    day = datetime.date(2026, 10, 31)
    rows = [("83001", S.AT_RISK, 20, 0.5), ("83002", S.AT_RISK, 10, 0.7), ("83003", S.AT_RISK, 10, 0.2)]
    rows += [("83004", S.OVERDUE, -5, 0.9), ("83005", S.ON_TRACK, 1, 0.1), ("83006", S.AT_RISK, 10, 0.2)]
    for code, status, days, progress in rows:
        facility = FacilityFactory(code=code)
        ComplianceSnapshotFactory(facility=facility, as_of=day, status=status, days_to_deadline=days, progress=progress)
        FacilityComplianceFactory(facility=facility, status=S.DEPLOYED_ON_TIME)  # today's status is another
    behind = [row["code"] for row in data(officer_client, date="31/10/2026")["behind"]]
    assert behind == ["83004", "83003", "83006", "83002", "83001"]


def test_a_past_date_counts_only_the_reports_sent_by_then(officer_client, province):
    """September's report sent on 20/11 was not sent yet on 31/10: neither the count nor its list has it."""
    MonthlyReportFactory(
        bare=True,
        facility=province["82201"],
        period=datetime.date(2026, 9, 1),
        status=Status.SUBMITTED,
        submitted_at=local(2026, 11, 20),
    )
    september = {row["period"]: row for row in data(officer_client)["reporting"]}["2026-09-01"]
    assert (september["sent"], september["missing"]) == (3, 5)  # today it counts

    september = data(officer_client, date="31/10/2026")["reporting"][-1]
    assert september["period"] == "2026-09-01"
    assert (september["sent"], september["on_time"], september["missing"]) == (2, 1, 6)

    body = officer_client.get(DASHBOARD, {"date": "31/10/2026"}).content.decode()
    row = re.search(r'<tr data-period="2026-09">(.*?)</tr>', body, re.S).group(1)
    links = dict(re.findall(r'<a href="([^"]+)">([\d.]+)</a>', row))
    listed = {n: officer_client.get(href.replace("&amp;", "&")).content.decode() for href, n in links.items()}
    assert 'data-code="82201"' not in listed["2"] and 'data-code="82201"' in listed["6"]


def test_status_over_time_uses_month_end_snapshots(officer_client, province):
    trend = data(officer_client)["trend"]
    assert trend["dates"][-3:] == ["2026-09-30", "2026-10-31", "2026-11-25"]
    series = {s["code"]: s["counts"] for s in trend["series"]}
    assert series["on_track"][-3:] == [1, 1, 1]
    assert series["at_risk"][-3:] == [0, 2, 2]
    assert series["overdue"][-3:] == [0, 0, 1]  # the inactive facility's snapshot does not count
    assert series["no_data"][0] is None  # no snapshot then


def test_a_future_date_is_refused(officer_client, province):
    body = officer_client.get(DASHBOARD, {"date": "01/12/2026"}).content.decode()
    assert "Chọn hôm nay hoặc một ngày đã qua." in body
    assert data(officer_client, date="01/12/2026")["as_of"] == "2026-11-25"


def test_english_renders(officer_client, province):
    officer_client.cookies["django_language"] = "en"
    body = officer_client.get(DASHBOARD).content.decode()
    assert "Province dashboard" in body and "56 days past" in body
    assert data(officer_client)["by_type"][0]["label"] == "Provincial general hospital"


def test_charts_are_fed_by_embedded_json_and_local_chartjs(officer_client, province):
    body = officer_client.get(DASHBOARD).content.decode()
    assert '<script id="dashboard-data" type="application/json">' in body
    assert "/static/vendor/chart.umd.min.js" in body and "/static/js/charts.js" in body
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', body)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assert body.count('data-chart="') == 5
    assert body.count('class="chart-data') == 2 and body.count('id="by-type"') == 1


# ------------------------------------------------------------------ speed


@pytest.mark.parametrize("size", [10, 300])
def test_dashboard_query_count_does_not_grow(officer_client, today, size, django_assert_num_queries):
    build_province(size)
    officer_client.get(reverse("dashboard:home"))  # the session's renewal
    for params, queries in [
        ({"type": "health_station"}, DASHBOARD_QUERIES + 1),
        ({"date": "31/10/2026"}, DASHBOARD_QUERIES),
    ]:
        clear_cache()
        with django_assert_num_queries(queries):  # cold: the memoised blocks are computed
            assert officer_client.get(DASHBOARD, params).status_code == 200
        with django_assert_num_queries(queries - MEMOISED_QUERIES):  # warm: they come from the cache
            assert officer_client.get(DASHBOARD, params).status_code == 200


def test_without_rollups_a_report_changing_recomputes_only_its_months_completeness(
    officer_client, today, django_assert_num_queries
):
    build_province(10)
    ComplianceRollup.objects.all().delete()  # a day not rolled up: the blocks read the tables, one month at a time
    clear_cache()
    officer_client.get(DASHBOARD)  # every block computed and kept
    report = MonthlyReport.objects.filter(period=datetime.date(2026, 10, 1)).first()
    with time_machine.travel(datetime.datetime(2026, 11, 25, 11, 0, tzinfo=datetime.UTC), tick=False):
        report.save()  # a later write: October's version changes
    # As warm, + October's block (2), + the look for rollup rows (none: not kept, asked again)
    with django_assert_num_queries(DASHBOARD_QUERIES - MEMOISED_QUERIES + 3) as queries:
        assert officer_client.get(DASHBOARD).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT" in q["sql"] and '"period" IN' in q["sql"]]
    assert len(counts) == 1 and "2026-10-01" in counts[0] and "2026-09-01" not in counts[0]


# ------------------------------------------------------------------ words


def test_the_dashboard_shows_its_own_words_not_another_apps(officer_client, province):
    """ "Timeliness" is the reports app's due date and "now" humanize's "just now": contexts keep ours."""
    body = officer_client.get(DASHBOARD).content.decode()
    reporting = body[body.index('id="reporting"') : body.index("</thead>", body.index('id="reporting"'))]
    assert "Tỷ lệ đúng hạn" in reporting and "Thời hạn nộp" not in body
    review = body[body.index('id="review"') : body.index("</h2>", body.index('id="review"'))]
    assert "(hiện tại)" in review and "vừa mới đây" not in body
    assert data(officer_client)["text"]["timeliness"] == "Tỷ lệ đúng hạn"


def test_the_printed_dashboard_says_what_it_shows(officer_client, province):
    body = officer_client.get(DASHBOARD, {"type": "health_station", "date": "31/10/2026"}).content.decode()
    scope = re.search(r'<p class="d-none d-print-block[^"]*" id="print-scope">(.*?)</p>', body, re.S).group(1)
    assert "Loại hình: Trạm Y tế xã/phường" in scope and "31/10/2026" in scope
    scope = re.search(r'id="print-scope">(.*?)</p>', officer_client.get(DASHBOARD).content.decode(), re.S).group(1)
    assert "mọi cơ sở đang hoạt động" in scope and "25/11/2026" in scope


def test_review_counts_open_the_queue_with_the_same_filters(officer_client, province):
    body = officer_client.get(DASHBOARD, {"type": "general_hospital", "ownership": "public"}).content.decode()
    review = body[body.index('id="review"') : body.index('id="escalations"')]
    links = re.findall(rf'href="({re.escape(reverse("reports:review_queue"))}[^"]*)"', review)
    assert len(links) == 3 and all("type=general_hospital" in link and "ownership=public" in link for link in links)
    assert "kind=report" in links[0] and "kind=assessment" in links[1] and "kind=milestone" in links[2]


def test_a_closed_facilitys_submission_awaiting_review_is_counted_as_the_queue_lists_it(officer_client, province):
    """The facility was closed after submitting: the DoH still has to decide, and the queue shows it."""
    MonthlyReportFactory(
        bare=True,
        facility=province["82299"],
        period=datetime.date(2026, 9, 1),
        status=Status.SUBMITTED,
        submitted_at=local(2026, 10, 2),
    )
    assert data(officer_client)["review"]["reports"] == 2
    assert data(officer_client)["total"] == 8  # the facility still counts nowhere else
    body = officer_client.get(DASHBOARD, {"type": "health_station"}).content.decode()
    review = body[body.index('id="review"') : body.index('id="escalations"')]
    href = re.search(r'href="([^"]+kind=report[^"]*)"', review).group(1).replace("&amp;", "&")
    assert "1 báo cáo tháng" in review and _rows_listed(officer_client, href) == 1
