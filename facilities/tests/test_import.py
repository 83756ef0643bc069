import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.tests.workbooks import DAMAGES, damaged
from facilities.imports import COLUMNS, import_facilities
from facilities.models import Facility
from facilities.tests.factories import AreaFactory, FacilityFactory

HEADER = [c.label for c in COLUMNS]
NOT_A_SPREADSHEET = (
    "Không đọc được tệp này như một bảng tính. Chấp nhận tệp Excel (.xlsx, .xls), OpenDocument (.ods) "
    "và CSV (.csv, UTF-8)."
)
# Tuples, so a test that changes a row must copy it and cannot leak the change into the next tests.
GOOD_ROWS = (
    ("82001", "Bệnh viện Đa khoa Đồng Tháp", "Bệnh viện đa khoa tỉnh", "Công lập", "28013", "Phường Cao Lãnh",
     "Số 144 Mai Văn Khải", 880, "Nguyễn Văn Hòa", "0912345678", "bvdk@example.vn"),
    ("82221", "Trạm Y tế xã Tân Hồng", "health_station", "public", "28121", "Xã Tân Hồng",
     "Ấp 1", 5, "Đặng Hữu Phúc", "+84 277 3821 111", ""),
)  # fmt: skip


@pytest.fixture(autouse=True)
def _areas(db):
    """The communes of GOOD_ROWS: the registry's areas come from the administrative list, not from imports."""
    AreaFactory(code="28013", name="Phường Cao Lãnh", kind="phuong")
    AreaFactory(code="28121", name="Xã Tân Hồng")


def workbook_file(rows, header=HEADER, name="registry.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def outcomes(report):
    return [(r.row, r.outcome) for r in report.rows]


def test_good_file_creates_facilities_in_their_areas(db):
    report = import_facilities(workbook_file(GOOD_ROWS))
    assert report.committed
    assert outcomes(report) == [(2, "created"), (3, "created")]
    hospital = Facility.objects.get(code="82001")
    assert hospital.type.code == "general_hospital"
    assert hospital.area.code == "28013"
    assert hospital.beds == 880
    assert Facility.objects.get(code="82221").head_phone == "+84 277 3821 111"


def test_reimporting_the_same_file_changes_nothing(db):
    import_facilities(workbook_file(GOOD_ROWS))
    history_rows = Facility.history.count()
    report = import_facilities(workbook_file(GOOD_ROWS))
    assert outcomes(report) == [(2, "unchanged"), (3, "unchanged")]
    assert Facility.history.count() == history_rows


def test_changed_row_is_updated_with_history(db):
    import_facilities(workbook_file(GOOD_ROWS))
    rows = [list(GOOD_ROWS[0]), GOOD_ROWS[1]]
    rows[0][7] = 900
    report = import_facilities(workbook_file(rows))
    assert outcomes(report) == [(2, "updated"), (3, "unchanged")]
    assert report.rows[0].changed == ["beds"]
    facility = Facility.objects.get(code="82001")
    assert facility.beds == 900
    assert facility.history.first().history_change_reason == "import"


def test_duplicate_codes_in_one_file_reject_everything(db):
    report = import_facilities(workbook_file([GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0]]))
    assert not report.committed
    assert report.rows[2].outcome == "rejected"
    assert report.rows[2].errors == [("Mã cơ sở", "Trùng mã: đã có ở dòng 2 của tệp.")]
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "label"),
    [
        (2, "Bệnh viện vũ trụ", "Loại hình"),
        (3, "Hợp tác xã", "Hình thức sở hữu"),
        (10, "khong-phai-email", "Email người đứng đầu"),
        (0, "8200", "Mã cơ sở"),
        (7, -3, "Số giường"),
        (2, '=CONCAT("Bệnh","viện")', "Loại hình"),
    ],
)
def test_a_bad_value_is_rejected_with_its_column_and_nothing_is_saved(db, column, value, label):
    rows = [list(GOOD_ROWS[0]), GOOD_ROWS[1]]
    rows[0][column] = value
    report = import_facilities(workbook_file(rows))
    assert report.rows[0].outcome == "rejected"
    assert [c for c, _ in report.rows[0].errors] == [label]
    assert report.rows[1].outcome == "created"  # valid, but not saved because another row failed
    assert not report.committed
    assert not Facility.objects.exists()


def test_formula_cells_are_rejected_not_evaluated(db):
    rows = [list(GOOD_ROWS[0])]
    rows[0][1] = '=HYPERLINK("http://x","y")'
    report = import_facilities(workbook_file(rows))
    assert report.rows[0].errors == [("Tên cơ sở", "Ô chứa công thức; hãy nhập giá trị.")]
    assert not Facility.objects.exists()


def test_text_that_only_looks_like_a_formula_is_kept_as_text(db):
    rows = [list(GOOD_ROWS[0])]
    rows[0][6] = "-Ấp 3 (cũ)"
    import_facilities(workbook_file(rows))
    assert Facility.objects.get(code="82001").address == "-Ấp 3 (cũ)"


