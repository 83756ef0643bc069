"""List exports: the rows a list page shows, with its filters applied, as a workbook (pure: rows in, file out)."""

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import get_language

from compliance.models import STATUS_LABELS
from compliance.reasons import reason_labels

from .xlsx import CellFormat, Col, SheetWriter, new_workbook

FACILITY_LIST_TITLE = "DANH SÁCH CƠ SỞ KHÁM BỆNH, CHỮA BỆNH TRIỂN KHAI HỒ SƠ BỆNH ÁN ĐIỆN TỬ"
FACILITY_COLUMNS = [
    Col("Mã cơ sở", width=9),
    Col("Tên cơ sở", width=42, wrap=True),
    Col("Loại hình", width=28, wrap=True),
    Col("Hình thức sở hữu", width=14),
    Col("Xã/phường", width=22),
    Col("Địa chỉ", width=36, wrap=True),
    Col("Số giường", CellFormat.INTEGER, width=9),
    Col("Người đứng đầu cơ sở", width=22),
    Col("Điện thoại", width=14),
    Col("Email", width=26),
    Col("Hạn hoàn thành", CellFormat.DATE),
    Col("Được gia hạn", CellFormat.BOOLEAN),
    Col("Hạn theo quy định (TT 13/2025)", CellFormat.DATE),
    Col("Tình trạng triển khai", width=20),
    Col("Lý do", width=40, wrap=True),
    Col("Ngày triển khai", CellFormat.DATE),
    Col("Tình trạng thay thế bệnh án giấy", width=20),
    Col("Lý do (bệnh án giấy)", width=40, wrap=True),
    Col("Ngày ngừng bệnh án giấy", CellFormat.DATE),
    Col("Tỷ lệ khoa triển khai", CellFormat.PERCENT),
    Col("Tháng báo cáo gần nhất", CellFormat.MONTH, width=11),
    Col("Đang hoạt động", CellFormat.BOOLEAN),
]


@functools.cache
def _status_labels(language: str) -> dict:
    """Status labels in `language`, translated once per export rather than once per row."""
    return {code: str(label) for code, label in STATUS_LABELS.items()}


def status_label(code: str | None) -> str:
    return _status_labels(get_language()).get(code, code) if code else "Chưa tính"


def reasons_text(reasons: list | None) -> str:
    return "; ".join(reason_labels(reasons))


def facility_row(facility) -> list:
    """One facility of `selectors.facility_list()` as the values of FACILITY_COLUMNS."""
    return [
        facility.code,
        facility.name,
        facility.type.name,
        facility.get_ownership_display(),
        facility.area.name,
        facility.address,
        facility.beds,
        facility.head_name,
        facility.head_phone,
        facility.head_email,
        facility.effective_deadline,
        facility.deadline is not None,
        facility.type.legal_deadline,
        status_label(facility.status),
        reasons_text(facility.reasons),
        facility.deployment_date,
        status_label(facility.paperless_status),
        reasons_text(facility.paperless_reasons),
        facility.paperless_date,
        facility.progress,
        facility.last_report_period,
        facility.is_active,
    ]


REPORT_LIST_TITLE = "DANH SÁCH BÁO CÁO TIẾN ĐỘ HẰNG THÁNG"
REPORT_COLUMNS = [
    Col("Mã cơ sở", width=9),
    Col("Tên cơ sở", width=36, wrap=True),
    Col("Loại hình", width=24, wrap=True),
    Col("Xã/phường", width=18),
    Col("Tháng báo cáo", CellFormat.MONTH, width=10),
    Col("Trạng thái", width=14),
    Col("Giai đoạn triển khai", width=26, wrap=True),
    Col("Số khoa triển khai", CellFormat.INTEGER),
    Col("Tổng số khoa", CellFormat.INTEGER),
    Col("HSBA nội trú mở trong tháng", CellFormat.INTEGER, width=12),
    Col("HSBA nội trú điện tử", CellFormat.INTEGER),
    Col("Lượt khám ngoại trú", CellFormat.INTEGER, width=12),
    Col("Lượt ngoại trú điện tử", CellFormat.INTEGER),
    Col("Tỷ lệ HSBA ký số đầy đủ", CellFormat.PERCENT),
    Col("LIS vận hành", CellFormat.BOOLEAN),
    Col("RIS/PACS vận hành", CellFormat.BOOLEAN),
    Col("Gửi XML BHXH đúng hạn", CellFormat.PERCENT),
    Col("Đã gửi dữ liệu VNeID", CellFormat.BOOLEAN),
    Col("Nhân viên đã tập huấn", CellFormat.INTEGER),
    Col("Tổng số nhân viên", CellFormat.INTEGER),
    Col("Kinh phí đã chi lũy kế", CellFormat.VND),
    Col("Ngày gửi", CellFormat.DATETIME),
    Col("Gửi muộn", CellFormat.BOOLEAN),
    Col("Người đứng đầu xác nhận", width=22),
    Col("Khó khăn, vướng mắc", width=50, wrap=True),
    Col("Đề xuất, kiến nghị", width=40, wrap=True),
    Col("Cần báo cáo UBND tỉnh", CellFormat.BOOLEAN, width=11),
]


