"""The report to the Provincial People's Committee as an administrative document (Word, .docx).

Pure document code, like `provincial.py` for the workbook: it receives an `OfficialReport`
(numbers the dashboard's selectors produced, narrative the officer edited) and writes the
form that Nghị định 30/2020/NĐ-CP, Phụ lục I, sets for an administrative document:

- A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm (the decree: 20–25,
  20–25, 30–35, 15–20 mm); Times New Roman, black.
- Page numbers in Arabic figures, top centre, 13 pt, not shown on the first page.
- Box 1 (top left): the superior body (UBND TỈNH ĐỒNG THÁP, capitals, 12 pt upright) and the
  issuing body (SỞ Y TẾ, capitals, 12 pt bold), then a solid rule 1/3 to 1/2 as long as that
  line, then "Số: 05/BC-SYT" (13 pt; numbers under 10 take a leading 0).
- Box 2 (top right): the national name (CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, capitals, 12 pt
  bold), the motto (Độc lập - Tự do - Hạnh phúc, 13 pt bold), a solid rule as long as the
  motto, then the place and date line (13 pt italic: "Đồng Tháp, ngày 05 tháng 3 năm 2026";
  a day under 10 and the months 1 and 2 take a leading 0).
- The document type (BÁO CÁO, capitals, 14 pt bold, centred), the summary line under it
  (14 pt bold) and a rule 1/3 to 1/2 as long as it.
- The body in 14 pt, justified, first line indented 1 cm, 6 pt between paragraphs.
- Recipients (Nơi nhận: 12 pt bold italic; items 11 pt, each "- …;", the last "- Lưu: VT, ….")
  at the bottom left, level with the signature block (authority and title in capitals,
  14 pt bold; the signer's name 14 pt bold, under the space for the signature and seal).

A draft (no number yet) leaves the number and the day and month blank for the clerk to fill,
the way a paper draft is circulated.
"""

import datetime
import io
from dataclasses import astuple, dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 11
PAGE_NUMBER_PT = 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BOX1_WIDTH = Cm(6.0)
BOX2_WIDTH = Cm(10.5)
DOCUMENT_TYPE = "BÁO CÁO"
SUMMARY = "Tiến độ triển khai hồ sơ bệnh án điện tử tại các cơ sở khám bệnh, chữa bệnh trên địa bàn tỉnh"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BLANK = "\u00a0" * 6  # the room left for a number or a day in a draft
MISSED_LIST_LIMIT = 40  # facilities named in the report itself; the annex lists them all


@dataclass
class TypeRow:
    """One facility type's line in the results table (and the total line)."""

    name: str
    total: int
    deployed: int  # deployed (on time or late)
    deployed_late: int
    overdue: int
    at_risk: int
    no_data: int  # no data, or never computed
    paperless: int = 0  # paper replaced (on time or late)
    paperless_late: int = 0
    paper_in_use: int = 0
    not_due: int = 0  # before the paperless date

    @property
    def paperless_share(self) -> float | None:
        return self.paperless / self.total if self.total else None

    @property
    def deployed_share(self) -> float | None:
        return self.deployed / self.total if self.total else None

    @property
    def missed(self) -> int:
        """Missed the province's deadline: overdue plus deployed late."""
        return self.overdue + self.deployed_late


@dataclass
class FacilityLine:
    code: str
    name: str
    type_name: str
    status: str  # its label
    reasons: str


@dataclass
class Proposal:
    """A difficulty beyond the DoH's authority, with what the DoH proposes the People's Committee decide."""

    source: str  # the facility or agency that raised it
    difficulty: str
    proposal: str


@dataclass
class Signer:
    authority: str  # "GIÁM ĐỐC" or "KT. GIÁM ĐỐC"
    title: str  # "" or "PHÓ GIÁM ĐỐC"
    name: str


