"""The demo's escalation register: the partner agencies of the dispatch, two agency accounts, and the
difficulties of the demo's approved reports at every step (awaiting triage, handled with an agency,
proposed to UBND, directed by UBND). Idempotent: a second run adds nothing."""

import datetime

from django.utils import timezone

from accounts.models import Role, User
from core.models import Status
from escalations import services
from escalations.models import EscalationItem
from facilities.models import Agency, AgencyKind, AgencyMembership, Facility
from reports.models import MonthlyReport

from .facilities import DEMO_PASSWORD

AGENCIES = [
    ("bhxh", "Bảo hiểm xã hội tỉnh Đồng Tháp", AgencyKind.SOCIAL_INSURANCE),
    ("cong-an", "Công an tỉnh Đồng Tháp", AgencyKind.POLICE),
    ("so-khcn", "Sở Khoa học và Công nghệ", AgencyKind.SCIENCE),
    ("so-tc", "Sở Tài chính", AgencyKind.FINANCE),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", AgencyKind.CULTURE),
]
COMMUNE_OF = "82221"  # the commune People's Committee of Trạm Y tế xã Tân Hồng's commune
AGENCY_USERS = [
    ("bhxh", "Ngô Thị Mỹ Dung", "bhxh"),
    ("ubnd.tanhong", "Lâm Văn Sang", "ubnd-tan-hong"),
]
AGENCY_DIFFICULTY = (
    "Cổng tiếp nhận dữ liệu giám định BHYT từ chối hồ sơ XML ký số của một số trạm y tế do chứng thư số "
    "của tổ chức chưa đăng ký; cần Sở Y tế đôn đốc các trạm đăng ký trước ngày 15/12/2026."
)


def _agencies() -> dict[str, Agency]:
    agencies = {}
    for code, name, kind in AGENCIES:
        agencies[code], _ = Agency.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    area = Facility.objects.get(code=COMMUNE_OF).area
    agencies["ubnd-tan-hong"], _ = Agency.objects.get_or_create(
        code="ubnd-tan-hong", defaults={"name": f"UBND {area.name}", "kind": AgencyKind.COMMUNE, "area": area}
    )
    return agencies


def _users(agencies: dict[str, Agency]) -> dict[str, User]:
    users = {}
    for username, full_name, agency in AGENCY_USERS:
        first, _, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.vn", "role": Role.AGENCY},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        AgencyMembership.objects.get_or_create(user=user, agency=agencies[agency])
        users[agency] = user
    return users


def build(stdout=None) -> dict:
    agencies = _agencies()
    users = _users(agencies)
    officer = User.objects.get(username="canbo")
    flagged = MonthlyReport.objects.filter(needs_escalation=True, status=Status.APPROVED, escalation__isnull=True)
    opened = [
        item
        for report in flagged.select_related("facility").order_by("submitted_at", "pk")
        if (item := services.escalation_open_from_report(report=report, by=officer))
    ]
    # Walk the first ones through the register's steps, as the DoH would have.
    for i, item in enumerate(opened[:4]):
        if i == 0:
            services.escalation_refer(
                item=item, partner=agencies["so-tc"], action="Đã gửi Sở Tài chính thẩm định dự toán.", by=officer
            )
        else:
            services.escalation_propose(
                item=item,
                proposal="Đề nghị UBND tỉnh giao Sở Tài chính bố trí kinh phí mua chữ ký số, máy chủ cho đơn vị.",
                by=officer,
            )
        if i == 3:
            services.escalation_record_direction(
                item=item,
                number="1234/UBND-VX",
                date=timezone.localdate() - datetime.timedelta(days=3),
                content="Giao Sở Tài chính chủ trì, phối hợp Sở Y tế bố trí kinh phí trong quý IV/2026.",
                by=officer,
            )
    if not EscalationItem.objects.filter(agency=agencies["bhxh"]).exists():
        services.escalation_raise(agency=agencies["bhxh"], difficulty=AGENCY_DIFFICULTY, by=users["bhxh"])
    if stdout:
        stdout.write(f"Escalation register: {EscalationItem.objects.count()} items, {len(agencies)} partner agencies.")
    return {"items": EscalationItem.objects.count(), "agencies": len(agencies)}
