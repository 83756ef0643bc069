"""The dashboard's template tags that compose HTML in Python."""

from django.utils import translation

from dashboard.templatetags.dashboard_tags import reasons_short


def test_reasons_read_as_sentences_with_the_sentence_as_title_and_nothing_unescaped():
    reasons = [
        {"code": "departments", "live": 5, "total": 12},
        {"code": "mandatory_unmet", "criteria": ['<b>"TC-1"</b>', "TC-2"]},
    ]
    with translation.override("vi"):
        html = reasons_short(reasons)
    label = "Khoa triển khai HSBA điện tử: 5/12"
    criteria = "&lt;b&gt;&quot;TC-1&quot;&lt;/b&gt;, TC-2"
    assert html.startswith(f'<span title="{label}">{label}</span>, <span title="')
    assert html.count(criteria) == 2 and "<b>" not in html
    assert reasons_short([]) == ""