@dataclass
class OfficialReport:
    """Everything the document says; numbers from the dashboard's selectors, words from the officer."""

    as_of: datetime.date
    province: str  # "Đồng Tháp": the place in the date line
    superior_body: str  # UBND TỈNH ĐỒNG THÁP
    issuing_body: str  # SỞ Y TẾ
    symbol: str  # BC-SYT
    number: str  # "05" once issued; "" in a draft
    issued_on: datetime.date | None  # the date line; None in a draft (the day and month left blank)
    deadline: datetime.date  # the province's
    scope: str  # the filters in words; "" for the whole province
    legal_basis: list[str]  # the documents the report answers, one per line
    types: list[TypeRow]
    total: TypeRow
    missed: list[FacilityLine]
    hospitals_late: list[FacilityLine]  # hospitals deployed after the legal deadline
    hospitals_overdue: list[FacilityLine]  # hospitals not deployed, past the legal deadline
    hospital_legal_deadline: datetime.date | None
    proposals: list[Proposal]
    assessment: str  # narrative: the DoH's assessment
    recommendations: str  # narrative: proposals to the People's Committee
    change: str  # "tăng 12 cơ sở so với Báo cáo số …" or ""
    recipients: list[str]
    signer: Signer
    annex_name: str = "Phụ lục: chi tiết tiến độ của từng cơ sở, tệp Excel"
    paperless_from: datetime.date | None = None  # the province's date for replacing paper records
    extra: dict = field(default_factory=dict)

    @property
    def number_line(self) -> str:
        return f"Số: {self.number or BLANK}/{self.symbol}"

    @property
    def date_line(self) -> str:
        return date_line(self.province, self.issued_on, year=self.as_of.year)


def date_line(place: str, day: datetime.date | None, *, year: int) -> str:
    """ "Đồng Tháp, ngày 05 tháng 3 năm 2026": a day under 10 and the months 1 and 2 take a leading 0 (NĐ 30/2020)."""
    if day is None:
        return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def format_number(number: int) -> str:
    """The document's number: under 10 with a leading 0 (NĐ 30/2020)."""
    return f"{number:02d}"


def vn_date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vn_percent(share: float | None) -> str:
    """ "93,5 %": a decimal comma, one decimal, a no-break space before the sign."""
    if share is None:
        return "–"
    return f"{share * 100:.1f}".replace(".", ",") + "\u00a0%"


# ---------------------------------------------------------------------------- low-level helpers


def _font(run, size: float, *, bold=False, italic=False):
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    # East-Asian and complex-script slots too, so Word never substitutes another font for Vietnamese.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _paragraph(container, text="", *, size=BODY_PT, bold=False, italic=False, align=None, indent=True, after=6):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15 if size >= BODY_PT else 1.0
    if align is not None:
        p.alignment = align
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            fmt.first_line_indent = Cm(1)
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _rule(container, length, box_width):
    """A solid horizontal rule of `length`, centred in a box `box_width` wide (an empty paragraph's bottom border)."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    side = max(int((box_width - length) / 2), 0)
    fmt.left_indent = fmt.right_indent = side
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(3)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)
    return p


def text_width(text: str, size: float, *, bold=False):
    """An estimate of the printed width of `text` in Times New Roman (EMU), for the rules under headings."""
    em = Pt(size)
    width = 0.0
    for ch in text:
        if ch == " ":
            width += 0.25
        elif ch.isupper():
            width += 0.72 if bold else 0.68
        elif ch in "-.,:;":
            width += 0.33
        else:
            width += 0.5 if bold else 0.46
    return int(width * em)


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _grid_borders(table):
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths):
    """Column widths in the table grid and in each cell: Word reads the cells, LibreOffice the grid."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _cell_text(cell, text, *, size=TABLE_PT, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    _font(p.add_run(str(text)), size, bold=bold, italic=italic)
    return p


