"""The report to the People's Committee as a Word document, read back with python-docx."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from compliance.models import ComplianceStatus
from compliance.tests.factories import ComplianceSnapshotFactory, FacilityComplianceFactory
from dashboard import selectors as dashboard
from dashboard.tests.province import TODAY, local
from exports import drafting, official, services
from exports.models import IssuedReport
from exports.provincial import SHEETS
from exports.tests.helpers import response_workbook, table
from facilities.models import Facility
from facilities.tests.factories import FacilityFactory, facility_type

D = datetime.date
S = ComplianceStatus


def blocks(document) -> list:
    """The body in order: paragraphs' text, and tables as lists of rows of cell texts."""
    out = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(element, document).text
            if text.strip():
                out.append(text)
        elif tag == "tbl":
            out.append([[cell.text for cell in row.cells] for row in Table(element, document).rows])
    return out


def flat(document) -> list[str]:
    """Every non-empty line of the body, tables cell by cell, in reading order."""
    lines = []
    for block in blocks(document):
        if isinstance(block, str):
            lines.append(block)
        else:
            for row in block:
                for cell in row:
                    lines.extend(line for line in cell.split("\n") if line.strip())
    return lines


def index_of(lines: list[str], text: str) -> int:
    for i, line in enumerate(lines):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not in the document")


def read(report: official.OfficialReport):
    return Document(io.BytesIO(official.official_report_bytes(report)))


@pytest.fixture
def today():
    with time_machine.travel(local(2026, 11, 25, 10), tick=False):
        yield TODAY


@pytest.fixture
def province(db, today):
    """Two hospitals (one deployed after the legal deadline, one overdue), stations in every state."""
    hospital_type = facility_type("general_hospital")
    hospital_type.legal_deadline = D(2025, 9, 30)
    hospital_type.save()
    late_hospital = FacilityFactory(code="82001", name="Bệnh viện Đa khoa Đồng Tháp", type=hospital_type)
    FacilityComplianceFactory(
        facility=late_hospital, status=S.DEPLOYED_ON_TIME, deployed=True, deployment_date=D(2026, 8, 10)
    )
    overdue_hospital = FacilityFactory(code="82002", name="Bệnh viện Đa khoa Tiền Giang", type=hospital_type)
    FacilityComplianceFactory(facility=overdue_hospital, status=S.OVERDUE, reasons=["overdue"])
    stations = [
        (S.DEPLOYED_LATE, True, D(2026, 10, 20)),
        (S.OVERDUE, False, None),
        (S.AT_RISK, False, None),
        (S.NO_DATA, False, None),
        (S.DEPLOYED_ON_TIME, True, D(2026, 9, 1)),
    ]
    for i, (status, complete, done) in enumerate(stations):
        station = FacilityFactory(code=f"8220{i}", name=f"Trạm Y tế xã Tân Hồng {i}")
        FacilityComplianceFactory(facility=station, status=status, deployed=complete, deployment_date=done)
    FacilityFactory(code="82299", name="Trạm Y tế phường Mỹ Tho")  # never computed
    return Facility.objects.active()


def test_the_report_has_every_element_of_the_decree_form_in_order(province):
    report = drafting.draft_report(TODAY, province)
    report.number, report.issued_on = "05", D(2026, 11, 25)
    report.signer = drafting.signer(deputy=True, name="Nguyễn Văn Bình")
    lines = flat(read(report))

    expected = [
        "UBND TỈNH ĐỒNG THÁP",
        "SỞ Y TẾ",
        "Số: 05/BC-SYT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đồng Tháp, ngày 25 tháng 11 năm 2026",
        "BÁO CÁO",
        "Tiến độ triển khai hồ sơ bệnh án điện tử",
        "Thực hiện văn bản chỉ đạo của Ủy ban nhân dân tỉnh",
        "Thông tư số 13/2025/TT-BYT",
        "Quyết định số 586/QĐ-BYT",
        "I. KẾT QUẢ TRIỂN KHAI",
        "2. Kết quả theo loại hình cơ sở",
        "3. Các cơ sở không hoàn thành trước thời hạn của tỉnh",
        "4. Bệnh viện triển khai sau thời hạn",
        "II. ĐÁNH GIÁ CHUNG",
        "III. KHÓ KHĂN, VƯỚNG MẮC VƯỢT THẨM QUYỀN",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "kính báo cáo Ủy ban nhân dân tỉnh",
        "Nơi nhận:",
        "- UBND tỉnh (để báo cáo);",
        "- Lưu: VT, NVY.",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Bình",
    ]
    positions = [index_of(lines, text) for text in expected]
    assert positions == sorted(positions)


