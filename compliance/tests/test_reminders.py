"""Reminders and the weekly digest: the right people, in Vietnamese, once, and only on their days."""

import datetime
import socket
import threading

import pytest
import time_machine
from django.core import mail

from accounts.tests.factories import UserFactory
from assessments.tests.factories import AssessmentFactory
from compliance import reminders, tasks
from compliance.models import ReminderKind, ReminderLog
from core.models import Status
from core.tests.dates import local_noon, month
from facilities.models import MemberRole
from facilities.tests.factories import FacilityFactory, MembershipFactory
from reports.tests.factories import MonthlyReportFactory

D = datetime.date
OCTOBER = month("2026-10")


def member(facility, *, role=MemberRole.STAFF, **user):
    person = UserFactory(**user)
    MembershipFactory(user=person, facility=facility, role=role)
    return person


@pytest.fixture
def province(db):
    """Who should be reminded about October 2026 (due 05/11/2026), and who should not."""
    silent = FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng")
    drafted = FacilityFactory(code="82222", name="Trạm Y tế xã Tân Thành")
    returned = FacilityFactory(code="82223", name="Trạm Y tế xã An Phước")
    submitted = FacilityFactory(code="82224", name="Trạm Y tế xã Thông Bình")
    approved = FacilityFactory(code="82225", name="Trạm Y tế xã Long Khánh")
    closed = FacilityFactory(code="82226", name="Trạm Y tế xã Đã Giải Thể", is_active=False)
    MonthlyReportFactory(counted=True, facility=drafted, period=OCTOBER, status=Status.DRAFT)
    MonthlyReportFactory(counted=True, facility=returned, period=OCTOBER, status=Status.RETURNED)
    MonthlyReportFactory(counted=True, facility=submitted, period=OCTOBER, status=Status.SUBMITTED)
    MonthlyReportFactory(counted=True, facility=approved, period=OCTOBER)
    MonthlyReportFactory(counted=True, facility=silent, period=month("2026-09"))  # last month's is not October's
    cast = {
        "lan": member(silent, username="tyt.tanhong", first_name="Võ Thị Ngọc", last_name="Lan"),
        "phuc": member(silent, role=MemberRole.HEAD, username="tyt.tanhong.truong"),
        "both": member(drafted, username="two.stations"),
        "returned": member(returned, username="tyt.anphuoc"),
    }
    MembershipFactory(user=cast["both"], facility=silent)
    member(submitted, username="tyt.thongbinh")
    member(approved, username="tyt.longkhanh")
    member(closed, username="tyt.giaithe")
    member(silent, username="no.address", email="")
    member(silent, username="left.the.job", is_active=False)
    UserFactory(officer=True, username="canbo")
    return cast


def recipients() -> dict[str, list[str]]:
    return {message.to[0]: message for message in mail.outbox}


@pytest.mark.parametrize(
    ("today", "kind"), [(D(2026, 11, 1), ReminderKind.REPORT_DUE), (D(2026, 11, 4), ReminderKind.REPORT_DUE_TOMORROW)]
)
def test_members_of_facilities_without_a_submitted_report_are_reminded(province, today, kind):
    with time_machine.travel(local_noon(today), tick=False):
        assert tasks.send_report_reminders() == 4
    sent = recipients()
    assert set(sent) == {
        "tyt.tanhong@example.vn",  # staff and head of a station without a report
        "tyt.tanhong.truong@example.vn",
        "two.stations@example.vn",  # a draft does not count
        "tyt.anphuoc@example.vn",  # nor does a returned report
    }
    assert set(ReminderLog.objects.values_list("kind", "period")) == {(kind, OCTOBER)}
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 0


def test_a_member_of_two_facilities_gets_one_email_listing_both(province):
    with time_machine.travel(local_noon(D(2026, 11, 1)), tick=False):
        tasks.send_report_reminders()
    message = recipients()["two.stations@example.vn"]
    assert "82221 – Trạm Y tế xã Tân Hồng" in message.body
    assert "82222 – Trạm Y tế xã Tân Thành" in message.body


