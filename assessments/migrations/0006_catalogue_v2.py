"""Criteria catalogue version 2 (SPEC section 3, "Catalogue v2"), published; version 1 stays as it was.

Version 2 is version 1's groups and criteria (same codes, texts, answer types and thresholds, so that a
facility's v1 answers carry over: assessments.services.carried_over_answers) with these changes:

- Deciding compliance (`decides_compliance`): only the legal definition of "EMR deployed" (domain.md
  section 14): A3, B1–B4, B6, C2–C5, C7, D1–D3, E1, E2, G3, where they apply (D2 with a BHYT contract).
  Every other B / B? criterion (B7 IPv6, C14 e-prescribing, E4, F1–F5, …) keeps its label, is shown and
  scored, and decides nothing.
- A7 (the head's decision) and A8 (the announcement) leave the catalogue: they are milestones now.
- Legal dates (`legal_from`): G6 from 01/01/2027 (Luật 51/2024 Đ3 k4), D4 from 10/04/2027 (NĐ 23/2025
  Đ17, the two-year upgrade window: a date inferred from the decree's effective date), E5 from
  01/07/2027 (existing systems meet NĐ 331/2026 and TCVN 14423:2026). Before the date the criterion shows
  it and is no gap. G6 and D4 are labelled B, as domain.md gives them.
- "Only if" criteria may be answered "not applicable" with a reason (`not_applicable_allowed`): A9 (only
  when legacy paper records are digitised), C11 LIS (only with a laboratory), C12 RIS-PACS (only with
  imaging), E7 (binding on Ministry of Health units only).
- H1 applies to hospitals and to regional medical centres (Trung tâm Y tế khu vực, 60–250 beds).
- Thresholds the DoH chose, not the law (`threshold_by_doh`): B1 100 % of clinical departments, C13 level
  2, C14 100 %, G2 95 %, G4 90 %, H2 at least 1, H3 80 %. C2 and D1 at 100 % follow the legal text ("every
  template", "every health worker who signs").
- Weights: deciding criteria 3, other B and B? 2, N 1.
"""

import datetime

from django.db import migrations

TITLE = "Bộ tiêu chí đánh giá mức độ sẵn sàng triển khai hồ sơ bệnh án điện tử"
NOTES = (
    "Phiên bản 2. Nhóm tiêu chí quyết định tuân thủ là định nghĩa \u201cđã triển khai HSBA điện tử\u201d: A3, B1–B4, "
    "B6, C2–C5, C7, D1–D3, E1, E2, G3 (nếu áp dụng); các tiêu chí bắt buộc khác vẫn được chấm điểm nhưng không "
    "quyết định tuân thủ. Quyết định sử dụng HSBA điện tử (A7) và công bố (A8) chuyển sang mốc triển khai. "
    "Trọng số: quyết định tuân thủ 3, bắt buộc khác 2, khuyến nghị 1."
)
PUBLISHED_AT = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))