def test_the_numbers_equal_the_dashboards_on_the_same_date(province):
    document = read(drafting.draft_report(TODAY, province))
    by_type = dashboard.progress_by_type(TODAY, province)
    table = next(b for b in blocks(document) if isinstance(b, list) and b[0][0] == "Loại hình cơ sở")
    rows = {row[0]: row for row in table[1:]}
    for row in by_type:
        assert rows[row.name][1] == str(row.facilities)
        assert rows[row.name][2] == str(row.complete)
        assert rows[row.name][5] == str(row.counts[S.OVERDUE])
        assert rows[row.name][6] == str(row.counts[S.AT_RISK])
    statuses = dashboard.status_counts(TODAY, province)
    total = rows["Tổng cộng"]
    assert total[1] == str(statuses.total) == "8"
    assert total[2] == str(statuses.complete) == "3"
    assert total[4] == "1"  # deployed after the province's deadline
    assert total[5] == str(statuses.counts[S.OVERDUE]) == "2"
    assert total[7] == "2"  # no data, and never computed


def test_the_paperless_obligation_has_its_own_table_with_the_dashboards_numbers(province):
    from compliance.models import FacilityCompliance, PaperlessStatus

    FacilityCompliance.objects.filter(facility__code="82001").update(paperless_status=PaperlessStatus.PAPERLESS_LATE)
    FacilityCompliance.objects.filter(facility__code="82204").update(paperless_status=PaperlessStatus.PAPERLESS_ON_TIME)
    FacilityCompliance.objects.filter(facility__code="82201").update(paperless_status=PaperlessStatus.PAPER_IN_USE)
    document = read(drafting.draft_report(TODAY, province))
    table = [b for b in blocks(document) if isinstance(b, list) and b[0][0] == "Loại hình cơ sở"][1]
    assert table[0][2] == "Đã thay thế bệnh án giấy"
    statuses = dashboard.status_counts(TODAY, province)
    total = table[-1]
    replaced = (
        statuses.paperless[PaperlessStatus.PAPERLESS_ON_TIME] + statuses.paperless[PaperlessStatus.PAPERLESS_LATE]
    )
    assert total[0] == "Tổng cộng" and total[2] == str(replaced) == "2"
    assert total[4] == "1"  # replaced after the province's date
    assert total[5] == str(statuses.paperless[PaperlessStatus.PAPER_IN_USE])
    assert any("2 cơ sở đã thay thế" in line for line in flat(document))


def test_a_past_date_reads_that_days_snapshots(province):
    day = D(2026, 10, 31)
    facility = Facility.objects.get(code="82201")
    ComplianceSnapshotFactory(facility=facility, as_of=day, status=S.AT_RISK)
    report = drafting.draft_report(day, province)
    assert report.total.at_risk == 1 and report.total.overdue == 0
    assert report.total.no_data == 7  # seven facilities had no snapshot that day


def test_missed_deadline_lists_overdue_and_late_with_reasons(province):
    report = drafting.draft_report(TODAY, province)
    assert [line.code for line in report.missed] == ["82002", "82201", "82200"]
    lines = flat(read(report))
    assert any("Bệnh viện Đa khoa Tiền Giang (82002)" in line for line in lines)
    assert report.total.missed == 3


