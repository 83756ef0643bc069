"""Workbooks broken the way real uploads break, for the import tests."""

import io
import zipfile

# (part of the .xlsx zip, its new content or None for its first half): a sheet cut short, a garbled workbook part.
DAMAGES = {
    "truncated sheet": ("xl/worksheets/sheet1.xml", None),
    "garbage workbook.xml": ("xl/workbook.xml", b"\x00garbage<<not xml"),
}


def damaged(content: bytes, damage: str) -> bytes:
    """`content` (a valid .xlsx) still a valid zip, with one XML part replaced as DAMAGES says."""
    part, data = DAMAGES[damage]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == part:
                body = data if data is not None else body[: len(body) // 2]
            target.writestr(item, body)
    return out.getvalue()
