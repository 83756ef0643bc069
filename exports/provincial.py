"""The provincial report for the People's Committee (Báo cáo tiến độ triển khai hồ sơ bệnh án điện tử).

Pure workbook code: it receives the numbers and rows the dashboard's selectors produced
(see `selectors.provincial_report`) and writes five sheets. Nothing here counts,
averages or classifies, so the file always says what the dashboard says.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from compliance.models import PAPERLESS_ORDER, ComplianceStatus, Projection

from .lists import reasons_text, status_label
from .xlsx import CellFormat, Col, SheetWriter, new_workbook

AS_OF_TEXT = "số liệu đến ngày {:%d/%m/%Y}"
TITLE = "BÁO CÁO TIẾN ĐỘ TRIỂN KHAI HỒ SƠ BỆNH ÁN ĐIỆN TỬ"
SHEETS = ["Tổng hợp", "Chi tiết", "Chậm tiến độ", "Xu hướng", "Biểu đồ xu hướng", "Khó khăn vướng mắc"]
# The chart's lines in the RAG colours of the dashboard: red overdue, amber at risk, green on track;
# a finished facility in the same colour family, drawn dashed so the two reds and the two greens differ.
STATUS_LINES = {
    ComplianceStatus.OVERDUE: {"color": "#C00000"},
    ComplianceStatus.DEPLOYED_LATE: {"color": "#E06666", "dash_type": "dash"},
    ComplianceStatus.AT_RISK: {"color": "#FFC000"},
    ComplianceStatus.NO_DATA: {"color": "#808080", "dash_type": "round_dot"},
    ComplianceStatus.ON_TRACK: {"color": "#00B050"},
    ComplianceStatus.DEPLOYED_ON_TIME: {"color": "#006B2D", "dash_type": "dash"},
}
NOT_COMPUTED = "Chưa tính"
MISSED = "Không đạt hạn của tỉnh (quá hạn + triển khai trễ hạn)"
AFTER_LEGAL = "Bệnh viện triển khai sau hạn theo quy định (TT 13/2025)"
DEPLOYED_SHARE = "Tỷ lệ đã triển khai HSBA điện tử"
PROJECTION_TEXT = {
    Projection.NEVER: "Không dự báo được (tiến độ không tăng)",
    Projection.UNKNOWN: "Chưa đủ dữ liệu",
}


@dataclass
class ProvincialData:
    """What the report shows, as the dashboard's selectors return it."""

    as_of: datetime.date
    filters: str  # the filters applied, in words ("" for the whole province)
    statuses: list[str]  # deployment status codes in the dashboard's order (worst first)
    by_type: list  # dashboard.selectors.TypeProgress
    facilities: Iterable  # rows of DETAIL_FIELDS, in order
    behind: Iterable  # rows of BEHIND_FIELDS: at-risk and overdue facilities, worst first
    trend: list  # dashboard.selectors.TrendPoint
    escalations: Iterable  # escalations.EscalationItem rows shown as of the date, with facility, agency, partner
    facility_count: int = 0  # for progress reporting
    paperless: list[str] = field(default_factory=lambda: list(PAPERLESS_ORDER))  # paperless status codes


def _share(part, whole):
    return part / whole if whole else None


def _projected(row: dict):
    """A deployed facility's deployment date; otherwise the projection when there is one, else words saying why not."""
    if row["deployment_date"]:
        return row["deployment_date"]
    if row["projected_completion"]:
        return row["projected_completion"]
    if row["projection"]:
        return PROJECTION_TEXT.get(row["projection"], "")
    return ""


def _percent(value):
    """A percentage stored as 0..100 becomes the 0..1 share Excel's % format expects."""
    return None if value is None else float(value) / 100


