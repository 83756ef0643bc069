"""Every role's pages in a real browser, on a phone (390×844) and a desktop (1366×768): a commune nurse's
forms (the return reason, evidence uploaded without losing answers, the date spellings, the error
summary, a draft restored after a save that did not reach the server), an officer's review page, a
director's printed dashboard, and axe-core's contrast and label check on every page each role reaches.

The data is built relative to the real today (the browser's clock cannot travel).
"""

import datetime
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from assessments.models import Catalogue, Criterion
from assessments.tests.factories import PDF_BYTES, AssessmentFactory
from core.models import Status
from escalations.tests.factories import EscalationItemFactory
from facilities.models import MemberRole
from facilities.tests.factories import FacilityFactory, MembershipFactory
from reports.models import MonthlyReport, month_start
from reports.tests.factories import MonthlyReportFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
RETURN_REASON = "Số khoa triển khai không khớp với tháng trước: kiểm tra lại mục 2."
CHARTS_DRAWN = """() => {
  const canvases = Array.from(document.querySelectorAll('canvas[data-chart]'));
  return canvases.length > 0 && window.Chart && canvases.every((c) => Chart.getChart(c));
}"""


@pytest.fixture
def world(transactional_db):
    """A commune station with four approved months, last month submitted (with a typo: 2,000 inpatient
    records) and a returned report before them; a draft assessment; four other stations that ask, like
    it, for escalation; a nurse, an officer and a director."""
    today = timezone.localdate()
    far = today + datetime.timedelta(days=400)
    station = FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng", deadline=far)
    nurse = UserFactory(username="tyt.tanhong", first_name="Võ Thị", last_name="Lan")
    MembershipFactory(user=nurse, facility=station, role=MemberRole.STAFF)
    returned = MonthlyReportFactory(
        returned=True,
        facility=station,
        period=month_start(today, 6),
        review_comment=RETURN_REASON,
        reviewed_at=timezone.now(),
    )
    for back, records in [(5, 180), (4, 200), (3, 220), (2, 200)]:
        MonthlyReportFactory(
            approved=True,
            facility=station,
            period=month_start(today, back),
            inpatient_records=records,
            inpatient_electronic=150,
        )
    submitted = MonthlyReportFactory(
        submitted=True,
        facility=station,
        period=month_start(today, 1),
        inpatient_records=2000,
        inpatient_electronic=150,
        needs_escalation=True,
        difficulties="KK-1 Thiếu máy trạm cho khoa khám bệnh và chưa có kinh phí mua chữ ký số cho bác sĩ.",
    )
    others = []
    for n in range(2, 6):
        other = FacilityFactory(code=f"8223{n}", name=f"Trạm Y tế xã Thử {n}", deadline=far)
        MonthlyReportFactory(
            submitted=True,
            facility=other,
            period=month_start(today, 1),
            needs_escalation=True,
            difficulties=f"KK-{n} Đường truyền chập chờn, nhà cung cấp phần mềm chưa kết nối được cổng BHXH. " * 2,
            support_requested="Đề nghị Sở hỗ trợ kinh phí và làm việc với nhà cung cấp.",
        )
        others.append(other)
    # The dashboard's escalated-difficulties card reads the register: five items the DoH has to triage.
    for n, facility in enumerate([station, *others], start=1):
        EscalationItemFactory(
            facility=facility,
            raised_on=today,
            difficulty=f"KK-{n} Đường truyền chập chờn, nhà cung cấp phần mềm chưa kết nối được cổng BHXH. " * 2,
        )
    catalogue = Catalogue.objects.get(version=1)
    assessment = AssessmentFactory(facility=station, catalogue=catalogue)
    sent = AssessmentFactory(
        facility=others[0], catalogue=catalogue, status=Status.SUBMITTED, submitted_at=timezone.now(), version=2
    )
    return {
        "sent_assessment": sent,
        "station": station,
        "nurse": nurse,
        "officer": UserFactory(officer=True, username="canbo.xem"),
        "director": UserFactory(leadership=True, username="lanhdao.in"),
        "returned": returned,
        "submitted": submitted,
        "assessment": assessment,
    }


