"""Bulk import of monthly reports from Excel, for facilities that report by file: all or nothing.

One row per facility and month, with the fields of SPEC section 4 under Vietnamese
headings (English field names accepted too). Every row goes through
`reports.forms.validate_report`, the rules of the web form, so an imported report can
be nothing the form would refuse. Each error is reported with its row and column.
A file with any rejected row saves nothing; otherwise each report is created and
submitted through the reports services, attributed to the importing officer and
attested in the name of the facility head from the registry, leaving its history.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.months import month_start
from core.text import fold
from core.workflow import WorkflowError
from core.xlsx import Column, WorkbookError, read_sheet
from facilities.models import Facility

from .fields import MonthField
from .forms import validate_report
from .models import MonthlyReport, Stage
from .services import report_save_draft, report_submit

# (model field, Vietnamese heading, kind); kinds: text, count, percent, money, date, flag, stage.
FIELDS = [
    ("stage", "Giai đoạn triển khai", "stage"),
    ("stage_explanation", "Giải trình lùi giai đoạn", "text"),
    ("decision_number", "Số quyết định sử dụng HSBA điện tử", "text"),
    ("decision_date", "Ngày quyết định", "date"),
    ("announced_date", "Ngày công bố trên Cổng Bộ Y tế", "date"),
    ("paper_stopped_date", "Ngày dừng bệnh án giấy", "date"),
    ("departments_total", "Tổng số khoa lâm sàng", "count"),
    ("departments_live", "Số khoa đã triển khai HSBA điện tử", "count"),
    ("departments_drop_explanation", "Giải trình giảm số khoa triển khai", "text"),
    ("inpatient_records", "Số HSBA nội trú mở trong tháng", "count"),
    ("inpatient_electronic", "Trong đó HSBA nội trú điện tử", "count"),
    ("outpatient_visits", "Số lượt khám ngoại trú trong tháng", "count"),
    ("outpatient_electronic", "Trong đó ngoại trú điện tử", "count"),
    ("signed_share", "Tỷ lệ HSBA ký số đầy đủ (%)", "percent"),
    ("lis_live", "LIS đã vận hành", "flag"),
    ("pacs_live", "RIS/PACS đã vận hành", "flag"),
    ("bhxh_on_time_share", "Tỷ lệ gửi XML có ký số lên BHXH đúng hạn (%)", "percent"),
    ("vneid_sent", "Đã gửi dữ liệu Sổ sức khỏe điện tử (VNeID) cho mọi người bệnh", "flag"),
    ("signers_total", "Số người ký hồ sơ", "count"),
    ("signers_with_certificate", "Trong đó có chứng thư số cá nhân còn hiệu lực", "count"),
    ("security_approved", "Hồ sơ cấp độ an toàn thông tin đã được phê duyệt", "flag"),
    ("security_decision_date", "Ngày quyết định phê duyệt cấp độ", "date"),
    ("last_backup_date", "Ngày sao lưu thành công gần nhất", "date"),
    ("last_restore_test_date", "Ngày thử khôi phục gần nhất", "date"),
    ("staff_total", "Tổng số nhân viên", "count"),
    ("staff_trained", "Số nhân viên đã được tập huấn HSBA điện tử", "count"),
    ("spending_to_date", "Kinh phí đã chi lũy kế (đồng)", "money"),
    ("difficulties", "Khó khăn, vướng mắc", "text"),
    ("support_requested", "Đề xuất, kiến nghị hỗ trợ", "text"),
    ("needs_escalation", "Cần báo cáo UBND tỉnh (vượt thẩm quyền)", "flag"),
]
COLUMNS = [
    Column("code", "Mã cơ sở", required=True, aliases=("ma co so kcb", "ma cskcb", "facility code")),
    Column("name", "Tên cơ sở", aliases=("facility name",)),  # for people reading the file; not imported
    Column("period", "Tháng báo cáo", required=True, aliases=("thang", "ky bao cao", "month")),
    *(Column(name, label, required=(name == "stage")) for name, label, _kind in FIELDS),
]
LABELS = {c.key: c.label for c in COLUMNS}
FLAG_WORDS = {
    True: {"co", "x", "1", "yes", "true", "dung", "da", "roi"},
    False: {"khong", "0", "no", "false", "chua", "sai"},
}

OK, REJECTED = "ok", "rejected"


@dataclass
class RowResult:
    row: int
    code: str
    period: datetime.date | None = None
    facility: Facility | None = None
    form: object = None
    outcome: str = OK
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column heading, message)

    def reject(self, key: str, message) -> None:
        self.outcome = REJECTED
        self.errors.append((LABELS.get(key, _("Row")), str(message)))


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_error: str = ""
    committed: bool = False
    reports: list[MonthlyReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and bool(self.rows) and all(r.outcome == OK for r in self.rows)

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if r.outcome == REJECTED)


def stage_names() -> dict[str, int]:
    """Stage by number (0-7) or by its Vietnamese or English name, without diacritics."""
    names = {str(stage.value): stage.value for stage in Stage}
    for language in ("vi", "en"):
        with override(language):
            names |= {fold(str(stage.label)): stage.value for stage in Stage}
    return names


def _flag(value) -> bool | None:
    """Có / Không, x, 1 / 0, yes / no; an empty cell is "no"; None for a word that is neither."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    word = fold(str(value))
    for answer, words in FLAG_WORDS.items():
        if word in words:
            return answer
    return None


