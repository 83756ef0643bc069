"""Text helpers shared by search, imports and exports."""

import unicodedata


def fold(text: str | None) -> str:
    """Lower-case text without Vietnamese diacritics, for search ("Tân Hồng" -> "tan hong").

    NFD splits most marks off their letters; đ/Đ is a separate letter, not a mark.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").lower().split())