def _page_number_header(section):
    """Page numbers top centre from page 2 (the first page's header is empty)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            placeholder = OxmlElement("w:t")
            placeholder.text = text
            run._r.append(placeholder)


def _page_setup(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    _page_number_header(section)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


# ---------------------------------------------------------------------------- the parts, in the decree's order


def _heading_block(document, report: OfficialReport):
    """Boxes 1 and 2 side by side in a borderless table, as the decree's layout places them."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _widths(table, [BOX1_WIDTH, BOX2_WIDTH])
    left, right = table.rows[0].cells
    centre = WD_ALIGN_PARAGRAPH.CENTER

    superior = left.paragraphs[0]
    superior.alignment = centre
    superior.paragraph_format.space_after = Pt(0)
    _font(superior.add_run(report.superior_body), 12)
    _paragraph(left, report.issuing_body, size=12, bold=True, align=centre, after=0)
    longest = max(text_width(report.superior_body, 12), text_width(report.issuing_body, 12, bold=True))
    _rule(left, int(longest * 0.4), BOX1_WIDTH)
    _paragraph(left, "", size=6, align=centre, after=0)
    _paragraph(left, report.number_line, size=13, align=centre, after=0)

    national = right.paragraphs[0]
    national.alignment = centre
    national.paragraph_format.space_after = Pt(0)
    _font(national.add_run(NATIONAL_NAME), 12, bold=True)
    _paragraph(right, MOTTO, size=13, bold=True, align=centre, after=0)
    _rule(right, text_width(MOTTO, 13, bold=True), BOX2_WIDTH)
    _paragraph(right, "", size=6, align=centre, after=0)
    _paragraph(right, report.date_line, size=13, italic=True, align=centre, after=0)


def _title(document, report: OfficialReport):
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, "", size=BODY_PT, align=centre, after=0)
    _paragraph(document, DOCUMENT_TYPE, size=BODY_PT, bold=True, align=centre, after=0)
    summary = f"{SUMMARY} (số liệu đến ngày {vn_date(report.as_of)})"
    _paragraph(document, summary, size=BODY_PT, bold=True, align=centre, after=0)
    if report.scope:
        _paragraph(document, f"({report.scope})", size=13, italic=True, align=centre, after=0)
    text_area = Mm(210 - MARGINS_MM["left"] - MARGINS_MM["right"])
    line = min(text_width(summary, BODY_PT, bold=True), text_area)
    _rule(document, int(line * 0.4), text_area)
    _paragraph(document, "", size=6, align=centre, after=6)


def _legal_basis(document, report: OfficialReport):
    for line in report.legal_basis:
        _paragraph(document, line)
    _paragraph(
        document,
        f"Sở Y tế báo cáo Ủy ban nhân dân tỉnh tiến độ triển khai hồ sơ bệnh án điện tử đến ngày "
        f"{vn_date(report.as_of)} như sau:",
    )


TYPE_HEADINGS = [
    "Loại hình cơ sở",
    "Tổng số cơ sở",
    "Đã triển khai HSBA điện tử",
    "Tỷ lệ đã triển khai",
    "Trong đó: triển khai sau hạn của tỉnh",
    "Quá hạn, chưa triển khai",
    "Có nguy cơ chậm",
    "Chưa có số liệu",
]
TYPE_WIDTHS_CM = [4.1, 1.6, 1.9, 1.9, 2.1, 1.8, 1.6, 1.5]
PAPERLESS_HEADINGS = [
    "Loại hình cơ sở",
    "Tổng số cơ sở",
    "Đã thay thế bệnh án giấy",
    "Tỷ lệ đã thay thế",
    "Trong đó: thay thế sau ngày của tỉnh",
    "Còn sử dụng bệnh án giấy",
    "Chưa đến ngày thay thế",
]
PAPERLESS_WIDTHS_CM = [4.1, 1.6, 2.1, 1.9, 2.4, 2.2, 2.2]


def paperless_row_cells(row: TypeRow) -> list[str]:
    return [
        row.name,
        str(row.total),
        str(row.paperless),
        vn_percent(row.paperless_share),
        str(row.paperless_late),
        str(row.paper_in_use),
        str(row.not_due),
    ]


def type_row_cells(row: TypeRow) -> list[str]:
    return [
        row.name,
        str(row.total),
        str(row.deployed),
        vn_percent(row.deployed_share),
        str(row.deployed_late),
        str(row.overdue),
        str(row.at_risk),
        str(row.no_data),
    ]


