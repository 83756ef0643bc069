"""The facility registry import: every row validated, a row-by-row report, all or nothing.

Columns (Vietnamese headers in the template; English keys accepted): code, name, type,
ownership, area code, area name, address, beds, head name, head phone, head e-mail.
A row whose values equal the stored facility is "unchanged", so re-importing a file
changes nothing. Only the columns the file has are compared and written: a file without
the optional columns (address, beds, head) leaves those fields as they are, while an empty
cell in a column the file has clears the field. Formula cells are rejected: the registry
holds values, not formulas. A row reports every problem it has, each with its column and
the value read (`core.cells`), from any file `core.spreadsheet` reads.

The registry is the DoH's own list: an area code the registry does not know is refused
(areas come from the administrative list, never from a typo in a spreadsheet), and the
template's sample row (code "MẪU01", which no facility can have) is skipped with a note,
so a template filled in around its example never renames or moves a real facility.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core import cells
from core.cells import CellError
from core.spreadsheet import Column, WorkbookError, is_sample, read_sheet
from core.text import fold

from .models import Area, Facility, FacilityType, Ownership
from .services import registry_import

COLUMNS = [
    Column("code", "Mã cơ sở", required=True, aliases=("ma co so kcb", "ma cskcb")),
    Column("name", "Tên cơ sở", required=True),
    Column("type", "Loại hình", required=True, aliases=("loai hinh co so",)),
    Column("ownership", "Hình thức sở hữu", required=True, aliases=("so huu",)),
    Column("area_code", "Mã xã/phường", required=True, aliases=("area code", "ma xa")),
    Column("area_name", "Tên xã/phường", required=True, aliases=("area name", "ten xa")),
    Column("address", "Địa chỉ"),
    Column("beds", "Số giường", aliases=("giuong benh",)),
    Column("head_name", "Họ tên người đứng đầu cơ sở", aliases=("head name", "Họ tên thủ trưởng", "thu truong")),
    Column("head_phone", "Điện thoại người đứng đầu", aliases=("head phone", "Điện thoại thủ trưởng")),
    Column("head_email", "Email người đứng đầu", aliases=("head e-mail", "head email", "Email thủ trưởng")),
]
LABELS = {c.key: c.label for c in COLUMNS}
# Model fields the file sets, in the order of the columns.
FIELDS = ["code", "name", "type", "ownership", "area", "address", "beds", "head_name", "head_phone", "head_email"]
FIELD_COLUMN = {"type": "type", "area": "area_code"}
CHECKED_FIELDS = ["type", "ownership", "area", "beds"]  # read by _checked_values before the model's validation
COLUMN_ORDER = {c.label: index for index, c in enumerate(COLUMNS)}

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
SAMPLE_CODE = "MẪU01"


@dataclass
class RowResult:
    row: int
    code: str
    outcome: str = UNCHANGED
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column label, message)
    changed: list[str] = field(default_factory=list)  # model field names
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column heading, old, new) as shown
    facility: Facility | None = None

    def reject(self, key: str, message: str) -> None:
        self.outcome = REJECTED
        self.errors.append((LABELS.get(key, key), str(message)))

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields as the file's column headings, for the (Vietnamese) report."""
        return [LABELS[FIELD_COLUMN.get(name, name)] for name in self.changed]


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    file_error: str = ""
    committed: bool = False
    notes: list[str] = field(default_factory=list)  # rows read but not imported (sample, footer), and why

    @property
    def ok(self) -> bool:
        return not self.file_error and all(r.outcome != REJECTED for r in self.rows)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {o: self.count(o) for o in (CREATED, UPDATED, UNCHANGED, REJECTED)}


class _Lookups:
    """Reference data loaded once per import, matched by code or by name without diacritics."""

    def __init__(self):
        self.types = {}
        for t in FacilityType.objects.all():
            for key in (t.code, t.name, t.name_en):
                self.types[fold(key)] = t
        self.ownership = {fold(value): value for value in Ownership.values}
        self.ownership.update({fold(str(label)): value for value, label in Ownership.choices})
        self.ownership.update({fold(label): value for label, value in OWNERSHIP_ALIASES.items()})
        self.areas = {a.code: a for a in Area.objects.all()}
        self.facilities = {f.code: f for f in Facility.objects.select_related("type", "area")}


