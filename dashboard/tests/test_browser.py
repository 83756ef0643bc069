"""The pages in a real browser: charts drawn without JavaScript errors, filters, links, and the
path of a monthly report from a commune station's nurse to the DoH officer and back to the status.

The data is built relative to the real today (the browser's clock cannot travel), with
deadlines far enough away that the statuses do not depend on the date the suite runs.

After the officer's approval, the facility's compliance is recomputed: with no broker
(SQLite, `make run`) the task runs in-process when the approval commits; with a broker (CI)
no worker runs in this test, so it runs the engine with `manage.py compute_compliance`, as
the nightly job would. The wiring through a real worker is compliance/tests/test_worker.py's.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from compliance.models import ComplianceStatus as S
from compliance.models import FacilityCompliance
from compliance.tests.factories import ComplianceSnapshotFactory, FacilityComplianceFactory
from core.models import Status
from facilities.models import MemberRole
from facilities.tests.factories import FacilityFactory, MembershipFactory, facility_type
from reports.models import month_start, period_end
from reports.tests.factories import MonthlyReportFactory

pytestmark = pytest.mark.browser

CHARTS_DRAWN = """() => {
  const canvases = Array.from(document.querySelectorAll('canvas[data-chart]'));
  return canvases.length > 0 && window.Chart && canvases.every((c) => Chart.getChart(c));
}"""


@pytest.fixture
def province_today(transactional_db):
    """Two stations and a hospital with today's compliance, last month's snapshots and reports."""
    today = timezone.localdate()
    far = today + datetime.timedelta(days=400)
    tan_hong = FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng", deadline=far)
    tan_thanh = FacilityFactory(code="82222", name="Trạm Y tế xã Tân Thành", deadline=far)
    hospital = FacilityFactory(code="82001", name="Bệnh viện Đa khoa Đồng Tháp", type=facility_type("general_hospital"))
    FacilityComplianceFactory(
        facility=tan_hong,
        as_of=today,
        status=S.AT_RISK,
        reasons=[{"code": "months_missing", "months": ["2026-09", "2026-10"]}],
        progress=0.2,
    )
    FacilityComplianceFactory(facility=tan_thanh, as_of=today, status=S.ON_TRACK, progress=0.6)
    FacilityComplianceFactory(facility=hospital, as_of=today, status=S.OVERDUE, progress=0.8)
    last_month_end = period_end(month_start(today, 1))
    for facility, status in [(tan_hong, S.ON_TRACK), (tan_thanh, S.ON_TRACK), (hospital, S.AT_RISK)]:
        ComplianceSnapshotFactory(facility=facility, as_of=last_month_end, status=status)
    MonthlyReportFactory(
        bare=True,
        facility=tan_thanh,
        period=month_start(today, 1),
        status=Status.APPROVED,
        submitted_at=timezone.now(),
        departments_live=6,
    )
    return tan_hong


def test_officer_reads_the_dashboard_filters_follows_a_number_and_opens_a_facility(page, log_in, province_today):
    officer = UserFactory(officer=True, username="canbo.thu")
    log_in(officer.username)
    assert page.url.endswith("/dashboard/")
    page.wait_for_function(CHARTS_DRAWN)
    assert page.locator("canvas[data-chart]").count() == 5
    assert page.inner_text("#total-facilities") == "3"
    assert page.errors == []

    page.select_option("#id_type", "health_station")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_function(CHARTS_DRAWN)
    assert "type=health_station" in page.url
    assert page.inner_text("#total-facilities") == "2"
    assert page.inner_text('[data-status="at_risk"] .h3') == "1"

    page.click('[data-status="at_risk"] a')
    page.wait_for_load_state()
    assert "/facilities/?" in page.url and "status=at_risk" in page.url and "type=health_station" in page.url
    assert page.locator("#facilities tbody tr").count() == 1
    assert page.is_checked("#id_status_1") or page.is_checked('input[name=status][value="at_risk"]')

    page.click("#facilities tbody tr a >> nth=1")
    page.wait_for_load_state()
    assert page.inner_text("h1") == "Trạm Y tế xã Tân Hồng"
    assert "Việc cơ sở còn phải làm" in page.inner_text("#what-next")
    assert page.errors == []


def test_the_dashboard_fits_a_phone(page, log_in, province_today):
    officer = UserFactory(officer=True, username="canbo.dt")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(officer.username)
    page.wait_for_function(CHARTS_DRAWN)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    # The behind-schedule table: its group rows name the status; the reasons read lines of words, not a word a line.
    cells = page.locator("#behind tbody tr:not(.table-light)").first.locator("td")
    assert not cells.nth(1).is_visible()
    assert cells.nth(2).bounding_box()["width"] >= 200 and "Chưa có quyết định" in cells.nth(2).inner_text()
    assert page.errors == []


PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_the_facility_list_and_page_fit_a_phone(page, log_in, province_today):
    """At 390 px the list drops its code, type and area columns and the reasons (the facility page has them)
    and folds its filters; nothing scrolls sideways."""
    officer = UserFactory(officer=True, username="canbo.dienthoai")
    nurse = UserFactory(username="tyt.dienthoai")
    MembershipFactory(user=nurse, facility=province_today, role=MemberRole.STAFF)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(officer.username)

    page.goto("/facilities/")
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert not page.is_visible("#facility-filters") and not page.is_visible("#facilities thead th >> nth=0")
    assert page.locator("#facilities .reasons").count() and not page.is_visible("#facilities .reasons >> nth=0")
    page.click("#filters-toggle")
    page.wait_for_selector("#facility-filters", state="visible")
    assert page.evaluate(PAGE_WIDTH) <= 390

    page.goto(province_today.get_absolute_url())
    assert page.evaluate(PAGE_WIDTH) <= 390
    page.context.clear_cookies()
    log_in(nurse.username)
    assert page.inner_text("h1") == "Trạm Y tế xã Tân Hồng"
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert page.errors == []


def test_printing_shows_the_whole_history_and_what_the_dashboard_shows(page, log_in, province_today):
    officer = UserFactory(officer=True, username="canbo.in")
    log_in(officer.username)
    page.goto("/dashboard/?type=health_station")
    page.wait_for_function(CHARTS_DRAWN)
    chart = "Chart.getChart(document.querySelector('canvas[data-chart=reporting]'))"
    ticks = page.evaluate(f"() => {chart}.scales.y.ticks.map((t) => t.label)")
    assert "100\u00a0%" in ticks  # as the tables write it
    assert not page.is_visible("#print-scope")
    page.emulate_media(media="print")
    assert "Loại hình: Trạm Y tế xã/phường" in page.inner_text("#print-scope")

    page.emulate_media(media="screen")
    page.goto(province_today.get_absolute_url())
    max_height = "() => getComputedStyle(document.querySelector('#submissions .history-scroll')).maxHeight"
    assert page.evaluate(max_height) != "none"
    page.emulate_media(media="print")
    assert page.evaluate(max_height) == "none"
    assert page.errors == []


def status_on_page(page) -> str:
    return page.get_attribute("#compliance .badge", "class")


def test_a_nurse_submits_a_report_the_officer_approves_it_and_the_status_changes(page, log_in, transactional_db):
    today = timezone.localdate()
    station = FacilityFactory(
        code="82223", name="Trạm Y tế xã Tân Hộ Cơ", deadline=today + datetime.timedelta(days=400)
    )
    nurse = UserFactory(username="tyt.tanhoco", first_name="Võ Thị", last_name="Lan")
    MembershipFactory(user=nurse, facility=station, role=MemberRole.STAFF)
    officer = UserFactory(officer=True, username="canbo.duyet")
    call_command("compute_compliance")
    assert FacilityCompliance.objects.get(facility=station).status == S.NO_DATA

    # The nurse lands on her station, sees last month's report is due and creates it.
    log_in(nurse.username)
    assert page.inner_text("h1") == "Trạm Y tế xã Tân Hộ Cơ"
    assert "rag-grey" in status_on_page(page)
    month = f"{month_start(today, 1):%m/%Y}"
    assert f"Chưa lập báo cáo tháng {month}" in page.inner_text("#what-next")
    page.click("#what-next a:has-text('Lập báo cáo')")
    page.wait_for_load_state()
    page.select_option("select[name=stage]", "2")
    page.fill("input[name=departments_total]", "4")
    page.fill("input[name=departments_live]", "1")
    page.click("main form button[type=submit] >> nth=0")  # saved through fetch (static/js/forms.js)
    page.wait_for_url(re.compile(r"/reports/\d+/$"))

    # She submits it with the head's attestation.
    page.fill("input[name=attested_by_name]", "Đặng Hữu Phúc")
    page.check("input[name=confirm]")
    page.click("form[action$='/submit/'] button[type=submit]")
    page.wait_for_load_state()
    report = station.monthly_reports.get()
    assert report.status == Status.SUBMITTED

    # The officer approves it.
    page.context.clear_cookies()
    log_in(officer.username)
    page.goto(report.get_absolute_url())
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Status.APPROVED
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # A broker is configured but no worker runs in this test: run the engine as the nightly job would.
        call_command("compute_compliance")

    # The station's status has moved on, on its page and on the dashboard.
    assert FacilityCompliance.objects.get(facility=station).status == S.ON_TRACK
    page.goto(station.get_absolute_url())
    assert "rag-green" in status_on_page(page)
    page.goto("/dashboard/")
    page.wait_for_function(CHARTS_DRAWN)
    assert page.inner_text('[data-status="on_track"] .h3') == "1"
    assert page.errors == []