def write_summary(workbook, data: ProvincialData) -> SheetWriter:
    """By facility type: both obligations' statuses (EMR deployed by the deadline, then paper replaced from the
    paperless date), how many missed the province deadline and, for hospitals, the legal one."""
    columns = [
        Col("Loại hình cơ sở", width=34, wrap=True),
        Col("Tổng số cơ sở", CellFormat.INTEGER),
        *(Col(status_label(code), CellFormat.INTEGER, width=13) for code in data.statuses),
        Col(MISSED, CellFormat.INTEGER, width=16),
        Col(AFTER_LEGAL, CellFormat.INTEGER, width=16),
        *(Col(status_label(code), CellFormat.INTEGER, width=13) for code in data.paperless),
        Col(NOT_COMPUTED, CellFormat.INTEGER),
        Col(DEPLOYED_SHARE, CellFormat.PERCENT, width=12),
        Col("Tỷ lệ khoa triển khai HSBA điện tử (bình quân)", CellFormat.PERCENT, width=16),
    ]
    sheet = SheetWriter(workbook, SHEETS[0], columns, title=TITLE, as_of=data.as_of, subtitle=data.filters)
    codes = [*data.statuses, *data.paperless]
    totals = {"facilities": 0, "computed": 0, "complete": 0, "progress_sum": 0.0, "missed": 0, "after_legal": 0}
    totals |= dict.fromkeys(codes, 0)
    for row in data.by_type:
        counts = {**row.counts, **row.paperless}
        sheet.append(
            [
                row.name,
                row.facilities,
                *(counts[code] for code in data.statuses),
                row.missed_deadline,
                row.hospitals_after_legal,
                *(counts[code] for code in data.paperless),
                row.facilities - row.computed,
                row.complete_share,
                row.progress,
            ]
        )
        totals["facilities"] += row.facilities
        totals["computed"] += row.computed
        totals["complete"] += row.complete
        totals["missed"] += row.missed_deadline
        totals["after_legal"] += row.hospitals_after_legal
        totals["progress_sum"] += (row.progress or 0) * row.computed
        for code in codes:
            totals[code] += counts[code]
    # The total row adds up the rows above; its shares are weighted by the facilities of each type.
    sheet.append_total(
        [
            "Tổng cộng",
            totals["facilities"],
            *(totals[code] for code in data.statuses),
            totals["missed"],
            totals["after_legal"],
            *(totals[code] for code in data.paperless),
            totals["facilities"] - totals["computed"],
            _share(totals["complete"], totals["facilities"]),
            _share(totals["progress_sum"], totals["computed"]),
        ]
    )
    sheet.close()
    return sheet


# Narrow enough for A3 one page wide at 8.7 pt on paper (exports.xlsx.print_layout; 2 pages wide at 10 pt
# before): a facility's row reads across one sheet, its long texts wrapping onto more lines instead.
DETAIL_COLUMNS = [
    Col("Mã cơ sở", width=7),
    Col("Tên cơ sở", width=20, wrap=True),
    Col("Loại hình", width=16, wrap=True),
    Col("Xã/phường", width=14),
    Col("Điểm sẵn sàng", CellFormat.DECIMAL, width=7),
    Col("Đạt tiêu chí bắt buộc", CellFormat.BOOLEAN, width=7),
    Col("Số khoa triển khai", CellFormat.INTEGER, width=7),
    Col("Tổng số khoa", CellFormat.INTEGER, width=7),
    Col("Tỷ lệ khoa triển khai", CellFormat.PERCENT, width=7),
    # The milestones verified by the DoH as of the report's date.
    Col("Ngày tự đánh giá", CellFormat.DATE, width=10),
    Col("Ngày quyết định", CellFormat.DATE, width=10),
    Col("Ngày công bố", CellFormat.DATE, width=10),
    Col("Ngày dừng bệnh án giấy", CellFormat.DATE, width=10),
    Col("Gửi XML BHXH đúng hạn", CellFormat.PERCENT, width=7),
    Col("Đã gửi dữ liệu VNeID", CellFormat.BOOLEAN, width=7),
    Col("Tháng báo cáo gần nhất", CellFormat.MONTH, width=8),
    Col("Hạn hoàn thành", CellFormat.DATE, width=10),
    Col("Hạn theo quy định (TT 13/2025)", CellFormat.DATE, width=10),
    Col("Tình trạng triển khai", width=14),
    Col("Lý do", width=24, wrap=True),
    # The deployment date when deployed, else a projected date, or why there is none (PROJECTION_TEXT).
    Col("Ngày triển khai hoặc dự kiến", CellFormat.DATE, width=10, wrap=True),
    Col("Tình trạng thay thế bệnh án giấy", width=14),
    Col("Lý do (bệnh án giấy)", width=20, wrap=True),
]


