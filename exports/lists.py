"""List exports: the rows a list page shows, with its filters applied, as a workbook (pure: rows in, file out)."""

import datetime
from collections.abc import Iterable

from compliance.models import ComplianceStatus

from .xlsx import Col, Kind, SheetWriter, new_workbook

FACILITY_LIST_TITLE = "DANH SÁCH CƠ SỞ KHÁM BỆNH, CHỮA BỆNH TRIỂN KHAI HỒ SƠ BỆNH ÁN ĐIỆN TỬ"
FACILITY_COLUMNS = [
    Col("Mã cơ sở", width=9),
    Col("Tên cơ sở", width=42, wrap=True),
    Col("Loại hình", width=28, wrap=True),
    Col("Hình thức sở hữu", width=14),
    Col("Xã/phường", width=22),
    Col("Địa chỉ", width=36, wrap=True),
    Col("Số giường", Kind.INTEGER, width=9),
    Col("Thủ trưởng", width=22),
    Col("Điện thoại", width=14),
    Col("Email", width=26),
    Col("Hạn hoàn thành", Kind.DATE),
    Col("Được gia hạn", Kind.BOOLEAN),
    Col("Tình trạng tiến độ", width=20),
    Col("Tỷ lệ khoa triển khai", Kind.PERCENT),
    Col("Đang hoạt động", Kind.BOOLEAN),
]


def status_label(code: str | None) -> str:
    return str(ComplianceStatus(code).label) if code else "Chưa tính"


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
        status_label(facility.compliance_status),
        facility.compliance_progress,
        facility.is_active,
    ]


def write_facility_list(facilities: Iterable, target, *, as_of: datetime.date, filters: str = "", progress=None) -> int:
    """Write the facility list workbook to `target` (a path or a binary file); returns the row count."""
    workbook = new_workbook(FACILITY_LIST_TITLE)
    sheet = SheetWriter(
        workbook, "Danh sách cơ sở", FACILITY_COLUMNS, title=FACILITY_LIST_TITLE, subtitle=filters, as_of=as_of
    )
    count = sheet.append_rows((facility_row(f) for f in facilities), progress=progress)
    sheet.close()
    workbook.save(target)
    return count
