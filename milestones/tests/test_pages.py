"""Milestones where they show: the facility page's timeline, the head's waiting list, the review queue."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from assessments.tests.factories import AssessmentFactory
from core.models import Status
from milestones.models import MilestoneKind
from milestones.tests.factories import MilestoneFactory
from reports.tests.factories import MonthlyReportFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def slot(response, kind):
    return next(s for s in response.context["milestones"] if s.kind == kind)


def test_the_facility_page_shows_the_four_milestones_in_their_order(staff_client, facility, officer):
    verified = MilestoneFactory(facility=facility, verified=True, reviewed_by=officer)
    MilestoneFactory(
        facility=facility, paper_stopped=True, submitted=True, head_confirmed=False, attested_by_name="Đặng Hữu Phúc"
    )
    response = staff_client.get(facility.get_absolute_url())
    assert [s.kind for s in response.context["milestones"]] == list(MilestoneKind.values)
    assert slot(response, MilestoneKind.DECISION).milestone == verified
    assert slot(response, MilestoneKind.ANNOUNCED).milestone is None
    body = response.content.decode()
    assert "Đã có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy" in body
    assert "Đã ngừng sử dụng bệnh án giấy" in body
    assert f"Sở Y tế xác nhận: {officer.display_name}, 05/10/2026" in body
    assert "chưa có xác nhận của người đứng đầu" in body
    assert reverse("milestones:create", args=[facility.code, MilestoneKind.ANNOUNCED]) in body


def test_officers_see_the_timeline_without_the_record_buttons(officer_client, facility):
    response = officer_client.get(facility.get_absolute_url())
    assert all(s.create_url == "" for s in response.context["milestones"])


def test_the_head_sees_the_drafts_waiting_for_their_confirmation(client, facility, head, staff):
    MilestoneFactory(facility=facility, created_by=staff)
    MonthlyReportFactory(facility=facility, created_by=staff)
    AssessmentFactory(facility=facility, created_by=staff)
    august = datetime.date(2026, 8, 1)
    MonthlyReportFactory(facility=facility, period=august, submitted=True)  # already sent: not waiting
    client.force_login(head)
    response = client.get(facility.get_absolute_url())
    titles = [item.title for item in response.context["waiting_for_head"]]
    assert sorted(titles) == sorted(
        [
            "Đã có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy",
            "Báo cáo tháng 09/2026",
            "Đánh giá mức độ sẵn sàng",
        ]
    )
    body = response.content.decode()
    assert "Chờ anh/chị xác nhận" in body and f"do {staff.display_name} chuẩn bị" in body


def test_staff_do_not_get_the_heads_waiting_list(staff_client, facility):
    MilestoneFactory(facility=facility)
    response = staff_client.get(facility.get_absolute_url())
    assert response.context["waiting_for_head"] == []
    assert "Chờ anh/chị xác nhận" not in response.content.decode()


def test_the_review_queue_lists_submitted_milestones_and_filters_them(officer_client, facility):
    milestone = MilestoneFactory(facility=facility, submitted=True)
    MonthlyReportFactory(facility=facility, submitted=True)
    MilestoneFactory(facility=facility, announced=True)  # a draft: not in the queue
    response = officer_client.get(reverse("reports:review_queue"))
    assert response.context["page"].paginator.count == 2
    response = officer_client.get(reverse("reports:review_queue"), {"kind": "milestone"})
    (item,) = list(response.context["page"])
    assert item.url == milestone.get_absolute_url()
    assert item.kind_label == "Mốc triển khai: Đã có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy (29/09/2026)"
    assert response.context["page"].paginator.count == 1


def test_the_review_queue_export_has_the_milestone(officer_client, facility):
    MilestoneFactory(facility=facility, submitted=True)
    response = officer_client.post(reverse("exports:review_queue") + "?kind=milestone")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Chờ xem xét"]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert "Mốc triển khai: Đã có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy (29/09/2026)" in values
    assert "Bộ lọc: Loại hồ sơ: Mốc triển khai" in values


def test_a_verified_milestone_leaves_the_queue(officer_client, facility):
    milestone = MilestoneFactory(facility=facility, submitted=True)
    officer_client.post(reverse("milestones:verify", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.status == Status.APPROVED
    assert officer_client.get(reverse("reports:review_queue")).context["page"].paginator.count == 0
