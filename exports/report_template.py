"""The monthly reports import template: the workbook an officer downloads, fills in and uploads again.

Written with the streaming writer from the import's own columns (reports.imports.FIELDS), so the
template and the import cannot disagree on a heading.
"""

import datetime

from django.utils.translation import override

from reports.imports import FIELDS, LABELS
from reports.models import CARRIED_OVER_FIELDS, REPORTED_STAGES, MonthlyReport

from .xlsx import CellFormat, Col, SheetWriter, new_workbook

KIND_COLUMNS = {
    "text": CellFormat.TEXT,
    "count": CellFormat.INTEGER,
    "percent": CellFormat.DECIMAL,
    "money": CellFormat.VND,
    "date": CellFormat.DATE,
    "flag": CellFormat.TEXT,
    "stage": CellFormat.INTEGER,
}
WIDE = {"text": 30, "count": 14, "percent": 14, "money": 18, "date": 14, "flag": 14, "stage": 12}
GUIDE = {
    "text": "Chữ (có thể để trống)",
    "count": "Số nguyên ≥ 0, ví dụ 1.200",
    "percent": "Số từ 0 đến 100; ô định dạng % (95%) hoặc chữ 95,5% cũng được",
    "money": "Số tiền (đồng), ví dụ 1250000000",
    "date": "Ngày dd/mm/yyyy (15/07/2026, 15-07-2026, 15.07.2026 cũng được), không sau hôm nay",
    "flag": "Có / Không (để trống là Không)",
    "stage": "Số 0–3 hoặc tên giai đoạn (xem bên dưới)",
}


def template_workbook(target, *, facilities, period: datetime.date) -> None:
    """The file to fill in: one row per facility for `period`, pre-filled with its last approved values.

    `facilities` are the rows to offer (typically the active facilities with no report for
    the month yet); difficulties, requests and explanations start empty every month.
    """
    last = {}
    approved = MonthlyReport.objects.approved().filter(facility__in=facilities, period__lt=period)
    for report in approved.order_by("facility_id", "-period").iterator(chunk_size=2000):
        last.setdefault(report.facility_id, report)
    workbook = new_workbook("Mẫu nhập báo cáo tiến độ hằng tháng")
    columns = [
        Col(LABELS["code"], width=10),
        Col(LABELS["name"], width=36),
        Col(LABELS["period"], CellFormat.MONTH, width=12),
        *(Col(label, KIND_COLUMNS[kind], width=WIDE[kind]) for _name, label, kind in FIELDS),
    ]
    sheet = SheetWriter(workbook, "Báo cáo tháng", columns, numbered=False, official=False)
    for facility in facilities.order_by("code").iterator(chunk_size=2000):
        previous = last.get(facility.pk)
        values = [facility.code, facility.name, period]
        for name, _label, kind in FIELDS:
            value = getattr(previous, name) if previous and name in CARRIED_OVER_FIELDS else None
            if kind == "flag":
                value = "Có" if value else "Không"
            values.append(value)
        sheet.append(values)
    sheet.close()
    guide = SheetWriter(
        workbook,
        "Hướng dẫn",
        [Col("Cột", width=48, wrap=True), Col("Cách nhập", width=50, wrap=True)],
        title="HƯỚNG DẪN NHẬP BÁO CÁO TIẾN ĐỘ HẰNG THÁNG TỪ EXCEL",
        subtitle="Mỗi dòng là một cơ sở trong một tháng. Tệp có bất kỳ dòng lỗi nào sẽ không được nhập.",
    )
    guide.append([LABELS["code"], "Mã cơ sở KCB (5 ký tự), bắt buộc"])
    guide.append([LABELS["name"], "Chỉ để đối chiếu, không được nhập"])
    guide.append([LABELS["period"], "Tháng/năm, ví dụ 10/2026 (T10/2026, Tháng 10/2026 cũng được); bắt buộc"])
    for _name, label, kind in FIELDS:
        guide.append([label, GUIDE[kind]])
    with override("vi"):
        for stage in REPORTED_STAGES:
            guide.append([f"Giai đoạn {stage.value}", str(stage.label)])
    guide.close()
    workbook.save(target)