OWNERSHIP_VI = {
    Ownership.PUBLIC: "Công lập",
    Ownership.PRIVATE: "Tư nhân",
    Ownership.ARMY: "Quân đội",
    Ownership.POLICE: "Công an",
    Ownership.MINISTRY: "Bộ, ngành khác",
}
OWNERSHIP_ALIASES = {label: value for value, label in OWNERSHIP_VI.items()} | {
    "Ngoài công lập": Ownership.PRIVATE,
    "Bộ ngành khác": Ownership.MINISTRY,
}


def _text(value) -> str:
    """A cell as one-line text (for lookups: a cell that cannot be text is reported by _read)."""
    try:
        return cells.read_text(value)
    except CellError:
        return ""


def _shown(value) -> str:
    """A field's value as the preview shows it (old → new)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Area):
        return f"{value.code} – {value.name}"
    if isinstance(value, FacilityType):
        return value.name
    if value in OWNERSHIP_VI:
        return OWNERSHIP_VI[value]
    return str(value)


def _phone(value) -> str:
    """The phone as text, with the leading zero Excel drops from a number restored.

    Every Vietnamese domestic number starts with 0 (mobile 10 digits, landline 11), so a
    numeric cell of 9 or 10 digits (912345678 typed into a column formatted as Number) gets
    its zero back: "0912345678". Other numbers (84912345678) and text cells are kept as typed.
    """
    text = _text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and text.isdigit() and len(text) in (9, 10):
        return "0" + text
    return text


def _validate_row(row, lookups: _Lookups, seen: dict[str, int]) -> RowResult:
    """Every problem of the row with its column; the facility with the file's values when there is none.

    `row.values` has a key for each column in the file's header (core.spreadsheet.SheetRow), so a
    field whose column the file lacks is neither compared nor set.
    """
    values = row.values
    code = _text(values.get("code")).upper()
    result = RowResult(row=row.number, code=code)
    for key in sorted(row.formulas, key=list(LABELS).index):
        result.reject(key, _("The cell holds a formula; type the value instead."))
    if result.errors:
        return result
    for key in ("code", "name", "type", "ownership", "area_code", "area_name", "address", "head_name", "head_email"):
        try:
            cells.read_text(values.get(key))
        except CellError as exc:
            result.reject(key, exc.message)
    if result.errors:
        return result
    if code in seen:
        result.reject("code", _("Duplicate code: already on row %(row)s of this file.") % {"row": seen[code]})
        return result
    if code:
        seen[code] = row.number

    checked = _checked_values(values, lookups, result)
    new_values = {
        "code": code,
        "name": _text(values.get("name")),
        **checked,
        "address": _text(values.get("address")),
        "head_name": _text(values.get("head_name")),
        "head_phone": _phone(values.get("head_phone")),
        "head_email": _text(values.get("head_email")),
    }
    # Only the columns the file has: a file without "Số giường" must not clear the beds.
    new_values = {name: value for name, value in new_values.items() if FIELD_COLUMN.get(name, name) in values}
    existing = lookups.facilities.get(code)
    facility = existing or Facility(code=code)
    if existing:
        result.changed = [name for name in FIELDS if name in new_values and getattr(existing, name) != new_values[name]]
        result.changes = [
            (LABELS[FIELD_COLUMN.get(name, name)], _shown(getattr(existing, name)), _shown(new_values[name]))
            for name in result.changed
        ]
    for name, value in new_values.items():
        setattr(facility, name, value)
    # Fields rejected above are left out, so the model reports the row's other problems too;
    # a new area is validated above and created on commit.
    exclude = [name for name in CHECKED_FIELDS if name not in checked]
    try:
        facility.full_clean(exclude=exclude or None)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            result.reject(FIELD_COLUMN.get(key, key), " ".join(messages))
    if result.errors:
        result.errors.sort(key=lambda error: COLUMN_ORDER.get(error[0], len(COLUMN_ORDER)))
        return result
    result.facility = facility
    result.outcome = CREATED if existing is None else (UPDATED if result.changed else UNCHANGED)
    return result


def _checked_values(values: dict, lookups: _Lookups, result: RowResult) -> dict:
    """Type, ownership, area and beds read from the row; a field that fails is rejected and left out."""
    checked = {}
    facility_type = lookups.types.get(fold(_text(values.get("type"))))
    if facility_type is None:
        result.reject("type", _("Unknown facility type “%(value)s”.") % {"value": _text(values.get("type"))})
    else:
        checked["type"] = facility_type
    ownership = lookups.ownership.get(fold(_text(values.get("ownership"))))
    if ownership is None:
        result.reject("ownership", _("Unknown ownership “%(value)s”.") % {"value": _text(values.get("ownership"))})
    else:
        checked["ownership"] = ownership

    area_code, area_name = _text(values.get("area_code")), _text(values.get("area_name"))
    area = lookups.areas.get(area_code)
    if area is None and area_code:
        result.reject(
            "area_code",
            _("Unknown commune code “%(code)s”: use a code from the list of communes (sheet “Danh mục”).")
            % {"code": area_code},
        )
    elif area is None:
        result.reject("area_code", _("This field is required."))
    elif fold(area.name) != fold(area_name):
        result.reject(
            "area_name", _("Area %(code)s is “%(name)s” in the registry.") % {"code": area.code, "name": area.name}
        )
    else:
        checked["area"] = area

    try:
        checked["beds"] = _beds(values.get("beds"))
    except CellError as exc:
        result.reject("beds", exc.message)
    except ValueError:
        result.reject("beds", _("Beds must be a whole number, 0 or more."))
    return checked


def _beds(value) -> int | None:
    beds = cells.read_integer(value)
    if beds is not None and beds < 0:
        raise ValueError
    return beds


def import_facilities(file, *, by=None, commit: bool = True) -> ImportReport:
    """Validate every row; write only when no row is rejected (and `commit` is true)."""
    report = ImportReport()
    try:
        sheet = read_sheet(file, COLUMNS)
    except WorkbookError as exc:
        report.file_error = str(exc)
        return report
    report.notes = list(sheet.notes)
    lookups, seen = _Lookups(), {}
    rows = []
    for row in sheet.rows:
        if is_sample(row.values.get("code")):
            note = _("Row %(row)s is the template's sample row and is not imported.")
            report.notes.append(note % {"row": row.number})
        else:
            rows.append(row)
    if not rows:
        report.file_error = _("The file has no data rows.")
        return report
    # Validation mutates the cached facilities; registry_import writes them in one transaction.
    report.rows = [_validate_row(row, lookups, seen) for row in rows]
    if not report.ok or not commit:
        return report
    registry_import(
        facilities=[result.facility for result in report.rows if result.outcome in (CREATED, UPDATED)], by=by
    )
    report.committed = True
    return report


def template_workbook() -> Workbook:
    """The downloadable template: the expected headers, one example row, and the accepted values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cơ sở KCB"
    sheet.append([c.label for c in COLUMNS])
    example = FacilityType.objects.filter(code="health_station").first() or FacilityType.objects.first()
    area = Area.objects.order_by("code").first()
    sheet.append(
        [
            SAMPLE_CODE,
            "Dòng mẫu (không được nhập): Trạm Y tế xã Tân Hồng",
            example.name if example else "",
            "Công lập",
            area.code if area else "",
            area.name if area else "",
            "Ấp 1, xã Tân Hồng, tỉnh Đồng Tháp",
            10,
            "Nguyễn Văn A",
            "0912345678",
            "tramyte.tanhong@example.vn",
        ]
    )
    for column_cells in sheet.columns:
        sheet.column_dimensions[column_cells[0].column_letter].width = 24
    sheet.freeze_panes = "A2"
    values = workbook.create_sheet("Danh mục")
    values.append(["Loại hình", "Mã loại hình", "Hình thức sở hữu"])
    types = list(FacilityType.objects.all())
    owners = list(OWNERSHIP_VI.values())
    for index in range(max(len(types), len(owners))):
        values.append(
            [
                types[index].name if index < len(types) else None,
                types[index].code if index < len(types) else None,
                owners[index] if index < len(owners) else None,
            ]
        )
    values.column_dimensions["A"].width = 36
    values.column_dimensions["B"].width = 20
    values.column_dimensions["C"].width = 20
    values["E1"], values["F1"] = "Mã xã/phường", "Tên xã/phường"
    for index, area in enumerate(Area.objects.order_by("code"), start=2):
        values.cell(index, 5, area.code)
        values.cell(index, 6, area.name)
    values.column_dimensions["E"].width = 14
    values.column_dimensions["F"].width = 30
    return workbook