def _share(value):
    """A percentage stored as 0..100, as the 0..1 share Excel's % format shows."""
    return None if value is None else float(value) / 100


def report_row(report) -> list:
    """One report of `selectors.report_list()` (annotated `submitted_late`) as REPORT_COLUMNS' values."""
    facility = report.facility
    return [
        facility.code,
        facility.name,
        facility.type.name,
        facility.area.name,
        report.period,
        report.get_status_display(),
        report.get_stage_display(),
        report.departments_live,
        report.departments_total,
        report.inpatient_records,
        report.inpatient_electronic,
        report.outpatient_visits,
        report.outpatient_electronic,
        _share(report.signed_share),
        report.lis_live,
        report.pacs_live,
        _share(report.bhxh_on_time_share),
        report.vneid_sent,
        report.staff_trained,
        report.staff_total,
        report.spending_to_date,
        report.submitted_at,
        report.submitted_late if report.submitted_at else None,
        report.attested_by_name,
        report.difficulties,
        report.support_requested,
        report.needs_escalation,
    ]


REVIEW_QUEUE_TITLE = "DANH SÁCH HỒ SƠ CHỜ THẨM ĐỊNH"
REVIEW_COLUMNS = [
    Col("Loại hồ sơ", width=26),
    Col("Mã cơ sở", width=9),
    Col("Tên cơ sở", width=40, wrap=True),
    Col("Loại hình", width=26, wrap=True),
    Col("Xã/phường", width=20),
    Col("Tháng báo cáo", CellFormat.MONTH, width=10),
    Col("Ngày gửi", CellFormat.DATETIME),
    Col("Gửi muộn", CellFormat.BOOLEAN),
    Col("Số ngày chờ", CellFormat.INTEGER),
]


def review_row(item) -> list:
    """One `reports.queue.QueueItem` as REVIEW_COLUMNS' values."""
    facility = item.facility
    return [
        item.kind_label,
        facility.code,
        facility.name,
        facility.type.name,
        facility.area.name,
        item.period,
        item.submitted_at,
        item.late if item.period else None,
        item.days_waiting,
    ]


@dataclass(frozen=True)
class ListSheet:
    """One list export: its title, sheet name, columns and how a row of the page becomes a row of the sheet."""

    title: str
    sheet: str
    columns: list[Col]
    row: Callable[[object], list]


FACILITY_LIST = ListSheet(FACILITY_LIST_TITLE, "Danh sách cơ sở", FACILITY_COLUMNS, facility_row)
REPORT_LIST = ListSheet(REPORT_LIST_TITLE, "Báo cáo tháng", REPORT_COLUMNS, report_row)
REVIEW_QUEUE = ListSheet(REVIEW_QUEUE_TITLE, "Chờ xem xét", REVIEW_COLUMNS, review_row)


def write_list(
    spec: ListSheet, rows: Iterable, target, *, as_of: datetime.date, filters: str = "", progress=None
) -> int:
    """Write the list workbook to `target` (a path or a binary file); returns the row count."""
    workbook = new_workbook(spec.title)
    sheet = SheetWriter(workbook, spec.sheet, spec.columns, title=spec.title, subtitle=filters, as_of=as_of)
    count = sheet.append_rows((spec.row(row) for row in rows), progress=progress)
    sheet.close()
    workbook.save(target)
    return count
