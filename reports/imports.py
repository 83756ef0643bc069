"""Bulk import of monthly reports from Excel, for facilities that report by file: all or nothing.

One row per facility and month, with the fields of SPEC section 4 under Vietnamese
headings (English field names accepted too). Every row goes through
`reports.forms.validate_report`, the rules of the web form, so an imported report can
be nothing the form would refuse. Each error is reported with its row and column.
A file with any rejected row saves nothing; otherwise each report is created and
submitted through the reports services, attributed to the importing officer and
attested in the name of the facility head from the registry, leaving its history.

Cells are read by `core.cells` (Vietnamese numbers, percentages, dates and months) from any
file `core.spreadsheet` reads. A template's sample row (code "MẪU…", which no facility can
have) is skipped with a note. A row whose figures equal the facility's last approved report
is refused as "not a new report" (the untouched template, pre-filled with last month's
figures, would otherwise be attested as new in each head's name) unless the officer confirms
that those facilities really did not change (`allow_unchanged`).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import cells
from core.cells import CellError
from core.months import month_start
from core.spreadsheet import Column, WorkbookError, is_sample, read_sheet
from core.text import fold
from core.workflow import WorkflowError
from facilities.models import Facility

from .forms import validate_report
from .models import REPORTED_STAGES, MonthlyReport
from .services import report_save_draft, report_submit

# (model field, Vietnamese heading, kind); kinds: text, count, percent, money, date, flag, stage.
FIELDS = [
    ("stage", "Giai đoạn triển khai", "stage"),
    ("stage_explanation", "Giải trình lùi giai đoạn", "text"),
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
SAMPLE_CODE = "MẪU01"  # the template's sample row: never a facility code (5 digits or capital letters A-Z)
# The figures compared with the last approved report to tell a new report from last month's copied over.
COMPARED_FIELDS = [name for name, _label, kind in FIELDS if kind not in ("text",)]

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
    notes: list[str] = field(default_factory=list)  # rows read but not imported (sample, footer), and why
    unchanged: int = 0  # rows refused only because they repeat the last approved report

    @property
    def counts(self) -> dict[str, int]:
        return {"created": sum(1 for r in self.rows if r.outcome == OK), "rejected": self.rejected}

    @property
    def ok(self) -> bool:
        return not self.file_error and bool(self.rows) and all(r.outcome == OK for r in self.rows)

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if r.outcome == REJECTED)


def stage_names() -> dict[str, int]:
    """Stage by number (0-3) or by its Vietnamese or English name, without diacritics (later steps: milestones)."""
    names = {str(stage.value): stage.value for stage in REPORTED_STAGES}
    for language in ("vi", "en"):
        with override(language):
            names |= {fold(str(stage.label)): stage.value for stage in REPORTED_STAGES}
    return names


READERS = {
    "count": cells.read_integer,
    "money": cells.read_integer,
    "date": cells.read_date,
    "flag": cells.read_flag,
    "text": lambda value: cells.read_text(value, multiline=True),
}


def _values(row, result: RowResult, stages: dict[str, int], keeps_formats: bool) -> dict:
    """The row's cells read into Python values for the form; an unreadable cell is rejected with what was read."""
    values = {"period": result.period}
    for name, _label, kind in FIELDS:
        if name not in row.values:
            continue  # a column the file does not have: the form's rules decide (carried over or required)
        value = row.values.get(name)
        try:
            if kind == "stage":
                values[name] = _stage(value, stages)
            elif kind == "percent":
                values[name] = cells.read_percent(
                    value, number_format=row.formats.get(name, ""), keeps_formats=keeps_formats
                )
            else:
                values[name] = READERS[kind](value)
        except CellError as exc:
            result.reject(name, exc.message)
            values[name] = ""
            continue
        if values[name] is None:
            values[name] = ""  # an empty cell is an empty answer, never last month's value carried over
    return values


