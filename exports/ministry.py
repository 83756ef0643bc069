"""Cross-check of the Ministry of Health's list of facilities that announced EMR (benhandientu.moh.gov.vn)
against the announced milestones verified in the portal.

The officer saves the Ministry's list as a spreadsheet (a facility code or a name per row, and the
announcement date) and uploads it; nothing is written. Each row is matched to a facility by its code
(the 5-character KCB code, or the 13-digit national identifier), else by its name compared without
case, diacritics, punctuation or the usual abbreviations (BV, TTYT, TYT, PK, ĐK), so "BV ĐK Đồng Tháp"
finds "Bệnh viện Đa khoa Đồng Tháp". A name that fits several facilities is not guessed.

The differences, for the DoH to follow up:
- a row that matches no facility (or several);
- a facility the Ministry lists whose announcement the portal has not verified;
- a facility whose dates differ;
- a facility with a verified announcement that the Ministry's list lacks.
"""

import datetime
import re
from dataclasses import dataclass, field

from django import forms
from django.db.models import QuerySet

from core.models import Status
from core.spreadsheet import Column, read_sheet
from core.text import fold
from milestones.models import Milestone, MilestoneKind

COLUMNS = [
    Column("code", "Mã cơ sở", aliases=("ma cskcb", "ma co so kcb", "ma kcb", "ma don vi", "ma")),
    Column("name", "Tên cơ sở", aliases=("ten co so kcb", "ten don vi", "ten co so kham chua benh", "ten")),
    Column("date", "Ngày công bố", required=True, aliases=("ngay cong bo trien khai", "ngay")),
]

ABBREVIATIONS = [
    (r"\bbv\b", "benh vien"),
    (r"\bttyt\b", "trung tam y te"),
    (r"\btyt\b", "tram y te"),
    (r"\bpk\b", "phong kham"),
    (r"\bpkdk\b", "phong kham da khoa"),
    (r"\bdk\b", "da khoa"),
    (r"\bkv\b", "khu vuc"),
]


class Finding:
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    NOT_VERIFIED = "not_verified"
    DATE_DIFFERS = "date_differs"
    NOT_ON_LIST = "not_on_list"
    BAD_DATE = "bad_date"

    TEXT = {
        NOT_FOUND: "Không tìm thấy cơ sở trong danh mục của Sở",
        AMBIGUOUS: "Tên trùng với nhiều cơ sở, cần ghi mã cơ sở",
        NOT_VERIFIED: "Bộ Y tế đã công bố, Cổng chưa có mốc công bố được xác minh",
        DATE_DIFFERS: "Ngày công bố khác nhau",
        NOT_ON_LIST: "Cổng ghi nhận đã công bố, không có trong danh sách của Bộ Y tế",
        BAD_DATE: "Ngày công bố không đọc được (cần dd/mm/yyyy)",
    }


@dataclass
class Difference:
    finding: str
    row: int | None  # the spreadsheet's row number, None for a facility missing from the list
    listed_code: str = ""
    listed_name: str = ""
    listed_date: datetime.date | None = None
    facility: object = None
    portal_date: datetime.date | None = None

    @property
    def text(self) -> str:
        return Finding.TEXT[self.finding]


@dataclass
class CrossCheck:
    rows: int = 0
    agreed: int = 0  # rows matched to a facility with the same verified date
    differences: list[Difference] = field(default_factory=list)


def normalise_name(name: str) -> str:
    """A name without case, diacritics, punctuation or the usual abbreviations, for matching."""
    text = re.sub(r"[^\w\s]", " ", fold(name))
    for pattern, full in ABBREVIATIONS:
        text = re.sub(pattern, full, text)
    return " ".join(text.split())


def parse_date(value) -> datetime.date | None:
    """A date cell, or text as a Vietnamese office writes it (25/11/2026, 25-11-2026, 2026-11-25)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value is None:
        return None
    field = forms.DateField(input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y"])
    try:
        return field.clean(str(value).strip())
    except forms.ValidationError:
        return None


def cross_check(file, facilities: QuerySet) -> CrossCheck:
    """Compare the uploaded list with the verified announced milestones of `facilities` (raises WorkbookError)."""
    rows = read_sheet(file, COLUMNS).rows
    facilities = list(facilities.only("pk", "code", "national_id", "name"))
    by_code = {f.code.upper(): f for f in facilities} | {f.national_id: f for f in facilities if f.national_id}
    by_name: dict[str, list] = {}
    for f in facilities:
        by_name.setdefault(normalise_name(f.name), []).append(f)
    announced = dict(
        Milestone.objects.filter(
            facility__in=[f.pk for f in facilities], kind=MilestoneKind.ANNOUNCED, status=Status.APPROVED
        ).values_list("facility_id", "date")
    )
    result = CrossCheck(rows=len(rows))
    listed = set()
    for row in rows:
        code = str(row.values.get("code") or "").strip()
        name = str(row.values.get("name") or "").strip()
        date = parse_date(row.values.get("date"))
        found = Difference(finding="", row=row.number, listed_code=code, listed_name=name, listed_date=date)
        facility = by_code.get(code.upper()) if code else None
        if facility is None and name:
            candidates = by_name.get(normalise_name(name), [])
            if len(candidates) > 1:
                found.finding = Finding.AMBIGUOUS
                result.differences.append(found)
                continue
            facility = candidates[0] if candidates else None
        if facility is None:
            found.finding = Finding.NOT_FOUND
            result.differences.append(found)
            continue
        listed.add(facility.pk)
        found.facility, found.portal_date = facility, announced.get(facility.pk)
        if date is None:
            found.finding = Finding.BAD_DATE
        elif found.portal_date is None:
            found.finding = Finding.NOT_VERIFIED
        elif found.portal_date != date:
            found.finding = Finding.DATE_DIFFERS
        else:
            result.agreed += 1
            continue
        result.differences.append(found)
    for facility in facilities:
        if facility.pk in announced and facility.pk not in listed:
            result.differences.append(
                Difference(finding=Finding.NOT_ON_LIST, row=None, facility=facility, portal_date=announced[facility.pk])
            )
    return result
