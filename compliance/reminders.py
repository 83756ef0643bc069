"""Reminders (SPEC section 7): monthly report reminders to facility members and the officers' weekly digest.

Each e-mail is claimed in ReminderLog before it is sent: an insert that only one run can make
for a (kind, period, recipient), the way healthchecks claims one row before notifying. So a
task that runs twice, or twice at once, sends each reminder once. A send that fails releases
its claim and raises, and the task's retry sends what is still unsent.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Role
from assessments.models import Assessment
from core.models import Status
from facilities.models import Facility, Membership
from reports.models import MonthlyReport, add_months, due_date, month_start

from .emails import make_message
from .models import (
    BEHIND,
    MISSED_DEADLINE,
    ComplianceStatus,
    FacilityCompliance,
    PaperlessStatus,
    ReminderKind,
    ReminderLog,
)

logger = logging.getLogger(__name__)
User = get_user_model()
DIGEST_LIST_LIMIT = 50  # facilities or items listed per section; the rest are counted and linked


def _claim(kind: str, period: datetime.date, user) -> ReminderLog | None:
    """Insert the log row, or return None if this reminder was already claimed by another run."""
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(kind=kind, period=period, recipient=user, email=user.email)
    except IntegrityError:
        return None


def _send_once(message, *, kind: str, period: datetime.date, user, connection) -> bool:
    """Claim, then send; True when this run sent it. A failed send releases the claim and raises."""
    log = _claim(kind, period, user)
    if log is None:
        return False
    try:
        connection.send_messages([message])
    except Exception:
        log.delete()
        raise
    ReminderLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
    return True


def report_reminder_due(today: datetime.date) -> tuple[str, datetime.date] | None:
    """(kind, reported month) when `today` is a reminder day, else None.

    On the 1st, for last month; on the day before the due day, for the month whose report is
    then due (with the default due day 5, the 4th, for last month).
    """
    this_month = month_start(today)
    for period in (add_months(this_month, -1), this_month):
        if today == due_date(period) - datetime.timedelta(days=1):
            return ReminderKind.REPORT_DUE_TOMORROW, period
    if today.day == 1:
        return ReminderKind.REPORT_DUE, add_months(this_month, -1)
    return None


def facilities_without_report(period: datetime.date):
    """Active facilities with no submitted or approved report for the month (drafts and returned ones count as none)."""
    handed_in = MonthlyReport.objects.sent().filter(period=period)
    return Facility.objects.active().exclude(pk__in=handed_in.values("facility_id"))


def send_report_reminders(*, today: datetime.date) -> int:
    """On reminder days, e-mail each member of a facility without a report for the month; returns e-mails sent."""
    due = report_reminder_due(today)
    if due is None:
        return 0
    kind, period = due
    memberships = (
        Membership.objects.filter(facility__in=facilities_without_report(period), user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "facility")
        .order_by("user_id", "facility__code")
    )
    facilities_of = defaultdict(list)
    users = {}
    for membership in memberships:
        users[membership.user_id] = membership.user
        facilities_of[membership.user_id].append(membership.facility)
    sent = 0
    connection = get_connection()  # opened by the first send, so a mail server that is down fails after a claim
    try:
        for user_id, user in users.items():
            ctx = {
                "user": user,
                "facilities": facilities_of[user_id],
                "period": period,
                "due": due_date(period),
                "tomorrow": kind == ReminderKind.REPORT_DUE_TOMORROW,
            }
            message = make_message("report-reminder", ctx, to=[user.email])
            sent += _send_once(message, kind=kind, period=period, user=user, connection=connection)
    finally:
        connection.close()
    logger.info("Report reminders for %s (%s): %s sent", f"{period:%m/%Y}", kind, sent)
    return sent


@dataclass
class Digest:
    week: datetime.date
    behind: list  # FacilityCompliance rows, at risk and overdue, up to DIGEST_LIST_LIMIT
    behind_count: int
    at_risk_count: int
    overdue_count: int
    missed_deadline_count: int  # overdue + deployed late: missed the province deadline
    paper_in_use_count: int  # the second obligation: paper records still in use after the paperless date
    reports: list  # submitted monthly reports, oldest first, up to DIGEST_LIST_LIMIT
    reports_count: int
    assessments: list
    assessments_count: int


def weekly_digest(*, today: datetime.date) -> Digest:
    """What the officers' digest shows: a bounded number of queries and rows whatever the province's size."""
    active = FacilityCompliance.objects.filter(facility__is_active=True)
    behind = active.filter(status__in=BEHIND)
    counts = active.aggregate(
        at_risk=Count("pk", filter=Q(status=ComplianceStatus.AT_RISK)),
        overdue=Count("pk", filter=Q(status=ComplianceStatus.OVERDUE)),
        missed=Count("pk", filter=Q(status__in=MISSED_DEADLINE)),
        paper_in_use=Count("pk", filter=Q(paperless_status=PaperlessStatus.PAPER_IN_USE)),
    )
    submitted = Q(status=Status.SUBMITTED)
    reports = MonthlyReport.objects.filter(submitted).select_related("facility").order_by("submitted_at", "pk")
    assessments = Assessment.objects.filter(submitted).select_related("facility").order_by("submitted_at", "pk")
    return Digest(
        week=today - datetime.timedelta(days=today.weekday()),
        # Overdue first, then at risk; within each, the fewest days to the deadline first.
        behind=list(
            behind.select_related("facility").order_by("-status", "days_to_deadline", "facility__code")[
                :DIGEST_LIST_LIMIT
            ]
        ),
        behind_count=counts["at_risk"] + counts["overdue"],
        at_risk_count=counts["at_risk"],
        overdue_count=counts["overdue"],
        missed_deadline_count=counts["missed"],
        paper_in_use_count=counts["paper_in_use"],
        reports=list(reports[:DIGEST_LIST_LIMIT]),
        reports_count=reports.count(),
        assessments=list(assessments[:DIGEST_LIST_LIMIT]),
        assessments_count=assessments.count(),
    )


def digest_recipients():
    """DoH officers (role officer, active, with an e-mail address); administrators and leadership are not sent it."""
    return User.objects.filter(role=Role.OFFICER, is_active=True).exclude(email="").order_by("pk")


def send_weekly_digest(*, today: datetime.date) -> int:
    """Send this week's digest to every DoH officer who has not had it yet; returns e-mails sent."""
    digest = weekly_digest(today=today)
    sent = 0
    connection = get_connection()
    try:
        for user in digest_recipients():
            ctx = {"user": user, "digest": digest, "today": today}
            message = make_message("weekly-digest", ctx, to=[user.email])
            sent += _send_once(
                message, kind=ReminderKind.WEEKLY_DIGEST, period=digest.week, user=user, connection=connection
            )
    finally:
        connection.close()
    logger.info("Weekly digest of %s: %s sent", f"{digest.week:%d/%m/%Y}", sent)
    return sent