def sized(page, size):
    page.set_viewport_size(size)
    return page


def accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())


@SIZES
def test_the_edit_form_of_a_returned_report_shows_the_officers_reason(page, log_in, world, size):
    sized(page, size)
    log_in(world["nurse"].username)
    page.goto(f"/reports/{world['returned'].pk}/edit/")
    assert RETURN_REASON in page.inner_text("#return-reason")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
    assert page.errors == []


@SIZES
def test_dates_typed_the_vietnamese_ways_are_saved_and_the_error_summary_takes_the_focus(page, log_in, world, size):
    sized(page, size)
    log_in(world["nurse"].username)
    page.goto(f"/reports/{world['returned'].pk}/edit/")
    assert page.get_attribute("#id_last_backup_date", "inputmode") is None  # the keyboard with "/"
    page.fill("#id_departments_live", "99")
    page.fill("#id_last_backup_date", "15/02")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    summary = page.inner_text("#error-summary")
    assert "Cần sửa 2 mục trước khi lưu" in summary
    assert "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/02/2026." in summary
    assert page.locator("#error-summary a").count() == 2
    page.click("#error-summary a[href='#id_last_backup_date']")
    assert page.evaluate("() => document.activeElement.id") == "id_last_backup_date"

    page.fill("#id_departments_live", "3")
    page.fill("#id_last_backup_date", "15.02.2026")
    page.fill("#id_last_restore_test_date", "16022026")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report = MonthlyReport.objects.get(pk=world["returned"].pk)
    assert (report.last_backup_date, report.last_restore_test_date) == (
        datetime.date(2026, 2, 15),
        datetime.date(2026, 2, 16),
    )
    assert "15/02/2026" in page.inner_text("main")
    assert page.errors == []


def test_evidence_uploaded_beside_a_criterion_keeps_the_answers_typed(page, log_in, world, tmp_path):
    sized(page, PHONE)
    accept_dialogs(page)
    log_in(world["nurse"].username)
    url = f"/assessments/{world['assessment'].pk}/edit/"
    page.goto(url)
    page.fill("#id_his_vendor", "VNPT-HIS")
    page.fill("#id_note_A1", "QĐ 12/QĐ-TYT ngày 05/01/2026")
    file = tmp_path / "Quyết định 12.pdf"
    file.write_bytes(PDF_BYTES)

    page.click("#evidence-for-A1 a[data-evidence-for]")
    criterion = Criterion.objects.get(group__catalogue__version=1, code="A1")
    assert page.input_value("#evidence-upload select[name=criterion]") == str(criterion.pk)
    page.set_input_files("#evidence-upload input[type=file]", str(file))
    page.click("#evidence-upload button[type=submit]")
    page.wait_for_selector("#evidence-for-A1 >> text=Quyết định 12.pdf")

    assert page.url.endswith(url)
    assert page.input_value("#id_his_vendor") == "VNPT-HIS"
    assert page.input_value("#id_note_A1") == "QĐ 12/QĐ-TYT ngày 05/01/2026"
    assert world["assessment"].evidence.get().criterion == criterion
    assert page.evaluate("() => document.activeElement.closest('#evidence-for-A1') !== null")
    assert page.errors == []


