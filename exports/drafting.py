"""What the portal drafts for the official report: numbers from the dashboard's selectors, and words around them.

`draft_report()` returns an `official.OfficialReport` whose numbers are the dashboard's for the
same date and facilities (type totals from `progress_by_type`, the facilities that missed the
deadline from the same stored compliance), and whose narrative (legal basis, assessment,
proposals, recipients) is a first draft the officer edits before issuing.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import F, QuerySet

from compliance.models import ComplianceStatus, PaperlessStatus
from compliance.selectors import with_compliance
from dashboard import selectors as dashboard
from escalations.models import EscalationItem
from facilities.models import FacilityType

from . import official
from .lists import reasons_text, status_label

# Missed the province's deadline: not deployed by then (overdue), or deployed after it.
MISSED = [ComplianceStatus.OVERDUE, ComplianceStatus.DEPLOYED_LATE]

TT13 = (
    "Thực hiện Thông tư số 13/2025/TT-BYT ngày 06/06/2025 của Bộ trưởng Bộ Y tế hướng dẫn triển khai "
    "hồ sơ bệnh án điện tử;"
)
NATIONAL_PLANS = (
    "Thực hiện các kế hoạch của Bộ Y tế về triển khai hồ sơ bệnh án điện tử (Quyết định số 586/QĐ-BYT "
    "ngày 09/03/2026 về kế hoạch năm 2026 và Quyết định số 965/QĐ-BYT ngày 10/04/2026 về kế hoạch giai "
    "đoạn 2026 - 2030);"
)
RECIPIENTS = [
    "UBND tỉnh (để báo cáo)",
    "Bộ Y tế (để báo cáo)",
    "Giám đốc, các Phó Giám đốc Sở",
    "Các cơ sở khám bệnh, chữa bệnh trên địa bàn tỉnh",
    "Lưu: VT, NVY",
]
HOSPITAL_LATE = "Triển khai sau thời hạn của Thông tư số 13/2025/TT-BYT"
DIRECTOR = "GIÁM ĐỐC"
DEPUTY = "PHÓ GIÁM ĐỐC"


def legal_basis() -> list[str]:
    """The provincial dispatch (PROVINCIAL_DISPATCH), TT 13/2025 and the national plans, one per line."""
    return [f"Thực hiện {settings.PROVINCIAL_DISPATCH};", TT13, NATIONAL_PLANS]


def signer(*, deputy: bool, name: str) -> official.Signer:
    """The Director signs as GIÁM ĐỐC; a Deputy signs on the Director's behalf (KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC)."""
    if deputy:
        return official.Signer(authority=f"KT. {DIRECTOR}", title=DEPUTY, name=name)
    return official.Signer(authority=DIRECTOR, title="", name=name)


def type_rows(as_of: datetime.date, facilities: QuerySet) -> list[official.TypeRow]:
    """The dashboard's progress_by_type(), as the report's table rows (no data includes never computed)."""
    return [
        official.TypeRow(
            name=row.name,
            total=row.facilities,
            deployed=row.complete,
            deployed_late=row.counts[ComplianceStatus.DEPLOYED_LATE],
            overdue=row.counts[ComplianceStatus.OVERDUE],
            at_risk=row.counts[ComplianceStatus.AT_RISK],
            no_data=row.counts[ComplianceStatus.NO_DATA] + row.facilities - row.computed,
            paperless=row.paperless[PaperlessStatus.PAPERLESS_ON_TIME] + row.paperless[PaperlessStatus.PAPERLESS_LATE],
            paperless_late=row.paperless[PaperlessStatus.PAPERLESS_LATE],
            paper_in_use=row.paperless[PaperlessStatus.PAPER_IN_USE],
            not_due=row.paperless[PaperlessStatus.NOT_DUE],
        )
        for row in dashboard.progress_by_type(as_of, facilities)
    ]


def total_row(rows: list[official.TypeRow]) -> official.TypeRow:
    fields = ("total", "deployed", "deployed_late", "overdue", "at_risk", "no_data")
    fields += ("paperless", "paperless_late", "paper_in_use", "not_due")
    return official.TypeRow("Tổng cộng", *(sum(getattr(r, f) for r in rows) for f in fields))


def _line(facility, reasons: str | None = None, status: str | None = None) -> official.FacilityLine:
    return official.FacilityLine(
        code=facility.code,
        name=facility.name,
        type_name=facility.type.name,
        status=status_label(facility.status) if status is None else status,
        reasons=reasons_text(facility.reasons) if reasons is None else reasons,
    )


def missed_deadline(as_of: datetime.date, facilities: QuerySet) -> list[official.FacilityLine]:
    """Facilities that missed the province's deadline (overdue first, then deployed late; by code), with reasons."""
    rows = with_compliance(facilities.select_related("type"), as_of).filter(status__in=MISSED)
    return [_line(f) for f in rows.order_by("severity", "code")]


def hospitals_after_legal_deadline(
    as_of: datetime.date, facilities: QuerySet
) -> tuple[list[official.FacilityLine], list[official.FacilityLine]]:
    """Hospitals deployed after their type's legal deadline (TT 13/2025 Đ4 k2 a), and those still not deployed past it.

    A hospital type without a legal deadline set is left out: the portal does not guess the date.
    """
    rows = with_compliance(
        facilities.select_related("type").filter(type__is_hospital=True, type__legal_deadline__isnull=False), as_of
    ).order_by("code")
    late = rows.filter(deployed=True, deployment_date__gt=F("type__legal_deadline"))
    not_yet = rows.filter(type__legal_deadline__lt=as_of).exclude(deployed=True)
    deployed = [_line(f, f"Triển khai ngày {official.vn_date(f.deployment_date)}", status=HOSPITAL_LATE) for f in late]
    return deployed, [_line(f) for f in not_yet]