# What the Chi tiết sheet reads of each facility, as plain rows (exports.selectors): building model instances with
# their type and area took 3.5 s of the 60,000-facility workbook's 7.7 s of reading.
DETAIL_FIELDS = (
    "code", "name", "type__name", "area__name", "readiness_score", "mandatory_met", "departments_live",
    "departments_total", "progress", "self_assessed_on", "decision_on", "announced_on", "paper_stopped_on",
    "bhxh_on_time_share", "vneid_sent", "last_report_period", "effective_deadline", "type__legal_deadline",
    "status", "reasons", "deployment_date", "projected_completion", "projection", "paperless_status",
    "paperless_reasons",
)  # fmt: skip


def detail_row(row: dict) -> list:
    return [
        row["code"],
        row["name"],
        row["type__name"],
        row["area__name"],
        row["readiness_score"],
        row["mandatory_met"],
        row["departments_live"],
        row["departments_total"],
        row["progress"],
        row["self_assessed_on"],
        row["decision_on"],
        row["announced_on"],
        row["paper_stopped_on"],
        _percent(row["bhxh_on_time_share"]),
        row["vneid_sent"],
        row["last_report_period"],
        row["effective_deadline"],
        row["type__legal_deadline"],
        status_label(row["status"]),
        reasons_text(row["reasons"]),
        _projected(row),
        status_label(row["paperless_status"]),
        reasons_text(row["paperless_reasons"]),
    ]


BEHIND_COLUMNS = [
    Col("Mã cơ sở", width=9),
    Col("Tên cơ sở", width=40, wrap=True),
    Col("Loại hình", width=26, wrap=True),
    Col("Xã/phường", width=20),
    Col("Tình trạng", width=18),
    Col("Hạn hoàn thành", CellFormat.DATE),
    Col("Số ngày đến hạn (âm: quá hạn)", CellFormat.INTEGER, width=12),
    Col("Tỷ lệ khoa triển khai", CellFormat.PERCENT),
    Col(
        "Ngày triển khai hoặc dự kiến", CellFormat.DATE, width=16, wrap=True
    ),  # a date, or why there is none (PROJECTION_TEXT)
    Col("Tháng báo cáo gần nhất", CellFormat.MONTH, width=11),
    Col("Lý do", width=60, wrap=True),
    Col("Tình trạng thay thế bệnh án giấy", width=18),
]


BEHIND_FIELDS = (
    "code", "name", "type__name", "area__name", "status", "effective_deadline", "days_left", "progress",
    "deployment_date", "projected_completion", "projection", "last_report_period", "reasons", "paperless_status",
)  # fmt: skip


def behind_row(row: dict) -> list:
    return [
        row["code"],
        row["name"],
        row["type__name"],
        row["area__name"],
        status_label(row["status"]),
        row["effective_deadline"],
        row["days_left"],
        row["progress"],
        _projected(row),
        row["last_report_period"],
        reasons_text(row["reasons"]),
        status_label(row["paperless_status"]),
    ]


def write_trend(workbook, data: ProvincialData) -> SheetWriter:
    labels = [status_label(code) for code in data.statuses]
    columns = [Col("Ngày", CellFormat.DATE), *(Col(label, CellFormat.INTEGER, width=13) for label in labels)]
    columns.append(Col("Tổng số đã tính", CellFormat.INTEGER))
    # The paperless statuses after the total, outside the chart's columns.
    columns += [Col(status_label(code), CellFormat.INTEGER, width=13) for code in data.paperless]
    sheet = SheetWriter(
        workbook,
        SHEETS[3],
        columns,
        title="DIỄN BIẾN TÌNH TRẠNG TIẾN ĐỘ THEO THÁNG",
        as_of=data.as_of,
        subtitle=data.filters or "Số cơ sở theo tình trạng vào ngày cuối mỗi tháng (từ số liệu lưu hằng ngày)",
        numbered=False,
    )
    for point in data.trend:
        counts = point.counts
        if counts is None:  # no snapshot that day: a gap in the chart, not a zero
            sheet.append([point.date, *([None] * len(data.statuses)), None, *([None] * len(data.paperless))])
        else:
            paperless = point.paperless or {}
            sheet.append(
                [
                    point.date,
                    *(counts.get(code, 0) for code in data.statuses),
                    sum(counts.values()),
                    *(paperless.get(code, 0) for code in data.paperless),
                ]
            )
    sheet.close()
    write_trend_chart(workbook, sheet, data)
    return sheet


