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


def renormalise_nfc(queryset, fields: list[str], batch_size: int = 1000) -> int:
    """Put `fields` of every row in Unicode NFC (a data migration's step); returns how many rows changed.

    Text typed on some keyboards or pasted from the web arrives decomposed (NFD) and then neither
    matches nor sorts with the same text in NFC. Reads the rows in chunks and writes back only those
    that change, without touching any other field (no timestamps, no history).
    """
    changed, total = [], 0
    for row in queryset.only("pk", *fields).order_by("pk").iterator(chunk_size=batch_size):
        values = {name: getattr(row, name) for name in fields}
        fixed = {name: unicodedata.normalize("NFC", v) for name, v in values.items() if v and isinstance(v, str)}
        if any(fixed[name] != values[name] for name in fixed):
            for name, value in fixed.items():
                setattr(row, name, value)
            changed.append(row)
        if len(changed) >= batch_size:
            total += queryset.bulk_update(changed, fields)
            changed = []
    if changed:
        total += queryset.bulk_update(changed, fields)
    return total