def test_a_save_that_does_not_reach_the_server_says_so_and_the_draft_is_restored(page, log_in, world):
    sized(page, PHONE)
    accept_dialogs(page)
    log_in(world["nurse"].username)
    url = f"/reports/{world['returned'].pk}/edit/"
    page.goto(url)
    page.fill("#id_inpatient_records", "321")
    page.fill("#id_difficulties", "Mất điện hai ngày, chưa nhập xong hồ sơ.")

    def cut(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/reports/**", cut)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-save-failed]")
    assert "mất kết nối" in page.inner_text("[data-save-failed]")
    assert page.input_value("#id_inpatient_records") == "321"  # still on the page
    page.unroute("**/reports/**")

    # The tab is closed; later the nurse opens the form again: the server has the old values.
    page.goto("/")
    page.goto(url)
    assert page.input_value("#id_inpatient_records") == "20"
    page.click("[data-draft-restore]")
    assert page.input_value("#id_inpatient_records") == "321"
    assert page.input_value("#id_difficulties") == "Mất điện hai ngày, chưa nhập xong hồ sơ."
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    assert MonthlyReport.objects.get(pk=world["returned"].pk).inpatient_records == 321
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('portal-draft:'))") == []
    page.goto(url)
    assert page.locator("[data-draft-restore]").count() == 0
    assert [e for e in page.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []  # only the cut post


@SIZES
def test_the_officer_reviews_beside_last_month_sees_the_typo_flagged_and_goes_on(page, log_in, world, size):
    sized(page, size)
    log_in(world["officer"].username)
    page.goto(world["submitted"].get_absolute_url())
    previous = month_start(timezone.localdate(), 2)
    assert f"{previous:%m/%Y}" in page.inner_text("#compared-with")
    row = page.locator("tr[data-field=inpatient_records]")
    assert row.locator("td.changed").count() == 1
    assert "2.000" in row.inner_text() and "200" in row.locator("td.prev").inner_text()
    assert page.locator("[data-outlier]").count() == 1
    assert page.locator("tr[data-field=departments_total] td.changed").count() == 0
    page.click("#next-item")
    page.wait_for_load_state()
    assert re.search(r"/reports/\d+/$", page.url) and page.url != world["submitted"].get_absolute_url()
    assert page.errors == []


def _pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [_squash(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


CARD_ENDS = """() => Array.from(document.querySelectorAll('main .card'))
  .filter((card) => card.offsetParent !== null)
  .map((card) => {
    const lines = card.innerText.split('\\n').map((l) => l.trim()).filter((l) => l.length > 3);
    return {first: lines[0], last: lines[lines.length - 1]};
  })"""


@pytest.mark.parametrize("landscape", [True, False], ids=["landscape", "portrait"])
def test_the_printed_dashboard_keeps_every_card_whole(page, log_in, world, landscape):
    sized(page, DESKTOP)
    log_in(world["director"].username)
    page.goto("/dashboard/")
    page.wait_for_function(CHARTS_DRAWN)
    page.emulate_media(media="print")
    cards = page.evaluate(CARD_ENDS)
    pdf = page.pdf(format="A4", landscape=landscape, print_background=True)
    (Path(settings.BASE_DIR) / "test-artifacts").mkdir(exist_ok=True)
    name = "landscape" if landscape else "portrait"
    (Path(settings.BASE_DIR) / "test-artifacts" / f"dashboard-{name}.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    # Both obligations and the register by age made the page longer: landscape prints 9 A4 pages, portrait fewer.
    assert 2 <= len(pages) <= 10, len(pages)
    for card in cards:
        first, last = _squash(card["first"]), _squash(card["last"])
        assert any(first in text and last in text for text in pages), f"card split across pages: {card}"
    escalations = next(text for text in pages if "KK-1" in text)
    assert all(f"KK-{n}" in escalations for n in range(1, 6))
    # The trend chart is drawn at the printed width, its table printed open beneath it.
    assert page.evaluate("() => document.querySelector('details.chart-data').open")
    width = page.evaluate("() => document.querySelector('canvas[data-chart=trend]').getBoundingClientRect().width")
    box = page.evaluate("() => document.querySelector('canvas[data-chart=trend]').parentElement.clientWidth")
    assert width <= box + 1
    assert page.errors == []


AXE_RULES = [
    "color-contrast",
    "label",
    "select-name",
    "button-name",
    "link-name",
    "input-button-name",
    "aria-input-field-name",
    "form-field-multiple-labels",
    "skip-link",
]
AXE_RUN = """async (rules) => {
  const result = await axe.run(document, {runOnly: {type: 'rule', values: rules}});
  return result.violations.map((v) => ({
    rule: v.id,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' ' + n.failureSummary),
  }));
}"""


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(url="/static/vendor/axe.min.js")
    return page.evaluate(AXE_RUN, AXE_RULES)


def pages_of(world) -> dict[str, list[str]]:
    station, assessment = world["station"], world["assessment"]
    return {
        "nurse": [
            "/",
            "/reports/",
            f"/reports/new/{station.code}/",
            f"/reports/{world['returned'].pk}/edit/",
            f"/reports/{world['returned'].pk}/",
            world["submitted"].get_absolute_url(),
            f"/assessments/{assessment.pk}/edit/",
            f"/assessments/{assessment.pk}/",
            f"/assessments/facility/{station.code}/",
            f"/assessments/{assessment.pk}/evidence/new/",
            "/assessments/catalogue/",
            "/exports/",
            "/accounts/password/",
        ],
        "officer": [
            "/dashboard/",
            "/facilities/",
            station.get_absolute_url(),
            f"/facilities/{station.code}/edit/",
            f"/facilities/{station.code}/extension/",
            f"/facilities/{station.code}/members/",
            "/facilities/new/",
            "/facilities/import/",
            "/reports/",
            "/reports/review/",
            world["submitted"].get_absolute_url(),
            f"/assessments/{assessment.pk}/",
            world["sent_assessment"].get_absolute_url(),
            "/assessments/catalogue/",
            "/exports/",
            reverse("reports:import"),
        ],
        "director": ["/dashboard/", "/facilities/", station.get_absolute_url(), "/reports/", "/exports/"],
    }


@SIZES
def test_every_page_each_role_reaches_passes_the_contrast_and_label_check(page, log_in, world, size):
    sized(page, size)
    failures = {}
    for role, urls in pages_of(world).items():
        page.context.clear_cookies()
        log_in(world[role].username)
        for url in urls:
            response = page.goto(url)
            assert response.status < 400, (role, url, response.status)
            if page.locator("canvas[data-chart]").count():
                page.wait_for_function(CHARTS_DRAWN)
            violations = axe_violations(page)
            if violations:
                failures[f"{role} {url}"] = violations
        # The first Tab reaches the skip link.
        page.goto(urls[0])
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)
    assert page.errors == []


def test_a_form_with_errors_passes_the_check_too(page, log_in, world):
    sized(page, PHONE)
    log_in(world["nurse"].username)
    page.goto(f"/reports/{world['returned'].pk}/edit/")
    page.fill("#id_departments_live", "99")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert axe_violations(page) == []
    page.goto(f"/assessments/{world['assessment'].pk}/edit/")
    page.fill("#id_budget_needed", "1.234,5")
    page.click("#assessment-form button[name=save]")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    assert "Nhập số tiền nguyên theo đồng" in page.inner_text("#error-summary")
    assert axe_violations(page) == []


def test_the_printed_facility_page_keeps_every_card_whole(page, log_in, world):
    sized(page, DESKTOP)
    log_in(world["director"].username)
    page.goto(world["station"].get_absolute_url())
    if page.locator("canvas[data-chart]").count():
        page.wait_for_function(CHARTS_DRAWN)
    page.emulate_media(media="print")
    # The list of what the facility still owes may be longer than a page: it breaks between its items.
    cards = [card for card in page.evaluate(CARD_ENDS) if card["first"] != page.inner_text("#what-next-title")]
    pdf = page.pdf(format="A4", print_background=True)
    (Path(settings.BASE_DIR) / "test-artifacts").mkdir(exist_ok=True)
    (Path(settings.BASE_DIR) / "test-artifacts" / "facility-portrait.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    assert 1 <= len(pages) <= 6, len(pages)
    for card in cards:
        first, last = _squash(card["first"]), _squash(card["last"])
        assert any(first in text and last in text for text in pages), f"card split across pages: {card}"
    assert page.errors == []