def _row_properties(row, *, heading=False):
    """A row never breaks across two pages; the heading row repeats at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if heading:
        properties.append(OxmlElement("w:tblHeader"))


def _grid(document, headings, widths_cm, rows, *, left=(0,), total=None):
    """A bordered table; the columns in `left` (names, reasons) align left, numbers and short words centre.

    The sentence that introduces it keeps with it, never left alone at the foot of a page."""
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(headings))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _grid_borders(table)
    _widths(table, [Cm(w) for w in widths_cm])
    _row_properties(table.rows[0], heading=True)
    for cell, heading, width in zip(table.rows[0].cells, headings, widths_cm, strict=True):
        cell.width = Cm(width)
        _cell_text(cell, heading, bold=True)
    for values in rows:
        row = table.add_row()
        _row_properties(row)
        for i, (cell, value, width) in enumerate(zip(row.cells, values, widths_cm, strict=True)):
            cell.width = Cm(width)
            _cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.LEFT if i in left else WD_ALIGN_PARAGRAPH.CENTER)
    if total is not None:
        row = table.add_row()
        _row_properties(row)
        for cell, value, width in zip(row.cells, total, widths_cm, strict=True):
            cell.width = Cm(width)
            _cell_text(cell, value, bold=True)
    _paragraph(document, "", size=6, after=0)
    return table


def _facility_table(document, lines: list[FacilityLine]):
    shown = lines[:MISSED_LIST_LIMIT]
    _grid(
        document,
        ["STT", "Cơ sở", "Loại hình", "Tình trạng", "Lý do"],
        [1.2, 4.6, 3.0, 2.4, 5.3],
        [[str(i), f"{f.name} ({f.code})", f.type_name, f.status, f.reasons] for i, f in enumerate(shown, 1)],
        left=(1, 4),
    )
    if len(lines) > len(shown):
        _paragraph(
            document,
            f"Và {len(lines) - len(shown)} cơ sở khác (danh sách đầy đủ tại Phụ lục kèm theo).",
            italic=True,
        )


def _results(document, report: OfficialReport):
    total = report.total
    _paragraph(document, "I. KẾT QUẢ TRIỂN KHAI", bold=True)
    _paragraph(document, "1. Tình hình chung", bold=True)
    overview = (
        f"Tổng số cơ sở khám bệnh, chữa bệnh thuộc phạm vi báo cáo: {total.total} cơ sở. Đến ngày "
        f"{vn_date(report.as_of)}, có {total.deployed} cơ sở đã triển khai hồ sơ bệnh án điện tử "
        f"(đạt {vn_percent(total.deployed_share)})"
    )
    overview += f", {report.change}." if report.change else "."
    _paragraph(document, overview)
    _paragraph(
        document,
        "Thay thế bệnh án giấy bằng hồ sơ bệnh án điện tử"
        + (f" từ ngày {vn_date(report.paperless_from)}" if report.paperless_from else "")
        + f": {total.paperless} cơ sở đã thay thế "
        f"(đạt {vn_percent(total.paperless_share)}), {total.paper_in_use} cơ sở còn sử dụng bệnh án giấy.",
    )
    _paragraph(
        document,
        f"Thời hạn hoàn thành theo chỉ đạo của Ủy ban nhân dân tỉnh: {vn_date(report.deadline)}. "
        f"Số cơ sở không hoàn thành trước thời hạn này (quá hạn chưa triển khai và triển khai sau hạn): "
        f"{total.missed} cơ sở; số cơ sở có nguy cơ chậm tiến độ: {total.at_risk} cơ sở; chưa có số liệu: "
        f"{total.no_data} cơ sở.",
    )
    _paragraph(document, "2. Kết quả theo loại hình cơ sở", bold=True)
    _grid(
        document,
        TYPE_HEADINGS,
        TYPE_WIDTHS_CM,
        [type_row_cells(row) for row in report.types],
        total=type_row_cells(TypeRow("Tổng cộng", *_totals(report))),
    )
    _paragraph(document, "Thay thế bệnh án giấy bằng hồ sơ bệnh án điện tử theo loại hình cơ sở:", italic=True)
    _grid(
        document,
        PAPERLESS_HEADINGS,
        PAPERLESS_WIDTHS_CM,
        [paperless_row_cells(row) for row in report.types],
        total=paperless_row_cells(TypeRow("Tổng cộng", *_totals(report))),
    )
    _paragraph(document, "3. Các cơ sở không hoàn thành trước thời hạn của tỉnh và nguyên nhân", bold=True)
    if report.missed:
        _paragraph(document, f"Có {len(report.missed)} cơ sở, gồm:")
        _facility_table(document, report.missed)
    else:
        _paragraph(document, "Không có cơ sở nào không hoàn thành trước thời hạn của tỉnh.")
    _paragraph(document, "4. Bệnh viện triển khai sau thời hạn theo Thông tư số 13/2025/TT-BYT", bold=True)
    legal = vn_date(report.hospital_legal_deadline) or "30/09/2025"
    _paragraph(
        document,
        f"Thời hạn đối với bệnh viện theo điểm a khoản 2 Điều 4 Thông tư số 13/2025/TT-BYT: {legal}. "
        f"Số bệnh viện triển khai sau thời hạn này: {len(report.hospitals_late)}; số bệnh viện đến nay "
        f"chưa triển khai: {len(report.hospitals_overdue)}.",
    )
    if report.hospitals_late or report.hospitals_overdue:
        _facility_table(document, report.hospitals_late + report.hospitals_overdue)


def _totals(report: OfficialReport) -> tuple:
    """The total line's numbers, in TypeRow's field order."""
    return astuple(report.total)[1:]


def _narrative(document, text: str):
    for line in text.splitlines():
        if line.strip():
            _paragraph(document, line.strip())


def _assessment(document, report: OfficialReport):
    _paragraph(document, "II. ĐÁNH GIÁ CHUNG", bold=True)
    _narrative(document, report.assessment)


def _difficulties(document, report: OfficialReport):
    _paragraph(document, "III. KHÓ KHĂN, VƯỚNG MẮC VƯỢT THẨM QUYỀN CỦA SỞ Y TẾ", bold=True)
    if not report.proposals:
        _paragraph(document, "Trong kỳ báo cáo không có khó khăn, vướng mắc vượt thẩm quyền của Sở Y tế.")
        return
    _paragraph(document, "Các khó khăn, vướng mắc cần Ủy ban nhân dân tỉnh chỉ đạo và đề xuất của Sở Y tế:")
    _grid(
        document,
        ["STT", "Đơn vị phản ánh", "Khó khăn, vướng mắc", "Đề xuất của Sở Y tế"],
        [1.2, 3.5, 5.9, 5.9],
        [[str(i), p.source, p.difficulty, p.proposal] for i, p in enumerate(report.proposals, 1)],
        left=(1, 2, 3),
    )


def _recommendations(document, report: OfficialReport):
    _paragraph(document, "IV. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    _narrative(document, report.recommendations)
    _paragraph(document, f"(Kèm theo {report.annex_name})", italic=True)
    _paragraph(document, "Sở Y tế kính báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./.")


def _closing(document, report: OfficialReport):
    """Recipients at the left, the signature block at the right, on the same level."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _widths(table, [Cm(8.0), Cm(8.5)])
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    heading.paragraph_format.space_after = Pt(0)
    _font(heading.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    recipients = list(report.recipients)
    for i, name in enumerate(recipients):
        ending = "." if i == len(recipients) - 1 else ";"
        line = f"- {name.strip().rstrip(';.')}{ending}"
        _paragraph(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    authority = right.paragraphs[0]
    authority.alignment = centre
    authority.paragraph_format.space_after = Pt(0)
    _font(authority.add_run(report.signer.authority), BODY_PT, bold=True)
    if report.signer.title:
        _paragraph(right, report.signer.title, size=BODY_PT, bold=True, align=centre, after=0)
    for _ in range(4):  # room for the signature and the seal
        _paragraph(right, "", size=BODY_PT, align=centre, after=0)
    _paragraph(right, report.signer.name, size=BODY_PT, bold=True, align=centre, after=0)


def write_official_report(target, report: OfficialReport) -> None:
    """Write the report to `target` (a path or a binary file)."""
    document = Document()
    _page_setup(document)
    document.core_properties.title = f"{DOCUMENT_TYPE} {SUMMARY}"
    document.core_properties.author = report.issuing_body
    document.core_properties.language = "vi-VN"
    # python-docx's blank template opens with no paragraph; the heading table goes first.
    _heading_block(document, report)
    _title(document, report)
    _legal_basis(document, report)
    _results(document, report)
    _assessment(document, report)
    _difficulties(document, report)
    _recommendations(document, report)
    _closing(document, report)
    document.save(target)


def official_report_bytes(report: OfficialReport) -> bytes:
    buffer = io.BytesIO()
    write_official_report(buffer, report)
    return buffer.getvalue()