LEGAL_SET = {"A3", "B1", "B2", "B3", "B4", "B6", "C2", "C3", "C4", "C5", "C7", "D1", "D2", "D3", "E1", "E2", "G3"}
REMOVED = {"A7", "A8"}
LEGAL_FROM = {
    "G6": datetime.date(2027, 1, 1),
    "D4": datetime.date(2027, 4, 10),
    "E5": datetime.date(2027, 7, 1),
}
LABELS = {"G6": "B", "D4": "B"}
NOT_APPLICABLE_ALLOWED = {"A9", "C11", "C12", "E7"}
THRESHOLD_BY_DOH = {"B1", "C13", "C14", "G2", "G4", "H2", "H3"}
NOTES_BY_CODE = {
    "A9": (
        "Chỉ áp dụng khi cơ sở số hóa hồ sơ bệnh án giấy cũ; nếu không, chọn \u201cKhông áp dụng\u201d và ghi lý do.",
        "Only when the facility digitises legacy paper records; otherwise answer \u201cnot applicable\u201d with "
        "the reason.",
    ),
    "C11": (
        "Chỉ áp dụng khi cơ sở có xét nghiệm; nếu không, chọn \u201cKhông áp dụng\u201d và ghi lý do.",
        "Only where the facility has a laboratory; otherwise answer \u201cnot applicable\u201d with the reason.",
    ),
    "C12": (
        "Chỉ áp dụng khi cơ sở có chẩn đoán hình ảnh; nếu không, chọn \u201cKhông áp dụng\u201d và ghi lý do.",
        "Only where the facility does imaging; otherwise answer \u201cnot applicable\u201d with the reason.",
    ),
    "E7": (
        "Bắt buộc với đơn vị trực thuộc Bộ Y tế; cơ sở khác có thể chọn \u201cKhông áp dụng\u201d và ghi lý do.",
        "Binding on Ministry of Health units; other facilities may answer \u201cnot applicable\u201d with the reason.",
    ),
    "H1": ("Bệnh viện và trung tâm y tế khu vực.", "Hospitals and regional medical centres."),
    "G6": (
        "Cơ sở có hợp đồng BHYT; bắt buộc từ 01/01/2027.",
        "Facilities with a BHYT contract; mandatory from 01/01/2027.",
    ),
    "D4": (
        "Bắt buộc từ 10/04/2027 (hết thời hạn 2 năm nâng cấp phần mềm ký số theo NĐ 23/2025).",
        "Mandatory from 10/04/2027 (end of the two-year upgrade window of NĐ 23/2025).",
    ),
    "E5": (
        "Hệ thống đang vận hành đáp ứng NĐ 331/2026 và TCVN 14423:2026 từ 01/07/2027.",
        "Systems in operation meet NĐ 331/2026 and TCVN 14423:2026 from 01/07/2027.",
    ),
}
ALSO_APPLIES_TO_TYPES = {"H1": ["regional_centre"]}


def weight(code: str, mandatory: str) -> int:
    if code in LEGAL_SET:
        return 3
    return 2 if mandatory in ("B", "B?") else 1


def load_catalogue(apps, schema_editor):
    Catalogue = apps.get_model("assessments", "Catalogue")
    CriterionGroup = apps.get_model("assessments", "CriterionGroup")
    Criterion = apps.get_model("assessments", "Criterion")
    v1 = Catalogue.objects.filter(version=1).first()
    if v1 is None or Catalogue.objects.filter(version=2).exists():
        return
    v2 = Catalogue.objects.create(version=2, title=TITLE, notes=NOTES, published_at=PUBLISHED_AT)
    for group in CriterionGroup.objects.filter(catalogue=v1).order_by("order"):
        criteria = list(Criterion.objects.filter(group=group).order_by("order", "code"))
        group.pk = None
        group.catalogue = v2
        group.save()
        order = 0
        for criterion in criteria:
            if criterion.code in REMOVED:
                continue
            order += 1
            criterion.pk = None
            criterion.group = group
            criterion.order = order
            criterion.mandatory = LABELS.get(criterion.code, criterion.mandatory)
            criterion.decides_compliance = criterion.code in LEGAL_SET
            criterion.legal_from = LEGAL_FROM.get(criterion.code)
            criterion.not_applicable_allowed = criterion.code in NOT_APPLICABLE_ALLOWED
            criterion.threshold_by_doh = criterion.code in THRESHOLD_BY_DOH
            criterion.also_applies_to_types = ALSO_APPLIES_TO_TYPES.get(criterion.code, [])
            if criterion.code in NOTES_BY_CODE:
                criterion.applicability_note, criterion.applicability_note_en = NOTES_BY_CODE[criterion.code]
            criterion.weight = weight(criterion.code, criterion.mandatory)
            criterion.save()


def unload_catalogue(apps, schema_editor):
    apps.get_model("assessments", "Catalogue").objects.filter(version=2, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_catalogue_v2_fields_and_shared_platforms")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
