"""Every list export with every filter its page offers: a workbook (never a 500), naming the filter applied."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from compliance.models import ComplianceStatus, PaperlessStatus
from dashboard.filters import NOT_COMPUTED
from exports.tests.helpers import printed_pt, response_workbook
from facilities.models import Ownership
from reports.filters import SubmissionKind as QueueKind
from reports.models import Status

TODAY = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)
STATUSES = [*ComplianceStatus.values, NOT_COMPUTED]

FACILITY_LIST_FILTERS = [
    "q=tan+hong",
    "type=health_station",
    "area={area}",
    f"ownership={Ownership.PUBLIC}",
    *(f"status={status}" for status in STATUSES),
    "&".join(f"status={status}" for status in STATUSES),
    "deployed=true",
    "deployed=false",
    *(f"paperless={status}" for status in PaperlessStatus.values),
    "missed=true",
    "missed=false",
    "after_legal=true",
    "after_legal=false",
    "active=true",
    "active=false",
    "month=10/2026&reported=yes",
    "month=10/2026&reported=no",
    "month=10/2026&reported=on_time",
    "month=10/2026&reported=late",
    "escalated=true",
    "escalated=false",
    "assessed=true",
    "assessed=false",
    "sort=-progress",
    "sort=status",
]
REPORT_LIST_FILTERS = [
    "q=tan+hong",
    "facility={code}",
    "type=health_station",
    "area={area}",
    "month=2026-10",
    *(f"status={status}" for status in Status.values),
    "late=yes",
    "late=no",
]
REVIEW_QUEUE_FILTERS = [
    "q=tan+hong",
    *(f"kind={kind}" for kind, _label in QueueKind.CHOICES),
    "type=health_station",
    "area={area}",
    f"ownership={Ownership.PUBLIC}",
]
PROVINCIAL_FILTERS = ["type=health_station", "area={area}", f"ownership={Ownership.PUBLIC}"]

CASES = [
    *(("exports:facility_list", "Danh sách cơ sở", f) for f in FACILITY_LIST_FILTERS),
    *(("exports:report_list", "Báo cáo tháng", f) for f in REPORT_LIST_FILTERS),
    *(("exports:review_queue", "Chờ xem xét", f) for f in REVIEW_QUEUE_FILTERS),
    *(("exports:provincial", "Chi tiết", f) for f in PROVINCIAL_FILTERS),
]


@pytest.mark.parametrize(("url_name", "sheet", "query"), CASES)
def test_every_list_export_answers_a_workbook_for_every_filter(officer_client, facility, url_name, sheet, query):
    query = query.format(area=facility.area.code, code=facility.code)
    with time_machine.travel(TODAY, tick=False):
        response = officer_client.post(f"{reverse(url_name)}?{query}")
    assert response.status_code == 200
    workbook = response_workbook(response)
    subtitles = [cell.value for row in workbook[sheet].iter_rows(max_row=8, max_col=1) for cell in row]
    if not query.startswith(("sort=", "date=")):
        assert any(str(value or "").startswith("Bộ lọc: ") for value in subtitles), subtitles
    # Printed, the text is readable: 8 pt or more (A4, A3, or several pages wide repeating code and name).
    assert printed_pt(workbook[sheet]) >= 8


def test_the_status_filter_is_named_with_its_labels(officer_client, facility):
    with time_machine.travel(TODAY, tick=False):
        response = officer_client.post(f"{reverse('exports:facility_list')}?status=overdue&status=at_risk")
    assert response.status_code == 200
    sheet = response_workbook(response)["Danh sách cơ sở"]
    texts = [cell.value for row in sheet.iter_rows(max_row=8, max_col=1) for cell in row]
    overdue, at_risk = str(ComplianceStatus.OVERDUE.label), str(ComplianceStatus.AT_RISK.label)
    assert f"Bộ lọc: Tình trạng: {overdue}, {at_risk}" in texts
