"""The facility page: what the facility owes first, then status, progress, assessment, history; by role."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments.models import Answer, Criterion, Mandatory
from assessments.tests.factories import (
    AssessmentFactory,
    CatalogueFactory,
    CriterionFactory,
    CriterionGroupFactory,
)
from compliance.models import ComplianceStatus as S
from compliance.tests.factories import FacilityComplianceFactory
from core.models import Status
from dashboard.tests.province import local
from facilities.tests.factories import MembershipFactory
from reports.tests.factories import MonthlyReportFactory

# Session, user, facility with compliance, membership check, reports, assessments, criteria,
# answers, members, registry history (officers), and the session save (3 with its savepoint):
# at 2 and 36 months of reports. Pinned exactly at 10 and 300 facilities, per role.
# Two: the shared platforms the facility is on (scoring, and the platform block); two: the milestones and
# "is this user the head?"
DETAIL_QUERIES = 17
DETAIL_QUERIES_BY_ROLE = {"officer": DETAIL_QUERIES, "staff": DETAIL_QUERIES - 1}  # staff: no registry history


def url(facility):
    return reverse("facilities:detail", args=[facility.code])


def steps(body: str) -> list[str]:
    section = body[body.index('id="what-next"') : body.index("</section>")]
    return [re.sub(r"\s+", " ", s).strip() for s in re.findall(r'<div class="fw-semibold">(.*?)</div>', section)]


@pytest.fixture
def catalogue(db):
    """A catalogue of three yes/no criteria of equal weight: A1 and A2 mandatory, A3 recommended."""
    group = CriterionGroupFactory(catalogue=CatalogueFactory(), code="A")
    for code, mandatory in [("A1", Mandatory.REQUIRED), ("A2", Mandatory.REQUIRED), ("A3", Mandatory.RECOMMENDED)]:
        CriterionFactory(
            group=group, code=code, text=f"Tiêu chí {code}", text_en=f"Criterion {code}", mandatory=mandatory
        )
    return group.catalogue


def answer(assessment, **met):
    for code, value in met.items():
        criterion = Criterion.objects.get(group__catalogue=assessment.catalogue, code=code)
        Answer.objects.create(assessment=assessment, criterion=criterion, value_bool=value, met=value)


# ------------------------------------------------------------------ what the facility owes


def test_a_station_with_nothing_sent_sees_what_to_do_first(staff_client, facility, today):
    body = staff_client.get(url(facility)).content.decode()
    assert steps(body)[0] == "Chưa lập báo cáo tháng 10/2026"
    assert "hạn nộp 05/11/2026, đã trễ 20 ngày" in body
    assert f'href="{reverse("reports:create", args=[facility.code])}?month=2026-10">Lập báo cáo</a>' in body
    assert "Chưa có đánh giá mức độ sẵn sàng" in steps(body)
    assert f'href="{reverse("assessments:create", args=[facility.code])}">Bắt đầu đánh giá</a>' in body
    assert "Đã quá thời hạn 30/09/2026 56 ngày" in body


def test_before_the_due_day_the_days_left_are_shown(staff_client, staff, facility):
    import time_machine

    with time_machine.travel(local(2026, 11, 2, 9), tick=False):
        staff_client.force_login(staff)
        body = staff_client.get(url(facility)).content.decode()
    assert "hạn nộp 05/11/2026, còn 3 ngày" in body
    assert "Còn 333 ngày đến thời hạn" not in body and "Còn 332 ngày đến thời hạn 30/09/2027" not in body


def test_a_returned_report_comes_first_with_the_officers_comment(staff_client, facility, today):
    report = MonthlyReportFactory(
        bare=True,
        facility=facility,
        period=datetime.date(2026, 10, 1),
        status=Status.RETURNED,
        submitted_at=local(2026, 11, 3),
        review_comment="Số khoa triển khai không khớp với báo cáo tháng trước.",
    )
    body = staff_client.get(url(facility)).content.decode()
    assert steps(body)[0] == "Báo cáo tháng 10/2026 bị trả lại để chỉnh sửa"
    assert "Số khoa triển khai không khớp với báo cáo tháng trước.<br>hạn nộp 05/11/2026, đã trễ 20 ngày" in body
    assert f'href="{reverse("reports:edit", args=[report.pk])}">Sửa và gửi lại</a>' in body


def test_a_draft_report_links_to_its_form(staff_client, facility, today):
    report = MonthlyReportFactory(bare=True, facility=facility, period=datetime.date(2026, 10, 1), status=Status.DRAFT)
    body = staff_client.get(url(facility)).content.decode()
    assert steps(body)[0] == "Báo cáo tháng 10/2026 đang là bản nháp, chưa gửi"
    assert f'href="{reverse("reports:edit", args=[report.pk])}">Tiếp tục và gửi</a>' in body


def test_a_sent_report_shows_whether_it_was_on_time(staff_client, facility, today):
    MonthlyReportFactory(
        bare=True,
        facility=facility,
        period=datetime.date(2026, 10, 1),
        status=Status.SUBMITTED,
        submitted_at=local(2026, 11, 7),
    )
    body = staff_client.get(url(facility)).content.decode()
    assert "Báo cáo tháng 10/2026 đang chờ Sở Y tế xem xét" in steps(body)
    assert "gửi trễ hạn" in body


def test_earlier_months_without_a_report_are_listed(staff_client, facility, today):
    MonthlyReportFactory(
        bare=True,
        facility=facility,
        period=datetime.date(2026, 10, 1),
        status=Status.APPROVED,
        submitted_at=local(2026, 11, 2),
    )
    MonthlyReportFactory(
        bare=True,
        facility=facility,
        period=datetime.date(2026, 9, 1),
        status=Status.APPROVED,
        submitted_at=local(2026, 10, 2),
    )
    found = steps(staff_client.get(url(facility)).content.decode())
    assert "Báo cáo tháng 10/2026 đã được duyệt" in found
    assert "Chưa gửi báo cáo tháng 05/2026, 06/2026, 07/2026, 08/2026" in found
    body = staff_client.get(url(facility)).content.decode()
    assert f'href="{reverse("reports:create", args=[facility.code])}?month=2026-05">Bổ sung</a>' in body


def test_assessment_state_and_its_mandatory_gaps(staff_client, facility, catalogue, today):
    approved = AssessmentFactory(
        facility=facility,
        catalogue=catalogue,
        status=Status.APPROVED,
        reviewed_at=local(2026, 6, 1),
        budget_needed=800_000_000,
        budget_secured=200_000_000,
    )
    answer(approved, A1=True, A2=False, A3=False)
    draft = AssessmentFactory(facility=facility, catalogue=catalogue, status=Status.DRAFT)
    answer(draft, A1=True, A2=True, A3=False)
    body = staff_client.get(url(facility)).content.decode()
    assert "Bản đánh giá mức độ sẵn sàng đang là bản nháp, chưa gửi" in steps(body)
    assert "Đã đạt tất cả tiêu chí bắt buộc." in body  # the draft's own gaps
    assessment = body[body.index('id="assessment"') : body.index('id="submissions"')]
    assert "33/100" in assessment  # the approved one: 1 of 3 criteria met
    assert "thiếu tiêu chí bắt buộc" in assessment
    assert re.search(r"Quyết định tuân thủ</span> <strong>A2</strong> Tiêu chí A2", assessment)
    assert "800.000.000\u00a0₫" in assessment


def test_an_approved_assessment_lacking_mandatory_criteria_asks_for_a_new_one(staff_client, facility, catalogue, today):
    approved = AssessmentFactory(
        facility=facility, catalogue=catalogue, status=Status.APPROVED, reviewed_at=local(2026, 6, 1)
    )
    answer(approved, A1=True, A2=False)
    body = staff_client.get(url(facility)).content.decode()
    assert "Bản đánh giá đã duyệt vẫn còn thiếu tiêu chí bắt buộc" in steps(body)
    assert "Tiêu chí bắt buộc chưa đạt:<br>A2 – Tiêu chí A2" in body  # the code and what it asks for


def test_a_returned_assessment_comes_with_the_officers_comment(staff_client, facility, catalogue, today):
    returned = AssessmentFactory(
        facility=facility,
        catalogue=catalogue,
        status=Status.RETURNED,
        submitted_at=local(2026, 11, 10),
        reviewed_at=local(2026, 11, 12),
        review_comment="Thiếu minh chứng cho tiêu chí A2.",
    )
    body = staff_client.get(url(facility)).content.decode()
    assert steps(body)[0] == "Đánh giá mức độ sẵn sàng ngày 25/11/2026 bị trả lại để chỉnh sửa"
    assert "Thiếu minh chứng cho tiêu chí A2." in body
    assert f'href="{reverse("assessments:edit", args=[returned.pk])}">Sửa và gửi lại</a>' in body


# ------------------------------------------------------------------ status, progress, history


def test_status_with_its_reasons(staff_client, facility, today):
    FacilityComplianceFactory(
        facility=facility,
        status=S.AT_RISK,
        progress=0.3,
        reasons=[{"code": "months_missing", "months": ["2026-09", "2026-10"]}, {"code": "stage", "stage": 2}],
    )
    body = staff_client.get(url(facility)).content.decode()
    card = body[body.index('id="compliance"') :]
    assert "border-rag-amber" in body and '<span class="badge rag-amber">' in card
    assert "Tính lúc 25/11/2026 10:00" in card
    assert "30\u00a0%" in card
    assert "Chưa có báo cáo được duyệt tháng 09/2026, 10/2026" in card
    assert "Giai đoạn: Thí điểm" in card


def test_progress_chart_from_approved_reports_also_as_a_table(staff_client, facility, today):
    for month, live in [(8, 2), (9, 5)]:
        MonthlyReportFactory(
            bare=True,
            facility=facility,
            period=datetime.date(2026, month, 1),
            status=Status.APPROVED,
            departments_live=live,
            inpatient_records=200,
            inpatient_electronic=50 * (month - 7),
        )
    MonthlyReportFactory(bare=True, facility=facility, period=datetime.date(2026, 10, 1), status=Status.SUBMITTED)
    body = staff_client.get(url(facility)).content.decode()
    assert '<script id="progress-data" type="application/json">' in body
    table = body[body.index('id="progress-table"') :]
    assert "5 / 10" in table and "50\u00a0%" in table and "100 / 200" in table
    payload = staff_client.get(reverse("facilities:progress", args=[facility.code])).json()
    assert [(m["label"], m["departments"], m["inpatient"]) for m in payload["months"]] == [
        ("08/2026", 0.2, 0.25),
        ("09/2026", 0.5, 0.5),
    ]


def test_a_deployed_facility_shows_its_deployment_date_not_a_passed_deadline(staff_client, facility, today):
    FacilityComplianceFactory(
        facility=facility, status=S.DEPLOYED_ON_TIME, deployed=True, deployment_date=datetime.date(2026, 9, 15)
    )
    body = staff_client.get(url(facility)).content.decode()
    badge = re.search(r'<span class="badge ([^"]+)" id="deadline-days">(.*?)</span>', body, re.S)
    assert badge.group(1) == "text-bg-success"
    assert badge.group(2).strip() == "Triển khai ngày 15/09/2026"
    assert "Đã quá thời hạn" not in body


def test_submission_history_and_difficulties(staff_client, facility, today):
    MonthlyReportFactory(
        bare=True,
        facility=facility,
        period=datetime.date(2026, 9, 1),
        status=Status.APPROVED,
        submitted_at=local(2026, 10, 8),
        difficulties="Thiếu chữ ký số cho bác sĩ",
        support_requested="Hỗ trợ kinh phí mua chứng thư số",
        needs_escalation=True,
    )
    MonthlyReportFactory(
        bare=True, facility=facility, period=datetime.date(2026, 10, 1), status=Status.DRAFT, difficulties="nháp"
    )
    body = staff_client.get(url(facility)).content.decode()
    history = body[body.index('id="submissions"') : body.index('id="difficulties"')]
    assert '<div class="table-responsive history-scroll">' in history and "style=" not in history  # print
    assert "Báo cáo 09/2026" in history and "trễ hạn" in history and "08/10/2026" in history
    assert "Báo cáo 10/2026" in history
    difficulties = body[body.index('id="difficulties"') :]
    assert "Thiếu chữ ký số cho bác sĩ" in difficulties and "Hỗ trợ kinh phí mua chứng thư số" in difficulties
    assert "báo cáo UBND tỉnh" in difficulties
    assert "nháp" not in difficulties  # a draft is not reported yet


# ------------------------------------------------------------------ access by role


def test_other_facility_staff_get_404_for_the_page_and_its_json(staff_client, other_facility, today):
    MonthlyReportFactory(bare=True, facility=other_facility, status=Status.APPROVED, difficulties="bí mật")
    for name in ("facilities:detail", "facilities:progress"):
        response = staff_client.get(reverse(name, args=[other_facility.code]))
        assert response.status_code == 404
        assert "bí mật" not in response.content.decode()


def test_officers_see_what_the_facility_owes_without_acting_for_it(officer_client, facility, today):
    body = officer_client.get(url(facility)).content.decode()
    assert "Việc cơ sở còn phải làm" in body
    assert reverse("reports:create", args=[facility.code]) not in body
    assert reverse("facilities:edit", args=[facility.code]) in body  # the registry actions stay
    assert "Lịch sử thay đổi" in body


def test_facility_staff_do_not_see_the_registry_history(staff_client, facility, today):
    facility.name = "Trạm Y tế xã Tân Hồng (mới)"
    facility.save()
    body = staff_client.get(url(facility)).content.decode()
    assert "Lịch sử thay đổi" not in body and 'class="timeline' not in body


def test_a_facility_written_without_history_still_opens(officer_client, facility, today):
    """Rows loaded in bulk (the benchmark's, an old import) have no registry history."""
    facility.history.all().delete()
    assert officer_client.get(url(facility)).status_code == 200


def test_leadership_reads_the_page_without_any_action(client, leadership, facility, today):
    client.force_login(leadership)
    body = client.get(url(facility)).content.decode()
    assert reverse("reports:create", args=[facility.code]) not in body
    assert reverse("facilities:edit", args=[facility.code]) not in body
    assert client.get(reverse("facilities:progress", args=[facility.code])).status_code == 200


def test_a_head_also_acts_for_the_facility(client, head, facility, today):
    client.force_login(head)
    body = client.get(url(facility)).content.decode()
    assert f'href="{reverse("reports:create", args=[facility.code])}?month=2026-10"' in body


def test_english_renders(staff_client, facility, today):
    staff_client.cookies["django_language"] = "en"
    body = staff_client.get(url(facility)).content.decode()
    assert "What to do next" in body and "The monthly report for 10/2026 has not been started" in body


@pytest.mark.parametrize("months", [2, 36])
def test_facility_page_query_count_does_not_grow(
    client, officer, facility, catalogue, today, months, django_assert_max_num_queries
):
    from reports.models import month_start

    FacilityComplianceFactory(facility=facility, status=S.ON_TRACK)
    for back in range(1, months + 1):
        MonthlyReportFactory(
            bare=True, facility=facility, period=month_start(today, back), status=Status.APPROVED, difficulties="x"
        )
    for i in range(months // 2 + 1):
        answer(
            AssessmentFactory(
                facility=facility, catalogue=catalogue, status=Status.APPROVED, reviewed_at=local(2026, 1, 1 + i % 28)
            ),
            A1=True,
        )
    for _ in range(months):
        MembershipFactory(facility=facility)
    client.force_login(officer)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(url(facility)).status_code == 200


@pytest.mark.parametrize("size", [10, 300])
@pytest.mark.parametrize("role", ["officer", "staff"])
def test_facility_page_query_count_is_the_same_at_any_province_size(
    client, officer, today, size, role, django_assert_num_queries
):
    from dashboard.tests.province import build_province

    facility = build_province(size)[1]  # an approved assessment, three months of reports
    user = officer
    if role == "staff":
        user = MembershipFactory(facility=facility).user
    client.force_login(user)
    with django_assert_num_queries(DETAIL_QUERIES_BY_ROLE[role]):
        assert client.get(url(facility)).status_code == 200