def _values(row, result: RowResult, stages: dict[str, int]) -> dict:
    """The row's cells as the form expects them; the form's own fields parse numbers, dates and months."""
    values = {"period": result.period}
    for name, _label, kind in FIELDS:
        value = row.values.get(name)
        if kind == "flag":
            flag = _flag(value)
            if flag is None:
                result.reject(name, _("Write “Có” or “Không”."))
            values[name] = flag
        elif kind == "stage":
            if value is None:
                values[name] = ""  # the form says the field is required
                continue
            key = fold(str(int(value) if isinstance(value, float) and value.is_integer() else value))
            if key not in stages:
                message = _("Unknown stage “%(value)s”: write its number (0 to 7) or its name.")
                result.reject(name, message % {"value": value})
            values[name] = stages.get(key, "")
        else:
            # An empty cell is an empty answer, never last month's value carried over.
            values[name] = "" if value is None else value
    return values


def _validate_row(row, facilities: dict, seen: dict, stages: dict, today) -> RowResult:
    """Every error of the row, each under its column: a bad code or month never hides the others.

    The checks that need the facility and month (already reported, the last approved month's
    departments and stage) run only when both are known; the form's rules on the other
    columns always run. A column already rejected here (a formula, an unknown stage or a
    yes/no word) does not get the form's second message about the same cell.
    """
    code = str(row.values.get("code") or "").strip().upper()
    result = RowResult(row=row.number, code=code)
    for key in sorted(row.formulas, key=list(LABELS).index):
        result.reject(key, _("The cell holds a formula; type the value instead."))
    result.facility = facilities.get(code)
    if result.facility is None and "code" not in row.formulas:
        result.reject("code", _("Unknown facility code “%(code)s”.") % {"code": code})
    try:
        result.period = MonthField().clean(row.values.get("period"))
    except forms.ValidationError as exc:
        if "period" not in row.formulas:
            result.reject("period", " ".join(exc.messages))
    values = _values(row, result, stages)
    unreadable = {column for column, _message in result.errors}  # headings of the cells refused so far
    known = result.facility is not None and result.period is not None
    if known:
        _check_facility_month(row, result, seen)
    form = validate_report(facility=result.facility if known else None, values=values, today=today)
    if not form.is_valid():
        for name, messages in form.errors.items():
            key = name if name in LABELS else ""
            if LABELS.get(key) not in unreadable:
                result.reject(key, " ".join(messages))
    result.form = form
    return result


def _check_facility_month(row, result: RowResult, seen: dict) -> None:
    """The file's own duplicates, and the head who will attest the report."""
    key = (result.code, result.period)
    if key in seen:
        message = _("This facility and month are already on row %(row)s of this file.") % {"row": seen[key]}
        result.reject("period", message)
    else:
        seen[key] = row.number
    if not result.facility.head_name.strip():
        result.reject("code", _("The registry has no head for this facility, who must attest the report."))


def import_reports(file, *, by, commit: bool = True, today: datetime.date | None = None) -> ImportReport:
    """Validate every row; create and submit the reports only when no row is rejected (and `commit`)."""
    report = ImportReport()
    try:
        rows = read_sheet(file, COLUMNS)
    except WorkbookError as exc:
        report.file_error = str(exc)
        return report
    facilities = {f.code: f for f in Facility.objects.for_user(by).filter(is_active=True)}
    seen, stages = {}, stage_names()
    report.rows = [_validate_row(row, facilities, seen, stages, today) for row in rows]
    if not report.ok or not commit:
        return report
    try:
        with transaction.atomic():
            for result in report.rows:
                saved = report_save_draft(report=result.form.instance, by=by, expected_version=None)
                saved = report_submit(report=saved, by=by, attested_by_name=result.facility.head_name)
                report.reports.append(saved)
    except WorkflowError as exc:
        # Someone saved the same month meanwhile: nothing of this file is kept.
        report.reports = []
        report.file_error = str(exc)
        return report
    report.committed = True
    return report


def template_period(value: str, today: datetime.date | None = None) -> datetime.date:
    """The month a template is for: "2026-10" or "10/2026", else last month."""
    try:
        period = MonthField().clean(value)
    except forms.ValidationError:
        period = None
    if period is None:
        period = month_start(today or timezone.localdate(), 1)
    return period