def _stage(value, stages: dict[str, int]):
    """A stage by its number (0-3; the later steps are milestones) or its name; "" for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = fold(cells.read_text(value))
    if key not in stages:
        raise CellError(value, _("a stage: its number (0 to 3) or its name"))
    return stages[key]


def _validate_row(row, facilities: dict, seen: dict, stages: dict, today, keeps_formats: bool) -> RowResult:
    """Every error of the row, each under its column: a bad code or month never hides the others.

    The checks that need the facility and month (already reported, the last approved month's
    departments and stage) run only when both are known; the form's rules on the other
    columns always run. A column already rejected here (a formula, an unreadable cell) does
    not get the form's second message about the same cell.
    """
    result = RowResult(row=row.number, code="")
    for key in sorted(row.formulas, key=list(LABELS).index):
        result.reject(key, _("The cell holds a formula; type the value instead."))
    try:
        result.code = cells.read_text(row.values.get("code")).upper()
    except CellError as exc:
        result.reject("code", exc.message)
    result.facility = facilities.get(result.code)
    if result.facility is None and "code" not in row.formulas and not result.errors:
        result.reject("code", _("Unknown facility code “%(code)s”.") % {"code": result.code})
    try:
        result.period = cells.read_month(row.values.get("period"))
        if result.period is None and "period" not in row.formulas:
            result.reject("period", _("This field is required."))
    except CellError as exc:
        if "period" not in row.formulas:
            result.reject("period", exc.message)
    values = _values(row, result, stages, keeps_formats)
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


def _same_as_last_approved(result: RowResult, last: dict) -> bool:
    """The row's figures equal the facility's last approved report before the month (all of COMPARED_FIELDS)."""
    previous = last.get(result.facility.pk) if result.facility else None
    if previous is None or result.outcome != OK:
        return False
    instance = result.form.instance
    return all(getattr(instance, name) == getattr(previous, name) for name in COMPARED_FIELDS)


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


def _last_approved(rows: list[RowResult]) -> dict:
    """Each imported facility's last approved report before the row's month (one query)."""
    known = [r for r in rows if r.facility is not None and r.period is not None]
    if not known:
        return {}
    latest_period = max(r.period for r in known)
    approved = MonthlyReport.objects.approved().filter(
        facility__in=[r.facility for r in known], period__lt=latest_period
    )
    periods = {r.facility.pk: r.period for r in known}
    last = {}
    for report in approved.order_by("facility_id", "-period"):
        if report.facility_id not in last and report.period < periods[report.facility_id]:
            last[report.facility_id] = report
    return last


def import_reports(
    file, *, by, commit: bool = True, today: datetime.date | None = None, allow_unchanged: bool = False
) -> ImportReport:
    """Validate every row; create and submit the reports only when no row is rejected (and `commit`)."""
    report = ImportReport()
    try:
        sheet = read_sheet(file, COLUMNS)
    except WorkbookError as exc:
        report.file_error = str(exc)
        return report
    report.notes = list(sheet.notes)
    facilities = {f.code: f for f in Facility.objects.for_user(by).filter(is_active=True)}
    seen, stages = {}, stage_names()
    rows = []
    for row in sheet.rows:
        if is_sample(row.values.get("code")):
            note = _("Row %(row)s is the template's sample row and is not imported.")
            report.notes.append(note % {"row": row.number})
            continue
        rows.append(row)
    report.rows = [_validate_row(row, facilities, seen, stages, today, sheet.keeps_formats) for row in rows]
    if not allow_unchanged:
        last = _last_approved(report.rows)
        for result in report.rows:
            if _same_as_last_approved(result, last):
                report.unchanged += 1
                result.reject(
                    "",
                    _(
                        "Not a new report: every figure equals the last approved report (%(month)s). Update the "
                        "figures, or tick that these facilities really did not change."
                    )
                    % {"month": f"{last[result.facility.pk].period:%m/%Y}"},
                )
    if not report.rows:
        report.file_error = _("The file has no data rows.")
        return report
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
        period = cells.read_month(value or None)
    except CellError:
        period = None
    if period is None:
        period = month_start(today or timezone.localdate(), 1)
    return period
