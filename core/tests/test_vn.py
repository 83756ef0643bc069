"""Numbers with Vietnamese separators, and a unit that never goes to the next line on its own."""

from django.utils import translation

from core.templatetags.vn import num, pct, vnd


def test_percent_and_dong_keep_their_sign_on_the_numbers_line():
    with translation.override("vi"):
        assert pct(0.93) == "93\u00a0%"
        assert vnd(143_550_000_000) == "143.550.000.000\u00a0₫"
        assert num(1234567) == "1.234.567"


def test_english_separators():
    with translation.override("en"):
        assert pct(0.5) == "50\u00a0%" and vnd(1500) == "1,500\u00a0₫"


def test_nothing_shows_as_a_dash():
    assert pct(None) == vnd("") == num(None) == "—"