def hospital_legal_deadline() -> datetime.date | None:
    return (
        FacilityType.objects.filter(is_hospital=True, legal_deadline__isnull=False)
        .order_by("legal_deadline")
        .values_list("legal_deadline", flat=True)
        .first()
    )


@dataclasses.dataclass
class Previous:
    """The last issued report the draft compares with."""

    number: str  # "05/BC-SYT"
    issued_on: datetime.date
    deployed: int


def change_since(previous: Previous | None, deployed: int) -> str:
    """ "tăng 12 cơ sở so với Báo cáo số 05/BC-SYT ngày 05/10/2026" (or giảm, or không thay đổi); "" without one."""
    if previous is None:
        return ""
    difference = deployed - previous.deployed
    reference = f"so với Báo cáo số {previous.number} ngày {official.vn_date(previous.issued_on)}"
    if difference > 0:
        return f"tăng {difference} cơ sở {reference}"
    if difference < 0:
        return f"giảm {-difference} cơ sở {reference}"
    return f"không thay đổi {reference}"


def proposals_since(facilities: QuerySet, since: datetime.datetime | None) -> list[official.Proposal]:
    """The register's items proposed to the People's Committee since the last issued report (`since`), oldest
    first: those of the facilities in scope, and those partner agencies raised (they belong to no facility)."""
    items = EscalationItem.objects.concerning(facilities)
    return [
        official.Proposal(source=item.source, difficulty=item.difficulty, proposal=item.proposal)
        for item in items.proposed_since(since).select_related("facility", "agency")
    ]


def draft_assessment(report: official.OfficialReport) -> str:
    """A first assessment from the numbers; the officer rewrites it in the DoH's own words."""
    t = report.total
    lines = [
        f"Đến ngày {official.vn_date(report.as_of)}, {t.deployed}/{t.total} cơ sở khám bệnh, chữa bệnh "
        f"({official.vn_percent(t.deployed_share)}) đã triển khai hồ sơ bệnh án điện tử"
        + (f", {report.change}." if report.change else "."),
    ]
    if t.missed or t.at_risk:
        lines.append(
            f"Còn {t.missed} cơ sở không hoàn thành trước thời hạn của tỉnh ({official.vn_date(report.deadline)}) "
            f"và {t.at_risk} cơ sở có nguy cơ chậm tiến độ; nguyên nhân chủ yếu được nêu tại mục I.3 và Phụ lục."
        )
    if t.no_data:
        lines.append(f"Có {t.no_data} cơ sở chưa có số liệu báo cáo để đánh giá tiến độ.")
    return "\n".join(lines)


def draft_recommendations(report: official.OfficialReport) -> str:
    lines = []
    if report.total.missed or report.total.at_risk:
        lines.append(
            "Đề nghị Ủy ban nhân dân tỉnh chỉ đạo người đứng đầu các cơ sở chưa hoàn thành khẩn trương triển "
            "khai hồ sơ bệnh án điện tử, chịu trách nhiệm trước Ủy ban nhân dân tỉnh về tiến độ của đơn vị."
        )
    if report.proposals:
        lines.append("Đề nghị Ủy ban nhân dân tỉnh xem xét, chỉ đạo giải quyết các nội dung nêu tại mục III.")
    return "\n".join(lines) or "Sở Y tế tiếp tục theo dõi, đôn đốc các cơ sở và báo cáo Ủy ban nhân dân tỉnh."


def draft_report(
    as_of: datetime.date,
    facilities: QuerySet,
    *,
    scope: str = "",
    previous: Previous | None = None,
    proposals: list[official.Proposal] | None = None,
) -> official.OfficialReport:
    """The report as the portal drafts it: the dashboard's numbers, the default words, no number or date yet."""
    rows = type_rows(as_of, facilities)
    total = total_row(rows)
    late, not_yet = hospitals_after_legal_deadline(as_of, facilities)
    report = official.OfficialReport(
        as_of=as_of,
        province=settings.PROVINCE_NAME,
        superior_body=settings.ISSUING_BODY,
        issuing_body=settings.ISSUING_UNIT,
        symbol=settings.REPORT_SYMBOL,
        number="",
        issued_on=None,
        deadline=settings.EMR_DEADLINE,
        paperless_from=settings.PAPERLESS_FROM,
        scope=scope,
        legal_basis=legal_basis(),
        types=rows,
        total=total,
        missed=missed_deadline(as_of, facilities),
        hospitals_late=late,
        hospitals_overdue=not_yet,
        hospital_legal_deadline=hospital_legal_deadline(),
        proposals=list(proposals or []),
        assessment="",
        recommendations="",
        change=change_since(previous, total.deployed),
        recipients=list(RECIPIENTS),
        signer=signer(deputy=True, name=settings.REPORT_SIGNER_NAME),
    )
    report.assessment = draft_assessment(report)
    report.recommendations = draft_recommendations(report)
    return report
