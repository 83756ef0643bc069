import pytest
from django.template import Context, Template
from django.utils import translation

from compliance.models import FacilityCompliance


def render(text: str, **context) -> str:
    return Template("{% load compliance_tags %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("status", "css", "label"),
    [
        ("deployed_on_time", "rag-green", "Hoàn thành đúng hạn"),
        ("on_track", "rag-green", "Đúng tiến độ"),
        ("at_risk", "rag-amber", "Có nguy cơ chậm"),
        ("overdue", "rag-red", "Quá hạn"),
        ("deployed_late", "rag-red", "Hoàn thành trễ hạn"),
        ("no_data", "rag-grey", "Chưa có dữ liệu"),
    ],
)
def test_status_badge_has_the_rag_colour_and_the_vietnamese_label(status, css, label):
    row = FacilityCompliance(status=status)
    assert render("{% status_badge row %}", row=row) == f'<span class="badge {css}">{label}</span>'
    assert render("{{ status|rag_class }}", status=status) == css


def test_a_facility_not_yet_computed_gets_a_grey_badge():
    assert render("{% status_badge None %}") == '<span class="badge rag-grey">Chưa được tính</span>'


def test_reason_labels_follow_the_active_language():
    row = FacilityCompliance(status="at_risk", reasons=["stale", "early_stage"])
    template = "{% for label in row.reasons|reason_labels %}[{{ label }}]{% endfor %}"
    assert render(template, row=row) == (
        "[Không có báo cáo được duyệt cho cả hai tháng gần nhất đã kết thúc]"
        "[Vẫn chưa triển khai toàn cơ sở khi còn dưới 60 ngày]"
    )
    with translation.override("en"):
        assert render(template, row=row) == (
            "[No approved report for either of the last two complete months]"
            "[Still before facility-wide rollout with fewer than 60 days left]"
        )