def test_hospitals_after_the_legal_deadline(province):
    report = drafting.draft_report(TODAY, province)
    assert [line.code for line in report.hospitals_late] == ["82001"]
    assert report.hospitals_late[0].reasons == "Triển khai ngày 10/08/2026"
    assert report.hospitals_late[0].status == "Triển khai sau thời hạn của Thông tư số 13/2025/TT-BYT"
    assert [line.code for line in report.hospitals_overdue] == ["82002"]
    assert report.hospital_legal_deadline == D(2025, 9, 30)


def test_page_setup_fonts_and_page_numbers_follow_the_decree(province):
    document = read(drafting.draft_report(TODAY, province))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    # Page numbers top centre from page 2: a different (empty) first-page header, PAGE in the others.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert section.header.paragraphs[0].alignment == 1  # centre
    assert not section.first_page_header.paragraphs[0].text
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    body = [r for p in document.paragraphs for r in p.runs if r.text.startswith("Sở Y tế báo cáo")]
    assert body[0].font.size.pt in (13, 14)


def test_printed_tables_keep_rows_whole_repeat_their_headings_and_align_text_left(province):
    """A row split over two pages, a table continued without its headings or its introduction left on the
    page before cannot be read on paper."""
    document = read(drafting.draft_report(TODAY, province))
    grids = document.tables[1:-1]  # between the heading block and the signature block
    assert len(grids) >= 3
    for grid in grids:
        heading, *rows = grid.rows
        assert heading._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in grid.rows)
        assert not any(row._tr.trPr.find(qn("w:tblHeader")) is not None for row in rows)
        assert Paragraph(grid._tbl.getprevious(), document).paragraph_format.keep_with_next
    missed = next(t for t in grids if t.rows[0].cells[-1].text == "Lý do")
    name, reasons = missed.rows[1].cells[1], missed.rows[1].cells[4]
    assert name.paragraphs[0].alignment == reasons.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert missed.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_rules_under_the_issuing_body_the_motto_and_the_title(province):
    document = read(drafting.draft_report(TODAY, province))
    xml = document.element.body.xml
    assert xml.count("<w:pBdr>") == 3


def test_vietnamese_text_survives_the_round_trip(province):
    report = drafting.draft_report(TODAY, province)
    report.assessment = "Đánh giá: các trạm y tế ở Tân Hồng, Mỹ Tho đã ứng dụng chữ ký số; ưu tiên quý IV."
    lines = flat(read(report))
    assert report.assessment in lines


