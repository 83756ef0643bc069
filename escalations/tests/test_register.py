"""The escalation register: from a facility's (or an agency's) words to the People's Committee's direction."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.models import Status
from escalations.models import EscalationItem, EscalationState
from escalations.tests.factories import EscalationItemFactory
from facilities.tests.factories import AgencyFactory, AgencyMembershipFactory, FacilityFactory
from reports.services import report_approve
from reports.tests.factories import MonthlyReportFactory

D = datetime.date
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=TZ), tick=False):
        yield D(2026, 11, 25)


@pytest.fixture
def item(facility):
    return EscalationItemFactory(facility=facility)


@pytest.fixture
def finance(db):
    return AgencyFactory(code="stc", name="Sở Tài chính", kind="finance")


def step(client, item, name, **data):
    return client.post(reverse("escalations:step", args=[item.pk, name]), {f"{name}-{k}": v for k, v in data.items()})


# ---------------------------------------------------------------------------- items from reports


def submitted_report(facility, **values):
    return MonthlyReportFactory(
        facility=facility,
        status=Status.SUBMITTED,
        submitted_at=datetime.datetime(2026, 11, 3, 9, tzinfo=TZ),
        difficulties="Máy chủ quá tải, cần đầu tư hạ tầng.",
        **values,
    )


def test_approving_a_report_marked_for_escalation_opens_an_item(facility, officer):
    report = submitted_report(facility, needs_escalation=True)
    report_approve(report=report, by=officer)
    item = EscalationItem.objects.get()
    assert (item.facility, item.report, item.state) == (facility, report, EscalationState.OPEN)
    assert item.difficulty == "Máy chủ quá tải, cần đầu tư hạ tầng."
    assert item.raised_on == D(2026, 11, 3)
    assert item.history.get().history_user == officer


def test_a_report_not_marked_or_not_approved_opens_nothing(facility, officer):
    report_approve(report=submitted_report(facility, needs_escalation=False), by=officer)
    MonthlyReportFactory(facility=facility, period=D(2026, 9, 1), status=Status.RETURNED, needs_escalation=True)
    MonthlyReportFactory(facility=facility, period=D(2026, 8, 1), status=Status.SUBMITTED, needs_escalation=True)
    assert not EscalationItem.objects.exists()


# ---------------------------------------------------------------------------- triage


def test_officer_resolves_an_item_with_the_action(item, officer_client, officer):
    response = step(officer_client, item, "resolve", action="Sở đã cấp tạm 5 chứng thư số.")
    item.refresh_from_db()
    assert response.status_code == 302
    assert (item.state, item.action, item.resolved_on) == (
        EscalationState.RESOLVED,
        "Sở đã cấp tạm 5 chứng thư số.",
        D(2026, 11, 25),
    )
    assert item.history.latest().history_user == officer


def test_officer_hands_an_item_to_another_agency(item, officer_client, finance):
    step(officer_client, item, "refer", partner=finance.pk, action="Đã chuyển Sở Tài chính thẩm định.")
    item.refresh_from_db()
    assert (item.state, item.partner) == (EscalationState.WITH_AGENCY, finance)


def test_from_proposal_to_the_peoples_committees_direction_and_outcome(item, officer_client):
    step(officer_client, item, "propose", proposal="Đề nghị UBND tỉnh bổ sung kinh phí 2 tỷ đồng.")
    item.refresh_from_db()
    assert item.state == EscalationState.PROPOSED and item.proposed_at is not None
    step(
        officer_client, item, "direction", number="1234/UBND-VX", date="20/11/2026", content="Giao Sở Tài chính bố trí."
    )
    item.refresh_from_db()
    assert (item.state, item.direction_number, item.direction_date) == (
        EscalationState.DIRECTED,
        "1234/UBND-VX",
        D(2026, 11, 20),
    )
    step(officer_client, item, "resolve", action="Đã cấp kinh phí ngày 24/11/2026.")
    item.refresh_from_db()
    assert (item.state, item.outcome) == (EscalationState.RESOLVED, "Đã cấp kinh phí ngày 24/11/2026.")
    states = [h.state for h in item.history.order_by("history_date")]
    assert states == ["open", "proposed", "directed", "resolved"]


def test_a_direction_cannot_be_recorded_before_a_proposal(item, officer_client):
    step(officer_client, item, "direction", number="1/UBND", date="20/11/2026", content="x")
    item.refresh_from_db()
    assert item.state == EscalationState.OPEN


def test_a_resolved_item_takes_no_further_step(item, officer_client):
    step(officer_client, item, "resolve", action="Xong.")
    step(officer_client, item, "propose", proposal="Đề nghị.")
    item.refresh_from_db()
    assert item.state == EscalationState.RESOLVED and item.proposal == ""


def test_a_direction_dated_in_the_future_is_refused(item, officer_client):
    step(officer_client, item, "propose", proposal="Đề nghị.")
    response = step(officer_client, item, "direction", number="1/UBND", date="26/11/2026", content="x")
    assert response.status_code == 200 and "date" in response.context["forms"]["direction"].errors


# ---------------------------------------------------------------------------- who sees and does what


def test_facility_staff_see_their_items_and_404_for_another_facilitys(item, staff_client, other_facility):
    other = EscalationItemFactory(facility=other_facility)
    assert staff_client.get(item.get_absolute_url()).status_code == 200
    assert staff_client.get(other.get_absolute_url()).status_code == 404
    listed = staff_client.get(reverse("escalations:list")).context["items"]
    assert list(listed) == [item]


def test_only_officers_triage(item, staff_client, client, leadership):
    assert step(staff_client, item, "resolve", action="x").status_code == 403
    client.force_login(leadership)
    assert step(client, item, "resolve", action="x").status_code == 403
    item.refresh_from_db()
    assert item.state == EscalationState.OPEN


def test_an_agency_reports_a_difficulty_and_sees_only_its_own(client, item):
    membership = AgencyMembershipFactory(agency=AgencyFactory(code="bhxh", name="Bảo hiểm xã hội tỉnh"))
    client.force_login(membership.user)
    response = client.post(
        reverse("escalations:raise"), {"difficulty": "Cổng giám định chưa nhận hồ sơ XML ký số của trạm y tế."}
    )
    raised = EscalationItem.objects.get(agency=membership.agency)
    assert response.status_code == 302 and response.url == raised.get_absolute_url()
    assert (raised.facility, raised.raised_by, raised.state) == (None, membership.user, EscalationState.OPEN)
    assert list(client.get(reverse("escalations:list")).context["items"]) == [raised]
    assert client.get(item.get_absolute_url()).status_code == 404
    other_agency = EscalationItemFactory(facility=None, agency=AgencyFactory(code="ca", name="Công an tỉnh"))
    assert client.get(other_agency.get_absolute_url()).status_code == 404


def test_an_agency_sees_the_items_handled_with_it(item, officer_client, finance):
    client = Client()
    client.force_login(AgencyMembershipFactory(agency=finance).user)
    assert client.get(item.get_absolute_url()).status_code == 404
    step(officer_client, item, "refer", partner=finance.pk, action="Phối hợp thẩm định.")
    assert client.get(item.get_absolute_url()).status_code == 200


def test_a_commune_sees_its_facilities_items_and_status_but_not_others(client, facility, other_facility):
    commune = AgencyFactory(code="ubnd-tan-hong", commune=True, area=facility.area)
    member = AgencyMembershipFactory(agency=commune).user
    mine, theirs = EscalationItemFactory(facility=facility), EscalationItemFactory(facility=other_facility)
    client.force_login(member)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(facility.get_absolute_url()).status_code == 200
    assert client.get(other_facility.get_absolute_url()).status_code == 404


def test_facility_users_cannot_raise_as_an_agency(staff_client):
    assert staff_client.get(reverse("escalations:raise")).status_code == 403


def test_agencies_land_on_the_register(db, client):
    client.force_login(AgencyMembershipFactory().user)
    assert client.get(reverse("dashboard:home")).url == reverse("escalations:list")


# ---------------------------------------------------------------------------- open items by age


def test_open_items_by_age(db, officer_client):
    facility = FacilityFactory()
    for raised in (D(2026, 11, 20), D(2026, 10, 20), D(2026, 9, 1), D(2026, 8, 1)):
        EscalationItemFactory(facility=facility, raised_on=raised)
    EscalationItemFactory(facility=facility, raised_on=D(2026, 8, 1), state=EscalationState.RESOLVED)
    response = officer_client.get(reverse("escalations:list"))
    assert response.context["by_age"] == [((0, 30), 1), ((30, 60), 1), ((60, None), 2)]
    dashboard = officer_client.get(reverse("dashboard:province"))
    assert dashboard.context["data"].register == [((0, 30), 1), ((30, 60), 1), ((60, None), 2)]


def test_register_list_query_count(db, officer_client, django_assert_max_num_queries):
    for _ in range(15):
        EscalationItemFactory()
    with django_assert_max_num_queries(8):
        officer_client.get(reverse("escalations:list"))
