"""Facility users see only their own facilities; everything else answers 404 (never its data)."""

import pytest
from django.urls import reverse

from dashboard.urls import facility_urlpatterns
from facilities.models import Facility
from facilities.tests.factories import MembershipFactory
from facilities.urls import urlpatterns as registry_urlpatterns
from reports.models import MonthlyReport
from reports.tests.factories import MonthlyReportFactory

FACILITY_PAGES = ["facilities:detail", "facilities:edit", "facilities:extension", "facilities:members"]


@pytest.mark.parametrize("name", ["facilities:detail"])
def test_staff_see_their_own_facility(staff_client, facility, name):
    response = staff_client.get(reverse(name, args=[facility.code]))
    assert response.status_code == 200
    assert facility.name in response.content.decode()


@pytest.mark.parametrize("name", FACILITY_PAGES)
def test_other_facility_staff_get_404(staff_client, other_facility, name):
    response = staff_client.get(reverse(name, args=[other_facility.code]))
    assert response.status_code == 404
    assert other_facility.name not in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "facilities:edit",
        "facilities:set_active",
        "facilities:extension",
        "facilities:members",
        "facilities:member_remove",
        "facilities:member_role",
    ],
)
def test_other_facility_staff_cannot_post(staff_client, other_facility, name):
    member = MembershipFactory(facility=other_facility)
    args = [other_facility.code, member.pk] if name.startswith("facilities:member_") else [other_facility.code]
    data = {"active": "0", "name": "Đã bị sửa", "deadline": "31/12/2027", "reason": "x", "role": "head"}
    data |= {"username": "ke.la", "password": "Mat-khau-manh-2026"}
    response = staff_client.post(reverse(name, args=args), data)
    assert response.status_code == 404
    other_facility.refresh_from_db()
    assert other_facility.is_active and other_facility.deadline is None
    assert other_facility.name == "Trạm Y tế phường Mỹ Tho"
    assert list(other_facility.memberships.values_list("pk", "role")) == [(member.pk, "staff")]


def test_list_shows_only_own_facilities(staff_client, facility, other_facility):
    body = staff_client.get(reverse("facilities:list")).content.decode()
    assert facility.name in body
    assert other_facility.name not in body


@pytest.mark.parametrize("name", ["facilities:edit", "facilities:extension", "facilities:members"])
def test_staff_cannot_manage_their_own_registry_entry(staff_client, facility, name):
    assert staff_client.get(reverse(name, args=[facility.code])).status_code == 403


def test_staff_cannot_change_their_own_role(staff_client, staff, facility):
    membership = staff.memberships.get(facility=facility)
    url = reverse("facilities:member_role", args=[facility.code, membership.pk])
    assert staff_client.post(url, {"role": "head"}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == "staff"


def test_leadership_reads_every_facility_but_cannot_edit(client, leadership, facility, other_facility):
    client.force_login(leadership)
    assert client.get(reverse("facilities:detail", args=[other_facility.code])).status_code == 200
    assert client.get(reverse("facilities:edit", args=[other_facility.code])).status_code == 403


@pytest.mark.parametrize(
    "url",
    ["/", "/facilities/", "/facilities/import/", "/facilities/70000/"],
)
def test_anonymous_users_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("pattern", [*registry_urlpatterns, *facility_urlpatterns], ids=lambda pattern: pattern.name)
def test_anonymous_users_are_sent_to_login_from_every_facility_url(client, facility, method, pattern):
    """Every URL under /facilities/ (registry and facility pages), with a real facility and member, left as found."""
    member = MembershipFactory(facility=facility)
    values = {"code": facility.code, "pk": member.pk}
    url = reverse(f"facilities:{pattern.name}", kwargs={key: values[key] for key in pattern.pattern.converters})
    response = getattr(client, method)(url, {"active": "0", "name": "Đã bị sửa", "role": "head"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    facility.refresh_from_db()
    assert (facility.is_active, facility.name) == (True, "Trạm Y tế xã Tân Hồng")
    assert list(facility.memberships.values_list("pk", "role")) == [(member.pk, "staff")]


def test_facility_user_with_one_facility_lands_on_it(staff_client, facility):
    response = staff_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == facility.get_absolute_url()


def test_facility_user_with_several_facilities_chooses(staff_client, staff, other_facility, facility):
    MembershipFactory(user=staff, facility=other_facility)
    body = staff_client.get("/").content.decode()
    assert facility.name in body and other_facility.name in body


def test_restrict_keeps_a_member_to_their_facility_and_adds_nothing_for_every_facility(staff, officer, facility):
    """One scoping method reaches the other models: a member reads their facility's rows only; an officer's
    unfiltered scope reads every row without a facility subquery (the review queue's count at national scale)."""
    own, other = MonthlyReportFactory(facility=facility), MonthlyReportFactory()
    assert list(MonthlyReport.objects.for_user(staff)) == [own]
    everything = MonthlyReport.objects.for_user(officer)
    assert set(everything) == {own, other}
    assert "facilities_facility" not in str(everything.order_by().query)
    assert list(Facility.objects.filter(pk=other.facility_id).restrict(MonthlyReport.objects.all())) == [other]
    assert list(Facility.objects.none().restrict(MonthlyReport.objects.all())) == []