def test_headers_match_without_diacritics_or_case(db):
    header = [h.upper() for h in ["ma co so", "ten co so", "loai hinh", "hinh thuc so huu", "ma xa/phuong",
                                  "ten xa/phuong", "dia chi", "so giuong", "ho ten thu truong",
                                  "dien thoai thu truong", "email thu truong"]]  # fmt: skip
    report = import_facilities(workbook_file(GOOD_ROWS, header=header))
    assert report.committed


def test_vietnamese_diacritics_survive_the_round_trip(db):
    import_facilities(workbook_file(GOOD_ROWS))
    assert Facility.objects.get(code="82221").name == "Trạm Y tế xã Tân Hồng"
    assert Facility.objects.search("tram y te xa tan hong").count() == 1


def test_missing_required_column_rejects_the_file(db):
    report = import_facilities(workbook_file([row[1:] for row in GOOD_ROWS], header=HEADER[1:]))
    assert report.file_error.startswith("Hàng tiêu đề (dòng 1) thiếu cột bắt buộc: Mã cơ sở.")
    assert not Facility.objects.exists()


def test_empty_file_is_rejected(db):
    assert import_facilities(workbook_file([])).file_error == "Tệp không có dòng dữ liệu nào."
    assert import_facilities(workbook_file([], header=None)).file_error


def test_a_file_that_is_not_excel_is_rejected(db):
    report = import_facilities(SimpleUploadedFile("registry.xlsx", b"%PDF-1.4 not a workbook"))
    assert report.file_error == NOT_A_SPREADSHEET


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_workbook_is_rejected_not_a_server_error(officer_client, damage):
    content = damaged(workbook_file(GOOD_ROWS).read(), damage)
    report = import_facilities(SimpleUploadedFile("registry.xlsx", content))
    assert report.file_error == NOT_A_SPREADSHEET
    upload = SimpleUploadedFile("registry.xlsx", content)
    response = officer_client.post(reverse("facilities:import"), {"file": upload})
    assert response.status_code == 200 and NOT_A_SPREADSHEET in response.content.decode()
    assert not Facility.objects.exists()


def test_area_name_must_match_an_existing_code(db):
    rows = [list(GOOD_ROWS[0])]
    rows[0][5] = "Phường Mỹ Tho"
    report = import_facilities(workbook_file(rows))
    assert report.rows[0].errors[0][0] == "Tên xã/phường"


def test_existing_facility_is_updated_not_duplicated(db):
    FacilityFactory(code="82001", name="Tên cũ")
    report = import_facilities(workbook_file([GOOD_ROWS[0]]))
    assert outcomes(report) == [(2, "updated")]
    assert Facility.objects.filter(code="82001").count() == 1


def test_dry_run_saves_nothing(db):
    report = import_facilities(workbook_file(GOOD_ROWS), commit=False)
    assert report.ok and not report.committed
    assert not Facility.objects.exists()


def test_upload_page_shows_the_row_report_in_vietnamese(officer_client):
    rows = [list(GOOD_ROWS[0])]
    rows[0][2] = "Bệnh viện vũ trụ"
    response = officer_client.post(reverse("facilities:import"), {"file": workbook_file(rows)})
    body = response.content.decode()
    assert "Không có gì được lưu" in body
    assert "Loại hình" in body and "Bệnh viện vũ trụ" in body


def test_upload_page_is_for_officers_only(staff_client):
    assert staff_client.get(reverse("facilities:import")).status_code == 403