def test_a_draft_leaves_the_number_and_the_day_blank(province):
    lines = flat(read(drafting.draft_report(TODAY, province)))
    number = lines[index_of(lines, "/BC-SYT")]
    assert number.startswith("Số: ") and number.endswith("/BC-SYT") and not any(c.isdigit() for c in number)
    assert lines[index_of(lines, "Đồng Tháp, ngày")].endswith("năm 2026")


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2026, 3, 5), "Đồng Tháp, ngày 05 tháng 3 năm 2026"),
        (D(2026, 2, 14), "Đồng Tháp, ngày 14 tháng 02 năm 2026"),
        (D(2026, 12, 31), "Đồng Tháp, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_date_line_pads_days_under_10_and_months_1_and_2(day, text):
    assert official.date_line("Đồng Tháp", day, year=day.year) == text


def test_signed_by_the_director_has_no_kt(province):
    report = drafting.draft_report(TODAY, province)
    report.signer = drafting.signer(deputy=False, name="Trần Thị Hoa")
    lines = flat(read(report))
    assert "GIÁM ĐỐC" in lines and not any(line.startswith("KT.") for line in lines)


def test_change_since_the_last_issued_report():
    previous = drafting.Previous(number="04/BC-SYT", issued_on=D(2026, 10, 5), deployed=57)
    assert drafting.change_since(previous, 69) == "tăng 12 cơ sở so với Báo cáo số 04/BC-SYT ngày 05/10/2026"
    assert drafting.change_since(previous, 55).startswith("giảm 2 cơ sở")
    assert drafting.change_since(None, 69) == ""


def test_command_writes_a_draft_docx(province, tmp_path):
    target = tmp_path / "bao-cao.docx"
    call_command("export_report", "--as-of", "2026-11-25", "-o", str(target))
    lines = flat(Document(str(target)))
    assert "BÁO CÁO" in lines
    assert not any(c.isdigit() for c in lines[index_of(lines, "/BC-SYT")])


def test_command_numbers_the_report(province, tmp_path):
    target = tmp_path / "bao-cao.docx"
    call_command("export_report", "-o", str(target), "--number", "7", "--date", "2026-11-25")
    lines = flat(Document(str(target)))
    assert "Số: 07/BC-SYT" in lines
    assert "Đồng Tháp, ngày 25 tháng 11 năm 2026" in lines


def test_command_refuses_a_number_on_the_workbook(province, tmp_path):
    with pytest.raises(CommandError, match="--number"):
        call_command("export_report", "-o", str(tmp_path / "phu-luc.xlsx"), "--number", "7")


# ---------------------------------------------------------------------------- issuing in the portal

NEW = "/exports/official/new/"


def issue_data(**overrides) -> dict:
    data = {
        "number": "5",
        "issued_on": "25/11/2026",
        "legal_basis": "Thực hiện Công văn số 1234/UBND-VX ngày 15/08/2026 của Ủy ban nhân dân tỉnh;",
        "assessment": "Tiến độ chung đạt yêu cầu; còn chậm ở trạm y tế xã.",
        "recommendations": "Đề nghị UBND tỉnh chỉ đạo Sở Tài chính bố trí kinh phí.",
        "recipients": "UBND tỉnh (để báo cáo)\nLưu: VT, NVY",
        "signer": "deputy",
        "signer_name": "Nguyễn Văn Bình",
        "action": "issue",
    }
    return data | overrides


def test_officer_issues_a_numbered_report_with_its_annex(province, officer_client, officer):
    response = officer_client.post(NEW, issue_data())
    issued = IssuedReport.objects.get()
    assert response.status_code == 302 and response.url == issued.get_absolute_url()
    assert (issued.reference, issued.issued_by, issued.deployed, issued.facilities) == ("05/BC-SYT", officer, 3, 8)
    report = officer_client.get(reverse("exports:official_report", args=[issued.pk]))
    lines = flat(Document(io.BytesIO(b"".join(report.streaming_content))))
    assert "Số: 05/BC-SYT" in lines
    assert "Đồng Tháp, ngày 25 tháng 11 năm 2026" in lines
    assert "Thực hiện Công văn số 1234/UBND-VX ngày 15/08/2026 của Ủy ban nhân dân tỉnh;" in lines
    assert "Tiến độ chung đạt yêu cầu; còn chậm ở trạm y tế xã." in lines
    assert "- Lưu: VT, NVY." in lines
    annex = officer_client.get(reverse("exports:official_annex", args=[issued.pk]))
    workbook = response_workbook(annex)
    assert workbook.sheetnames == SHEETS
    summary = table(workbook[SHEETS[0]])
    assert summary[-1]["Tổng số cơ sở"].value == issued.facilities


def test_the_draft_download_has_no_number_and_issues_nothing(province, officer_client):
    response = officer_client.post(NEW, issue_data(action="preview"))
    lines = flat(Document(io.BytesIO(b"".join(response.streaming_content))))
    assert not any(c.isdigit() for c in lines[index_of(lines, "/BC-SYT")])
    assert not IssuedReport.objects.exists()


def test_issuing_needs_a_number(province, officer_client):
    response = officer_client.post(NEW, issue_data(number=""))
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert not IssuedReport.objects.exists()


def test_a_number_cannot_be_issued_twice_in_a_year(province, officer_client):
    officer_client.post(NEW, issue_data())
    response = officer_client.post(NEW, issue_data())
    assert response.context["form"].errors["number"] == [str(services.NUMBER_TAKEN)]
    assert IssuedReport.objects.count() == 1


def test_an_issued_report_cannot_change(province, officer_client):
    officer_client.post(NEW, issue_data())
    issued = IssuedReport.objects.get()
    issued.assessment = "Sửa sau khi ban hành"
    with pytest.raises(ValueError, match="cannot change"):
        issued.save()
    assert IssuedReport.objects.get().assessment == "Tiến độ chung đạt yêu cầu; còn chậm ở trạm y tế xã."


def test_the_next_draft_shows_the_change_since_the_last_issued_report(province, officer_client):
    officer_client.post(NEW, issue_data())
    station = Facility.objects.get(code="82202")
    station.compliance.status, station.compliance.deployed = S.DEPLOYED_LATE, True
    station.compliance.save()
    response = officer_client.get(NEW)
    assert response.context["draft"].change == "tăng 1 cơ sở so với Báo cáo số 05/BC-SYT ngày 25/11/2026"
    assert response.context["form"].initial["number"] == 6


def test_leadership_issues_and_lists_reports(province, client, leadership):
    client.force_login(leadership)
    client.post(NEW, issue_data())
    response = client.get(reverse("exports:official_list"))
    assert [r.reference for r in response.context["reports"]] == ["05/BC-SYT"]


def test_facility_users_get_404_for_issued_reports_and_403_for_drafting(province, officer_client, staff, client):
    officer_client.post(NEW, issue_data())
    issued = IssuedReport.objects.get()
    client.force_login(staff)
    assert client.get(NEW).status_code == 403
    assert client.get(issued.get_absolute_url()).status_code == 404
    assert client.get(reverse("exports:official_report", args=[issued.pk])).status_code == 404
    assert client.get(reverse("exports:official_annex", args=[issued.pk])).status_code == 404


def test_the_report_lists_the_difficulties_proposed_since_the_last_issued_report(province, officer_client):
    from escalations.models import EscalationState
    from escalations.tests.factories import EscalationItemFactory
    from facilities.tests.factories import AgencyFactory

    station = Facility.objects.get(code="82201")
    old = EscalationItemFactory(
        facility=station, state=EscalationState.PROPOSED, proposal="Đề xuất cũ", proposed_at=local(2026, 11, 1, 9)
    )
    officer_client.post(NEW, issue_data())
    issued = IssuedReport.objects.get()
    assert issued.issued_at > old.proposed_at
    EscalationItemFactory(
        facility=None,
        agency=AgencyFactory(code="bhxh", name="Bảo hiểm xã hội tỉnh"),
        difficulty="Cổng giám định chưa nhận XML ký số.",
        state=EscalationState.PROPOSED,
        proposal="Đề nghị UBND tỉnh chỉ đạo BHXH tỉnh phối hợp xử lý trong tháng 12.",
        proposed_at=local(2026, 11, 25, 11),
    )
    draft = officer_client.get(NEW).context["draft"]
    assert [(p.source, p.proposal) for p in draft.proposals] == [
        ("Bảo hiểm xã hội tỉnh", "Đề nghị UBND tỉnh chỉ đạo BHXH tỉnh phối hợp xử lý trong tháng 12.")
    ]
    table = next(b for b in blocks(read(draft)) if isinstance(b, list) and b[0][-1] == "Đề xuất của Sở Y tế")
    assert table[1][1:] == [
        "Bảo hiểm xã hội tỉnh",
        "Cổng giám định chưa nhận XML ký số.",
        "Đề nghị UBND tỉnh chỉ đạo BHXH tỉnh phối hợp xử lý trong tháng 12.",
    ]


def test_a_scoped_draft_has_the_dashboards_numbers_for_that_scope(province, officer_client):
    response = officer_client.get(NEW, {"type": "health_station"})
    draft = response.context["draft"]
    scoped = Facility.objects.active().filter(type__code="health_station")
    statuses = dashboard.status_counts(TODAY, scoped)
    figures = (draft.total.total, draft.total.deployed, draft.total.overdue)
    assert figures == (statuses.total, statuses.complete, statuses.counts[S.OVERDUE]) == (6, 2, 1)
    assert [line.code for line in draft.missed] == ["82201", "82200"]
    assert draft.scope.startswith("Bộ lọc: ")
    lines = flat(read(draft))
    assert f"({draft.scope})" in lines
