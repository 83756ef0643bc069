"""The Vietnamese wording a health administrator expects: old words never come back into a catalogue.

"người đứng đầu cơ sở" (not "thủ trưởng"), "tỷ lệ", "hằng tháng", "Xóa" with the new-style tone mark,
and "HSBA điện tử" (not "BAĐT").
"""

import re

import pytest

from .test_translations import CATALOGUES, name

BANNED = ["thủ trưởng", "tỉ lệ", "hàng tháng", "xoá", "bađt"]


def msgstrs(po) -> list[str]:
    """Every msgstr of a .po file, continuation lines joined (read as text: no gettext tool needed)."""
    texts, current = [], None
    for line in po.read_text(encoding="utf-8").splitlines():
        if re.match(r"msgstr(\[\d+\])? ", line):
            current = [line.split(" ", 1)[1]]
            texts.append(current)
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            current = None
    return ["".join(part.strip()[1:-1] for part in text) for text in texts]


@pytest.mark.parametrize("po", CATALOGUES, ids=name)
def test_no_banned_old_wording_in_the_vietnamese(po):
    found = [(word, text) for text in msgstrs(po) for word in BANNED if word in text.lower()]
    assert not found, "\n".join(f"{word!r} in {text!r}" for word, text in found)


def test_the_check_reads_every_msgstr(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid "a"\nmsgstr ""\n"Báo cáo hàng "\n"tháng"\n\nmsgid "b"\nmsgstr[0] "Xoá"\n', encoding="utf-8")
    assert msgstrs(po) == ["Báo cáo hàng tháng", "Xoá"]