def test_the_reminder_is_in_vietnamese_text_and_html_with_links_to_the_portal(province, settings):
    settings.SITE_URL = "https://emr.soyte.dongthap.gov.vn"
    with time_machine.travel(local_noon(D(2026, 11, 4)), tick=False):
        tasks.send_report_reminders()
    message = recipients()["tyt.tanhong@example.vn"]
    assert message.subject == "Hạn nộp ngày mai: báo cáo tiến độ HSBA điện tử tháng 10/2026"
    assert message.body.startswith("Kính gửi Võ Thị Ngọc Lan,")
    assert "hạn nộp vào ngày mai, 05/11/2026" in message.body
    assert "https://emr.soyte.dongthap.gov.vn/reports/new/82221/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://emr.soyte.dongthap.gov.vn/reports/new/82221/">82221 – Trạm Y tế xã Tân Hồng</a>' in html
    assert "<strong>05/11/2026</strong>" in html


def test_the_first_of_the_month_reminder_says_when_it_is_due(province):
    with time_machine.travel(local_noon(D(2026, 11, 1)), tick=False):
        tasks.send_report_reminders()
    message = recipients()["tyt.tanhong@example.vn"]
    assert message.subject == "Nhắc nhở: báo cáo tiến độ HSBA điện tử tháng 10/2026"
    assert "hạn nộp ngày 05/11/2026" in message.body


def test_running_the_reminder_twice_sends_each_email_once(province):
    with time_machine.travel(local_noon(D(2026, 11, 1)), tick=False):
        assert tasks.send_report_reminders() == 4
        assert tasks.send_report_reminders() == 0
    assert len(mail.outbox) == 4
    with time_machine.travel(local_noon(D(2026, 11, 4)), tick=False):
        assert tasks.send_report_reminders() == 4  # the day-before reminder is another reminder
    assert len(mail.outbox) == 8


@pytest.mark.parametrize("day", [2, 3, 5, 6, 15, 30])
def test_no_reminder_on_other_days(province, day):
    with time_machine.travel(local_noon(D(2026, 11, day)), tick=False):
        assert tasks.send_report_reminders() == 0
    assert mail.outbox == [] and not ReminderLog.objects.exists()


@pytest.mark.parametrize(
    ("due_day", "today", "expected"),
    [
        (5, D(2026, 1, 1), (ReminderKind.REPORT_DUE, D(2025, 12, 1))),
        (5, D(2026, 1, 4), (ReminderKind.REPORT_DUE_TOMORROW, D(2025, 12, 1))),
        (10, D(2026, 3, 9), (ReminderKind.REPORT_DUE_TOMORROW, D(2026, 2, 1))),
        (10, D(2026, 3, 4), None),
        (2, D(2026, 3, 1), (ReminderKind.REPORT_DUE_TOMORROW, D(2026, 2, 1))),  # one e-mail, not two
        (1, D(2026, 2, 28), (ReminderKind.REPORT_DUE_TOMORROW, D(2026, 2, 1))),
    ],
)
def test_reminder_days_follow_the_due_day(settings, due_day, today, expected):
    settings.REPORT_DUE_DAY = due_day
    assert reminders.report_reminder_due(today) == expected


def test_a_mail_server_that_is_down_releases_the_claims_so_a_retry_sends(province, settings):
    with socket.socket() as sock:  # a closed port: the real SMTP backend is refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    with time_machine.travel(local_noon(D(2026, 11, 1)), tick=False):
        with pytest.raises(OSError):
            tasks.send_report_reminders()
        assert not ReminderLog.objects.exists()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert tasks.send_report_reminders() == 4


def test_reminder_tasks_retry_database_and_mail_errors():
    for task in (tasks.send_report_reminders, tasks.send_weekly_digest):
        assert set(task.autoretry_for) >= {OSError} and task.max_retries == 5
        assert 0 < task.soft_time_limit < task.time_limit


