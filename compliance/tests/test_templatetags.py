import pytest
from django.template import Context, Template
from django.utils import translation

from compliance.models import FacilityCompliance


def render(text: str, **context) -> str:
    return Template("{% load compliance_tags %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("status", "css", "label"),
    [
        ("deployed_on_time", "rag-green", "Triển khai đúng hạn"),
        ("on_track", "rag-green", "Đúng tiến độ"),
        ("at_risk", "rag-amber", "Có nguy cơ chậm"),
        ("overdue", "rag-red", "Quá hạn"),
        ("deployed_late", "rag-red", "Triển khai trễ hạn"),
        ("no_data", "rag-grey", "Chưa có dữ liệu"),
    ],
)
def test_status_badge_has_the_rag_colour_and_the_vietnamese_label(status, css, label):
    row = FacilityCompliance(status=status)
    assert render("{% status_badge row %}", row=row) == f'<span class="badge {css}">{label}</span>'
    assert render("{{ status|rag_class }}", status=status) == css


@pytest.mark.parametrize(
    ("status", "css", "label"),
    [
        ("paperless_on_time", "rag-green", "Thay thế bệnh án giấy đúng hạn"),
        ("paperless_late", "rag-red", "Thay thế bệnh án giấy trễ hạn"),
        ("paper_in_use", "rag-red", "Còn dùng bệnh án giấy"),
        ("not_due", "rag-grey", "Chưa đến hạn"),
    ],
)
def test_paperless_badge_has_the_rag_colour_and_the_vietnamese_label(status, css, label):
    row = FacilityCompliance(paperless_status=status)
    assert render("{% paperless_badge row %}", row=row) == f'<span class="badge {css}">{label}</span>'


def test_a_facility_not_yet_computed_gets_a_grey_badge():
    assert render("{% status_badge None %}") == '<span class="badge rag-grey">Chưa được tính</span>'


def test_reason_labels_follow_the_active_language():
    reasons = [
        {"code": "decision_missing"},
        {"code": "mandatory_unmet", "criteria": ["B3", "E1"]},
        {"code": "departments", "live": 5, "total": 12},
        {"code": "months_missing", "months": ["2026-08", "2026-09"]},
    ]
    row = FacilityCompliance(status="overdue", reasons=reasons)
    template = "{% for label in row.reasons|reason_labels %}[{{ label }}]{% endfor %}"
    assert render(template, row=row) == (
        "[Chưa có quyết định sử dụng HSBA điện tử thay thế bệnh án giấy]"
        "[Chưa đạt tiêu chí bắt buộc: B3, E1]"
        "[Khoa triển khai HSBA điện tử: 5/12]"
        "[Chưa có báo cáo được duyệt tháng 08/2026, 09/2026]"
    )
    with translation.override("en"):
        assert render(template, row=row) == (
            "[No decision to use EMR in place of paper]"
            "[Mandatory criteria not met: B3, E1]"
            "[Departments live on EMR: 5 of 12]"
            "[No approved report for 08/2026, 09/2026]"
        )


def test_a_deployed_facility_shows_its_deployment_date():
    row = FacilityCompliance(status="deployed_on_time", reasons=[{"code": "deployed", "date": "2026-09-29"}])
    assert (
        render("{{ row.reasons|reason_labels|join:'' }}", row=row) == "Đã triển khai ngày 29/09/2026 (ngày quyết định)"
    )


def test_reasons_stored_as_bare_codes_still_read():
    row = FacilityCompliance(status="at_risk", reasons=["months_missing", {"code": "stage"}])
    assert render("{{ row.reasons|reason_labels|join:'|' }}", row=row) == (
        "Không có báo cáo được duyệt cho cả hai tháng gần nhất đã kết thúc|Giai đoạn triển khai"
    )
