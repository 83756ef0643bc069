"""The registry forms as the browser renders them: a DoH officer creates a facility, then edits it,
choosing the commune in the select the page offers, with and without JavaScript."""

import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from core.tests.migration_data import as_migrated  # noqa: F401 (an autouse fixture for this module)
from facilities.models import Facility
from facilities.tests.factories import AreaFactory, facility_type

pytestmark = pytest.mark.browser


@pytest.fixture
def communes(transactional_db):
    UserFactory(officer=True, username="canbo")
    return AreaFactory(code="29001", name="Xã Tân Hồng"), AreaFactory(code="29002", name="Xã Tân Thành")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_an_officer_creates_then_edits_a_facility_through_the_forms(server, communes, browser, javascript):
    tan_hong, tan_thanh = communes
    station = facility_type("health_station")
    context = browser.new_context(base_url=server.url, locale="vi-VN", java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "canbo")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    page.goto("/facilities/new/")
    page.fill("input[name=code]", "82299")
    page.fill("input[name=name]", "Trạm Y tế xã Tân Hồng")
    page.select_option("select[name=type]", str(station.pk))
    page.select_option("select[name=ownership]", "public")
    page.select_option("select[name=area]", label=tan_hong.name)
    page.check("input[name=has_outpatient]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/facilities/82299/")
    assert "Trạm Y tế xã Tân Hồng" in page.inner_text("main")

    page.goto("/facilities/82299/edit/")
    assert page.input_value("select[name=area]") == tan_hong.code  # the saved commune, selected as rendered
    page.fill("input[name=name]", "Trạm Y tế xã Tân Hồng (mới)")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/facilities/82299/")
    page.goto("/facilities/82299/edit/")
    page.select_option("select[name=area]", label=tan_thanh.name)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/facilities/82299/")
    context.close()

    facility = Facility.objects.select_related("area").get(code="82299")
    assert (facility.name, facility.area, facility.type) == ("Trạm Y tế xã Tân Hồng (mới)", tan_thanh, station)
    assert facility.history.count() == 3