def write_trend_chart(workbook, trend: SheetWriter, data: ProvincialData) -> None:
    """The trend as a line chart on a sheet of its own, which prints as one A4 landscape page.

    Straight lines between the month-end points (a smoothed line overshoots and shows counts that
    never were), one per status in its RAG colour; a month without snapshots is a gap.
    """
    chart = workbook.add_line_chart()
    chart.set_title({"name": f"Số cơ sở theo tình trạng — {AS_OF_TEXT.format(data.as_of)}"})
    chart.set_y_axis({"name": "Số cơ sở", "min": 0, "major_gridlines": {"visible": True}})
    chart.set_x_axis({"name": "Ngày", "num_format": "mm/yyyy", "date_axis": False})
    chart.set_legend({"position": "bottom"})
    chart.show_blanks_as("gap")
    first, last = trend.first_data_row - 1, max(trend.last_data_row, trend.first_data_row) - 1
    for index, code in enumerate(data.statuses, start=1):
        line = STATUS_LINES.get(code, {"color": "#404040"})
        chart.add_series(
            {
                "name": status_label(code),
                "categories": [trend.title, first, 0, last, 0],
                "values": [trend.title, first, index, last, index],
                "line": {"width": 2.25, **line},
                "marker": {"type": "circle", "size": 5, "border": {"color": line["color"]}, "fill": line},
                "smooth": False,
            }
        )
    page = workbook.book.add_chartsheet(SHEETS[4])
    page.set_chart(chart)
    page.set_landscape()
    page.set_paper(9)
    page.set_footer("&CTrang &P / &N")


ESCALATION_COLUMNS = [
    Col("Mã cơ sở", width=9),
    Col("Tên cơ sở", width=30, wrap=True),  # or the partner agency that raised it
    Col("Ngày phản ánh", CellFormat.DATE),
    Col("Khó khăn, vướng mắc", width=50, wrap=True),
    Col("Đề xuất, kiến nghị hỗ trợ", width=36, wrap=True),
    Col("Tình trạng xử lý", width=18, wrap=True),
    Col("Xử lý của Sở Y tế", width=36, wrap=True),
    Col("Đề xuất UBND tỉnh", width=36, wrap=True),
    Col("Chỉ đạo của UBND tỉnh", width=36, wrap=True),
]


def escalation_row(item) -> list:
    """One item of the escalation register (escalations.EscalationItem): the words as reviewed, and their handling."""
    handled = item.action
    if item.partner_id:
        handled = f"Phối hợp {item.partner.name}: {item.action}" if item.action else f"Phối hợp {item.partner.name}"
    direction = ""
    if item.direction_number:
        direction = f"Văn bản số {item.direction_number} ngày {item.direction_date:%d/%m/%Y}: {item.direction_content}"
    return [
        item.facility.code if item.facility_id else "",
        item.source,
        item.raised_on,
        item.difficulty,
        item.support_requested,
        item.get_state_display(),
        handled,
        item.proposal,
        direction,
    ]


def write_provincial_report(target, data: ProvincialData, progress: Callable[[int], None] | None = None) -> int:
    """Write the six sheets to `target` (a path or a binary file); returns the facilities written.

    Rows read from the database stream when this runs inside exports.streaming.streamed_reads().
    """
    workbook = new_workbook(TITLE)
    write_summary(workbook, data)
    detail = SheetWriter(
        workbook,
        SHEETS[1],
        DETAIL_COLUMNS,
        title="CHI TIẾT TIẾN ĐỘ TỪNG CƠ SỞ",
        as_of=data.as_of,
        subtitle=data.filters,
    )
    count = detail.append_rows((detail_row(f) for f in data.facilities), progress=progress)
    detail.close()
    behind = SheetWriter(
        workbook,
        SHEETS[2],
        BEHIND_COLUMNS,
        title="CÁC CƠ SỞ CHẬM TIẾN ĐỘ (QUÁ HẠN VÀ CÓ NGUY CƠ)",
        as_of=data.as_of,
        subtitle=data.filters or "Quá hạn trước, sau đó theo thời điểm dự kiến hoàn thành",
    )
    behind.append_rows(behind_row(f) for f in data.behind)
    behind.close()
    write_trend(workbook, data)
    escalations = SheetWriter(
        workbook,
        SHEETS[5],
        ESCALATION_COLUMNS,
        title="KHÓ KHĂN, VƯỚNG MẮC VƯỢT THẨM QUYỀN VÀ TÌNH HÌNH XỬ LÝ",
        as_of=data.as_of,
        subtitle=data.filters,
    )
    escalations.append_rows(escalation_row(r) for r in data.escalations)
    escalations.close()
    workbook.save(target)
    return count