@pytest.mark.postgres
def test_two_runs_at_once_still_send_each_reminder_once(committed_db, settings):
    """Two workers run the task at the same moment: the unique claim lets only one of them send."""
    facility = FacilityFactory()
    for n in range(12):
        member(facility, username=f"nguoi{n}")
    barrier = threading.Barrier(2)
    counts = []

    def run():
        from django.db import connection

        barrier.wait()
        try:
            counts.append(reminders.send_report_reminders(today=D(2026, 11, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 12
    assert sorted(message.to[0] for message in mail.outbox) == sorted(f"nguoi{n}@example.vn" for n in range(12))


# The weekly digest.


@pytest.fixture
def week(province, compute):
    """Compliance computed on Monday 23/11/2026, and items awaiting review."""
    behind = FacilityFactory(code="82301", name="Trạm Y tế xã Mỹ Quí", deadline=D(2027, 3, 31))
    AssessmentFactory(approved=True, facility=behind, mandatory_met=False)
    MonthlyReportFactory(counted=True, facility=behind, period=month("2026-10"), departments_live=2)
    MonthlyReportFactory(counted=True, facility=behind, period=month("2026-09"), departments_live=3)
    AssessmentFactory(
        approved=True, facility=province["lan"].memberships.first().facility, status=Status.SUBMITTED, reviewed_at=None
    )
    compute(D(2026, 11, 23))
    return behind


def test_the_weekly_digest_goes_to_doh_officers_only(week):
    UserFactory(officer=True, username="canbo2")
    UserFactory(officer=True, username="canbo.nghi", is_active=False)
    UserFactory(officer=True, username="canbo.khongmail", email="")
    UserFactory(leadership=True, username="lanhdao")
    with time_machine.travel(local_noon(D(2026, 11, 23)), tick=False):
        assert tasks.send_weekly_digest() == 2
    assert sorted(recipients()) == ["canbo2@example.vn", "canbo@example.vn"]


def test_the_digest_lists_facilities_behind_with_reasons_and_items_awaiting_review(week, settings):
    settings.SITE_URL = "https://emr.soyte.dongthap.gov.vn/"
    with time_machine.travel(local_noon(D(2026, 11, 23)), tick=False):
        tasks.send_weekly_digest()
    message = recipients()["canbo@example.vn"]
    assert message.subject == "Tuần 23/11/2026: 6 cơ sở chậm tiến độ, 2 hồ sơ chờ xem xét"
    body = message.body
    assert "Cơ sở chậm tiến độ: 5 quá hạn, 1 có nguy cơ chậm." in body
    assert "Không đạt hạn của tỉnh: 5. Còn dùng bệnh án giấy: 6." in body
    assert "82301 – Trạm Y tế xã Mỹ Quí: Có nguy cơ chậm (Chưa có quyết định" in body
    assert "Tiến độ đứng yên hoặc giảm" in body
    assert "https://emr.soyte.dongthap.gov.vn/facilities/82301/" in body
    assert (
        "82221 – Trạm Y tế xã Tân Hồng: Quá hạn (Chưa có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy;" in body
    )
    assert "Khoa triển khai HSBA điện tử: 5/10" in body
    assert "Đã quá thời hạn" not in body
    assert "Chờ xem xét: 1 báo cáo tháng, 1 bản đánh giá mức độ sẵn sàng." in body
    assert "Báo cáo tháng 10/2026: 82224 – Trạm Y tế xã Thông Bình" in body
    assert "https://emr.soyte.dongthap.gov.vn/reports/review/" in body
    html = message.alternatives[0][0]
    assert '<a href="https://emr.soyte.dongthap.gov.vn/facilities/82301/">82301 – Trạm Y tế xã Mỹ Quí</a>' in html


def test_the_digest_is_sent_once_a_week(week):
    with time_machine.travel(local_noon(D(2026, 11, 23)), tick=False):
        assert tasks.send_weekly_digest() == 1
        assert tasks.send_weekly_digest() == 0
    with time_machine.travel(local_noon(D(2026, 11, 25)), tick=False):
        assert tasks.send_weekly_digest() == 0  # a rerun later in the same week
    with time_machine.travel(local_noon(D(2026, 11, 30)), tick=False):
        assert tasks.send_weekly_digest() == 1
    assert list(ReminderLog.objects.order_by("period").values_list("period", flat=True)) == [
        D(2026, 11, 23),
        D(2026, 11, 30),
    ]


def test_the_digest_reads_a_bounded_number_of_queries(week, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        digest = reminders.weekly_digest(today=D(2026, 11, 23))
    assert (digest.overdue_count, digest.at_risk_count, digest.reports_count, digest.assessments_count) == (5, 1, 1, 1)


def test_the_reminder_schedules_are_beat_entries(db):
    from django_celery_beat.models import PeriodicTask

    daily = PeriodicTask.objects.get(task="compliance.tasks.send_report_reminders")
    weekly = PeriodicTask.objects.get(task="compliance.tasks.send_weekly_digest")
    assert (daily.crontab.hour, daily.crontab.day_of_week) == ("7", "*")
    assert (weekly.crontab.hour, weekly.crontab.minute, weekly.crontab.day_of_week) == ("7", "30", "1")
    assert str(weekly.crontab.timezone) == "Asia/Ho_Chi_Minh"
