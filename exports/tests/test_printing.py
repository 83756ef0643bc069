"""The provincial workbook printed through LibreOffice: a page count a person can handle and no text cut off.

Needs Debian's libreoffice-calc (`soffice`); .ci/run installs it. The layout settings themselves
(paper, fit, print titles, row heights, frozen panes, the chart's own sheet) are checked by reading
the files back in test_xlsx.py and test_provincial.py.
"""

import datetime
import os
import re
import shutil
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils.translation import override
from pypdf import PdfReader

from exports.provincial import ProvincialData, write_provincial_report

pytestmark = pytest.mark.libreoffice
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
FACILITIES = 40
STATUSES = ["overdue", "at_risk", "deployed_late", "no_data", "on_track", "deployed_on_time"]


def facility(index: int) -> dict:
    """A facility as exports.selectors gives the report's sheets (DETAIL_FIELDS and BEHIND_FIELDS)."""
    status = STATUSES[index % len(STATUSES)]
    return dict(
        code=f"{82000 + index}",
        name=f"Trạm Y tế xã Tân Hồng số {index} thuộc khu vực biên giới tỉnh Đồng Tháp",
        type__name="Trạm Y tế xã, phường, đặc khu",
        type__legal_deadline=datetime.date(2026, 12, 31),
        area__name="Xã Tân Hồng",
        readiness_score=Decimal("72.5"),
        mandatory_met=index % 2 == 0,
        departments_live=3,
        departments_total=7,
        progress=Decimal("0.4286"),
        self_assessed_on=datetime.date(2026, 7, 20),
        decision_on=datetime.date(2026, 8, 1),
        announced_on=None,
        paper_stopped_on=None,
        bhxh_on_time_share=Decimal("91.5"),
        vneid_sent=True,
        last_report_period=datetime.date(2026, 10, 1),
        effective_deadline=datetime.date(2026, 9, 30),
        status=status,
        # A long reason ending in a word found nowhere else: clipped text would lose it.
        reasons=[
            "Chưa có chữ ký số cho bác sĩ, đường truyền chậm, máy chủ dự phòng chưa được đầu tư, "
            f"nhân lực công nghệ thông tin thiếu; mã kiểm tra kt{index}z"
        ],
        deployed=status.startswith("deployed"),
        deployment_date=datetime.date(2026, 8, 1) if status.startswith("deployed") else None,
        paperless_status="paper_in_use",
        paperless_reasons=[{"code": "paper_stop_missing"}],
        projected_completion=datetime.date(2027, 1, 31),
        projection="date",
        days_left=-60,
    )


def test_the_provincial_workbook_prints_to_few_pages_with_no_text_cut_off(tmp_path):
    trend = [
        SimpleNamespace(
            date=datetime.date(2026, month, 28),
            counts={s: 5 * k + month for k, s in enumerate(STATUSES)},
            paperless={"paper_in_use": 30, "paperless_late": 2, "not_due": 0, "paperless_on_time": 8},
        )
        for month in range(1, 12)
    ]
    data = ProvincialData(
        as_of=datetime.date(2026, 11, 25),
        filters="",
        statuses=STATUSES,
        by_type=[],
        facilities=[facility(i) for i in range(FACILITIES)],
        behind=[facility(i) for i in range(0, FACILITIES, 3)],
        trend=trend,
        escalations=[],
    )
    workbook = tmp_path / "bao-cao.xlsx"
    with override("vi"):
        write_provincial_report(workbook, data)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    pdf = PdfReader(tmp_path / "bao-cao.pdf")
    pages = [page.extract_text() or "" for page in pdf.pages]
    text = "\n".join(pages)
    # Every facility's long reason printed in full (twice for those behind schedule: both lists).
    for index in range(FACILITIES):
        assert f"kt{index}z" in text, index
    # The chart has a page of its own: its title (the trend table's caption starts with the same words), and
    # none of the tables' headings.
    chart_pages = [p for p in pages if re.search(r"Số cơ sở theo tình trạng\s+—", p)]
    assert len(chart_pages) == 1 and "Mã cơ sở" not in chart_pages[0]
    # 40 facilities: a handful of pages, not dozens of slivers.
    assert len(pages) <= 16, len(pages)