def test_template_download_has_the_expected_columns(officer_client):
    response = officer_client.get(reverse("facilities:import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    # The template's sample row is never imported.
    report = import_facilities(SimpleUploadedFile("t.xlsx", response.content))
    assert report.file_error == "Tệp không có dòng dữ liệu nào."
    assert not Facility.objects.exists()


def test_command_imports_and_reports(db, tmp_path, capsys):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(workbook_file(GOOD_ROWS).read())
    call_command("import_facilities", str(path))
    assert "created 2" in capsys.readouterr().out
    assert Facility.objects.count() == 2


def test_command_fails_and_saves_nothing_on_a_rejected_row(db, tmp_path):
    rows = [GOOD_ROWS[0], list(GOOD_ROWS[1])]
    rows[1][3] = "Hợp tác xã"
    path = tmp_path / "registry.xlsx"
    path.write_bytes(workbook_file(rows).read())
    with pytest.raises(CommandError, match="Nothing saved"):
        call_command("import_facilities", str(path))
    assert not Facility.objects.exists()


def test_a_file_with_only_the_required_columns_leaves_the_other_fields_alone(db):
    import_facilities(workbook_file(GOOD_ROWS))
    history_rows = Facility.history.count()
    required = [c.label for c in COLUMNS if c.required]
    report = import_facilities(workbook_file([row[: len(required)] for row in GOOD_ROWS], header=required))
    assert outcomes(report) == [(2, "unchanged"), (3, "unchanged")]
    assert Facility.history.count() == history_rows
    hospital = Facility.objects.get(code="82001")
    assert (hospital.address, hospital.beds, hospital.head_name, hospital.head_phone, hospital.head_email) == (
        "Số 144 Mai Văn Khải", 880, "Nguyễn Văn Hòa", "0912345678", "bvdk@example.vn"
    )  # fmt: skip


def test_a_partial_file_updates_only_its_own_columns(db):
    import_facilities(workbook_file(GOOD_ROWS))
    header = [*HEADER[:6], "Số giường"]
    row = [*GOOD_ROWS[0][:6], 900]
    report = import_facilities(workbook_file([row], header=header))
    assert outcomes(report) == [(2, "updated")]
    assert report.rows[0].changed == ["beds"]
    hospital = Facility.objects.get(code="82001")
    assert (hospital.beds, hospital.address, hospital.head_email) == (900, "Số 144 Mai Văn Khải", "bvdk@example.vn")


def test_an_empty_cell_in_a_column_the_file_has_clears_the_field(db):
    import_facilities(workbook_file(GOOD_ROWS))
    rows = [list(GOOD_ROWS[0])]
    rows[0][6] = None
    assert outcomes(import_facilities(workbook_file(rows))) == [(2, "updated")]
    assert Facility.objects.get(code="82001").address == ""


def test_a_row_reports_every_problem_with_its_column(db):
    rows = [list(GOOD_ROWS[0])]
    rows[0][1] = None
    rows[0][2] = "Bệnh viện vũ trụ"
    rows[0][10] = "khong-phai-email"
    report = import_facilities(workbook_file(rows))
    assert report.rows[0].outcome == "rejected"
    errors = dict(report.rows[0].errors)
    assert list(errors) == ["Tên cơ sở", "Loại hình", "Email người đứng đầu"]  # in the file's column order
    assert errors["Loại hình"] == "Không có loại hình “Bệnh viện vũ trụ”."
    assert errors["Tên cơ sở"] == "Cần điền mục này."  # Django's own message, in the portal's Vietnamese
    assert not Facility.objects.exists()


def test_an_existing_facility_reports_every_problem_too(db):
    import_facilities(workbook_file(GOOD_ROWS))
    rows = [list(GOOD_ROWS[0])]
    rows[0][3], rows[0][7], rows[0][10] = "Hợp tác xã", -1, "khong-phai-email"
    report = import_facilities(workbook_file(rows))
    assert [column for column, _ in report.rows[0].errors] == ["Hình thức sở hữu", "Số giường", "Email người đứng đầu"]
    hospital = Facility.objects.get(code="82001")
    assert (hospital.ownership, hospital.beds, hospital.head_email) == ("public", 880, "bvdk@example.vn")


def test_upload_page_names_the_changed_columns_in_vietnamese(officer_client):
    import_facilities(workbook_file(GOOD_ROWS))
    rows = [list(GOOD_ROWS[0])]
    rows[0][7], rows[0][10] = 900, "giamdoc@example.vn"
    body = officer_client.post(reverse("facilities:import"), {"file": workbook_file(rows)}).content.decode()
    assert '<div class="change"><strong>Số giường</strong>: 880 → 900</div>' in body
    assert "<strong>Email người đứng đầu</strong>: bvdk@example.vn → giamdoc@example.vn" in body
    assert "head_email" not in body


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        (912345678, "0912345678"),  # a mobile number typed into a Number column
        (2773821111, "02773821111"),  # a landline with its area code
        (84912345678, "84912345678"),  # with the country code: no zero to restore
        ("0912345678", "0912345678"),
    ],
)
def test_a_phone_typed_as_a_number_keeps_its_leading_zero(db, cell, stored):
    rows = [list(GOOD_ROWS[0])]
    rows[0][9] = cell
    import_facilities(workbook_file(rows))
    assert Facility.objects.get(code="82001").head_phone == stored


def test_a_numeric_phone_matching_the_registry_is_unchanged(db):
    import_facilities(workbook_file([GOOD_ROWS[0]]))
    rows = [list(GOOD_ROWS[0])]
    rows[0][9] = 912345678
    assert outcomes(import_facilities(workbook_file(rows))) == [(2, "unchanged")]


def test_the_confirmed_import_records_the_officer_in_the_created_rows_history(officer_client, officer):
    preview = officer_client.post(reverse("facilities:import"), {"file": workbook_file(GOOD_ROWS)})
    assert not Facility.objects.exists()  # the preview saves nothing
    token = preview.context["token"]
    response = officer_client.post(reverse("facilities:import_commit"), {"token": token}, follow=True)
    assert "Đã lưu dữ liệu nhập: tạo mới 2, cập nhật 0, không đổi 0." in response.content.decode()
    created = Facility.history.filter(history_type="+")
    assert sorted(created.values_list("code", flat=True)) == ["82001", "82221"]
    assert {(row.history_user, row.history_change_reason) for row in created} == {(officer, "import")}
