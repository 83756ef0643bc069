"""Demo registry: the province's real communes and wards and public facilities, fictional private ones.

- Areas: Đồng Tháp after NQ 1663/NQ-UBTVQH15 (16/06/2025): the 20 wards listed in domain.md section 11.1
  and the communes of the same resolution as the provincial press published them (73 of the 82; the
  others are left out rather than guessed). No commune or district that the 2025 reform abolished.
  Area codes are the demo's own (the official commune codes were not verified).
- Public facilities under their real names and types as known before the 2025 merger of the two
  provinces (renamings since then are not verified): the provincial and regional general hospitals, the
  specialty hospitals, the regional medical centres as "Trung tâm Y tế khu vực …" named after the former
  districts they serve, and a health station in every commune and ward.
- Private facilities carry clearly fictional names, marked "(giả định)".
- Facility codes in the 5-character BHXH form (82xxx); people and numbers are fictional; a facility with
  a head demo account has that account's name as its head in the registry.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import Role
from facilities.models import Area, AreaKind, Facility, FacilityType, MemberRole, Membership, Ownership

User = get_user_model()
DEMO_PASSWORD = "demo-2026"

WARDS = [
    "Mỹ Tho", "Đạo Thạnh", "Mỹ Phong", "Thới Sơn", "Trung An", "Gò Công", "Long Thuận", "Bình Xuân",
    "Sơn Qui", "An Bình", "Hồng Ngự", "Thường Lạc", "Cao Lãnh", "Mỹ Ngãi", "Mỹ Trà", "Sa Đéc",
    "Mỹ Phước Tây", "Thanh Hoà", "Cai Lậy", "Nhị Quý",
]  # fmt: skip
COMMUNES = [
    "Tân Hồng", "Tân Thành", "Tân Hộ Cơ", "An Phước", "Thường Phước", "Long Khánh", "Long Phú Thuận", "An Hòa",
    "Tam Nông", "Phú Thọ", "Tràm Chim", "Phú Cường", "An Long", "Thanh Bình", "Tân Thạnh", "Bình Thành",
    "Tân Long", "Tháp Mười", "Thanh Mỹ", "Mỹ Quí", "Đốc Binh Kiều", "Trường Xuân", "Phương Thịnh", "Phong Mỹ",
    "Ba Sao", "Mỹ Thọ", "Bình Hàng Trung", "Mỹ Hiệp", "Mỹ An Hưng", "Tân Khánh Trung", "Lấp Vò", "Lai Vung",
    "Hoà Long", "Phong Hoà", "Tân Dương", "Phú Hựu", "Tân Nhuận Đông", "Tân Phú Trung", "Tân Phú", "Thanh Hưng",
    "An Hữu", "Mỹ Lợi", "Mỹ Đức Tây", "Mỹ Thiện", "Hậu Mỹ", "Hội Cư", "Cái Bè", "Mỹ Thành",
    "Thạnh Phú", "Bình Phú", "Hiệp Đức", "Long Tiên", "Ngũ Hiệp", "Tân Phước 1", "Tân Phước 2", "Tân Phước 3",
    "Hưng Thạnh", "Tân Hương", "Châu Thành", "Long Hưng", "Long Định", "Bình Trưng", "Vĩnh Kim", "Kim Sơn",
    "Mỹ Tịnh An", "Lương Hoà Lạc", "Tân Thuận Bình", "Chợ Gạo", "An Thạnh Thuỷ", "Bình Ninh", "Vĩnh Bình",
    "Đồng Sơn", "Phú Thành",
]  # fmt: skip
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Kim", "Hữu", "Thành"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Tâm",
    "Thảo",
    "Trang",
]

# (name, ward or commune) of the public hospitals; 82001 is the demo accounts' hospital.
GENERAL_HOSPITALS = [
    ("Bệnh viện Đa khoa Đồng Tháp", "Cao Lãnh", 880),
    ("Bệnh viện Đa khoa Trung tâm Tiền Giang", "Mỹ Tho", 1200),
    ("Bệnh viện Đa khoa Sa Đéc", "Sa Đéc", 700),
    ("Bệnh viện Đa khoa khu vực Hồng Ngự", "Hồng Ngự", 500),
    ("Bệnh viện Đa khoa khu vực Cai Lậy", "Cai Lậy", 500),
    ("Bệnh viện Đa khoa khu vực Gò Công", "Gò Công", 400),
]
SPECIALTY_HOSPITALS = [
    ("Bệnh viện Phổi Đồng Tháp", "Cao Lãnh"),
    ("Bệnh viện Phụ sản Tiền Giang", "Mỹ Tho"),
    ("Bệnh viện Tâm thần Đồng Tháp", "Cao Lãnh"),
    ("Bệnh viện Mắt Tiền Giang", "Mỹ Tho"),
    ("Bệnh viện Y học cổ truyền Đồng Tháp", "Cao Lãnh"),
    ("Bệnh viện Tâm thần Tiền Giang", "Mỹ Tho"),
]
# Regional medical centres (the former district health centres), named after the area they serve, with the
# ward or commune they sit in. 82101 is the demo account's centre.
REGIONAL_CENTRES = [
    ("Cao Lãnh", "Mỹ Trà"), ("Sa Đéc", "Sa Đéc"), ("Hồng Ngự", "Thường Lạc"), ("Tân Hồng", "Tân Hồng"),
    ("Tam Nông", "Tràm Chim"), ("Thanh Bình", "Thanh Bình"), ("Tháp Mười", "Mỹ An Hưng"), ("Lấp Vò", "Lấp Vò"),
    ("Lai Vung", "Lai Vung"), ("Châu Thành", "Tân Nhuận Đông"), ("Cái Bè", "Cái Bè"), ("Cai Lậy", "Nhị Quý"),
    ("Gò Công", "Gò Công"), ("Chợ Gạo", "Chợ Gạo"), ("Tân Phước", "Tân Phước 1"),
]  # fmt: skip
FICTIONAL = " (giả định)"
PRIVATE_HOSPITALS = [
    f"Bệnh viện {name}{FICTIONAL}"
    for name in [
        "Đa khoa tư nhân Sen Vàng",
        "Đa khoa tư nhân Bình Minh",
        "Đa khoa tư nhân Phù Sa",
        "Mắt tư nhân Ánh Dương",
    ]
]
CLINIC_NAMES = [
    f"Phòng khám {name}{FICTIONAL}"
    for name in [
        "Đa khoa An Phước", "Đa khoa Tâm Đức", "Đa khoa Minh Tâm", "Đa khoa Phúc An", "Nhi Thiện Tâm",
        "Sản phụ khoa Hạnh Phúc", "Răng Hàm Mặt Nụ Cười", "Mắt Sáng", "Tai Mũi Họng Bình An", "Đa khoa Cửu Long",
        "Đa khoa Sen Hồng", "Da liễu Tân Tiến", "Đa khoa Việt Mỹ", "Nội tổng hợp Khang An", "Đa khoa Nhân Ái",
        "Chẩn đoán hình ảnh Mê Kông", "Đa khoa Thiện Nhân", "Đa khoa Hồng Đức", "Đa khoa Phù Sa",
        "Đa khoa An Bình",
    ]
]  # fmt: skip
OTHER = [
    ("Bệnh xá Quân dân y Bộ Chỉ huy quân sự tỉnh", Ownership.ARMY),
    ("Bệnh xá Công an tỉnh", Ownership.POLICE),
    ("Phòng khám Trung tâm Giám định y khoa", Ownership.MINISTRY),
]

# Which compliance status each demo facility is built to reach as of late November 2026, by type:
# demo/assessments.py and demo/reports.py generate data that produces it. Private clinics and
# "other" facilities carry the national legal date (31/12/2026) as their type deadline, and a few
# stations have an extension, so that on_track, at_risk and no_data still occur after 30/09/2026.
# The extension goes beyond the stations' legal deadline (31/12/2026): it rests on its document, and
# the pages mark it "vượt thời hạn theo TT 13/2025".
SCENARIO_MIX = {
    "general_hospital": ["on_time"] * 2,
    "specialty_hospital": ["on_time"] * 3 + ["late"] * 2 + ["overdue"],
    "regional_centre": ["on_time"] * 6 + ["late"] * 4 + ["overdue"] * 3 + ["on_track"] * 2,
    "health_station": ["on_time"] * 30 + ["late"] * 20 + ["overdue"] * 40 + ["on_track"] * 6 + ["at_risk"] * 6,
    "private_hospital": ["on_time"] * 2 + ["late", "overdue"],
    "private_clinic": ["on_track"] * 6 + ["at_risk"] * 8 + ["no_data"] * 6,
    "other": ["on_track", "at_risk", "no_data"],
}
TYPE_DEADLINES = {"private_clinic": datetime.date(2026, 12, 31), "other": datetime.date(2026, 12, 31)}
# The demo station's nurse should find work to do: an extended deadline and a report to fix.
SCENARIO_OVERRIDES = {"82221": "at_risk"}
EXTENSION = {
    "deadline": datetime.date(2027, 3, 31),
    "deadline_reason": "Trạm sáp nhập sau sắp xếp đơn vị hành chính, đang chuyển sang HIS dùng chung của tỉnh.",
    "deadline_document_number": "2150/SYT-NVY",
    "deadline_document_date": datetime.date(2026, 10, 15),
}

# (username, full name, role, facility code or None, membership role)
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", None, None, None),
    ("canbo", "Trần Thị Thu Hà", Role.OFFICER, None, None),
    ("lanhdao", "Lê Minh Tuấn", Role.LEADERSHIP, None, None),
    ("bvdk.nhanvien", "Phạm Quốc Bảo", Role.FACILITY, "82001", MemberRole.STAFF),
    ("bvdk.giamdoc", "Nguyễn Văn Hòa", Role.FACILITY, "82001", MemberRole.HEAD),
    ("ttyt.caolanh", "Huỳnh Thanh Tâm", Role.FACILITY, "82101", MemberRole.STAFF),
    ("tyt.tanhong", "Võ Thị Ngọc Lan", Role.FACILITY, "82221", MemberRole.STAFF),
    ("tyt.tanhong.truong", "Đặng Hữu Phúc", Role.FACILITY, "82221", MemberRole.HEAD),
    ("pk.anphuoc", "Bùi Kim Trang", Role.FACILITY, "82401", MemberRole.STAFF),
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _facility_rows(areas: list[Area], rng: random.Random):
    """(code, name, type code, ownership, area, beds, inpatient) for every demo facility."""
    by_name = {a.name.split(" ", 1)[1]: a for a in areas}
    for i, (name, area, beds) in enumerate(GENERAL_HOSPITALS, start=1):
        yield f"8200{i}", name, "general_hospital", Ownership.PUBLIC, by_name[area], beds, True
    for i, (name, area) in enumerate(SPECIALTY_HOSPITALS, start=11):
        yield f"820{i}", name, "specialty_hospital", Ownership.PUBLIC, by_name[area], rng.randint(80, 400), True
    for i, (centre, area_name) in enumerate(REGIONAL_CENTRES, start=101):
        area = by_name[area_name]
        yield (
            f"82{i}",
            f"Trung tâm Y tế khu vực {centre}",
            "regional_centre",
            Ownership.PUBLIC,
            area,
            rng.randint(60, 250),
            True,
        )
    for i, area in enumerate(areas, start=201):
        kind = "phường" if area.kind == AreaKind.WARD else "xã"
        yield (
            f"82{i}",
            f"Trạm Y tế {kind} {area.name.split(' ', 1)[1]}",
            "health_station",
            Ownership.PUBLIC,
            area,
            rng.randint(0, 10),
            False,
        )
    for i, name in enumerate(PRIVATE_HOSPITALS, start=351):
        yield f"82{i}", name, "private_hospital", Ownership.PRIVATE, rng.choice(areas[:20]), rng.randint(50, 200), True
    for i, name in enumerate(CLINIC_NAMES, start=401):
        yield f"82{i}", name, "private_clinic", Ownership.PRIVATE, rng.choice(areas), 0, False
    for i, (name, ownership) in enumerate(OTHER, start=451):
        yield (
            f"82{i}",
            name,
            "other",
            ownership,
            rng.choice(areas[:20]),
            rng.randint(0, 30),
            ownership != Ownership.MINISTRY,
        )


def scenarios() -> dict[str, str]:
    """Facility code -> the demo scenario it follows (on_time, late, overdue, on_track, at_risk, no_data)."""
    result, seen = {}, {}
    for code, type_code in Facility.objects.order_by("code").values_list("code", "type__code"):
        mix = SCENARIO_MIX.get(type_code, ["overdue"])
        index = seen.get(type_code, 0)
        seen[type_code] = index + 1
        # Spread the scenarios over the facilities of a type rather than in blocks.
        result[code] = mix[(index * 7) % len(mix)] if len(mix) % 7 else mix[index % len(mix)]
    return result | SCENARIO_OVERRIDES


@transaction.atomic
def build(stdout=None) -> dict:
    """Create or refresh the demo registry and accounts; running it again changes nothing."""
    rng = random.Random(2026)
    areas = []
    for i, name in enumerate(WARDS, start=1):
        area, _ = Area.objects.update_or_create(
            code=f"{28000 + i}", defaults={"name": f"Phường {name}", "kind": AreaKind.WARD}
        )
        areas.append(area)
    for i, name in enumerate(COMMUNES, start=101):
        area, _ = Area.objects.update_or_create(
            code=f"{28000 + i}", defaults={"name": f"Xã {name}", "kind": AreaKind.COMMUNE}
        )
        areas.append(area)

    types = {t.code: t for t in FacilityType.objects.all()}
    heads = {code: name for _u, name, _r, code, role in DEMO_USERS if role == MemberRole.HEAD}
    for code, name, type_code, ownership, area, beds, inpatient in _facility_rows(areas, rng):
        head = heads.get(code) or _person(rng)
        defaults = {
            "name": name,
            "type": types[type_code],
            "ownership": ownership,
            "area": area,
            "address": f"Số {rng.randint(1, 300)}, {area.name}, tỉnh Đồng Tháp",
            "beds": beds,
            "has_inpatient": inpatient,
            "has_daycare": inpatient,
            "has_outpatient": True,
            "bhyt_contract": type_code != "private_clinic" or rng.random() < 0.6,
            "head_name": head,
            "head_phone": f"09{rng.randint(10000000, 99999999)}",
            "head_email": f"lienhe.{code}@example.vn",
            "it_contact": _person(rng),
        }
        facility = Facility.objects.filter(code=code).first()
        if facility is None:
            Facility.objects.create(code=code, **defaults)
        elif any(
            getattr(facility, k) != v
            for k, v in defaults.items()
            if k not in ("head_phone", "it_contact") and (k != "head_name" or code in heads)
        ):
            for key, value in defaults.items():
                setattr(facility, key, value)
            facility.save()

    for type_code, deadline in TYPE_DEADLINES.items():
        FacilityType.objects.filter(code=type_code).update(deadline=deadline)
    for code, scenario in scenarios().items():
        facility = Facility.objects.get(code=code)
        if scenario in ("on_track", "at_risk") and facility.type.code not in TYPE_DEADLINES and not facility.deadline:
            for key, value in EXTENSION.items():
                setattr(facility, key, value)
            facility.save()

    for username, full_name, role, facility_code, member_role in DEMO_USERS:
        first, _, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.vn",
                "role": role or Role.OFFICER,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if username == "admin":
                user.is_staff = user.is_superuser = True
            user.save()
        if facility_code:
            Membership.objects.get_or_create(
                user=user, facility=Facility.objects.get(code=facility_code), defaults={"role": member_role}
            )
    return {"areas": len(areas), "facilities": Facility.objects.count()}
