"""The registry import fed the files clerks make, and what it must never do to real data."""

import datetime
import io
import unicodedata
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.tests.workbooks import MAKERS, xlsx_bytes
from facilities.imports import COLUMNS, import_facilities
from facilities.models import Area, Facility
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type

HEADER = [c.label for c in COLUMNS]
FILES = Path(__file__).parent / "files"
NFD = unicodedata.normalize("NFD", "Trạm Y tế xã Tân Hồng")
ROW = ["82221", NFD, "Trạm y tế xã, phường, đặc khu", "Công lập", "28121", "Xã Tân Hồng", " Ấp 1 ", "1.200",
       "Đặng Hữu Phúc", "0912345678", ""]  # fmt: skip


@pytest.fixture(autouse=True)
def _area(db):
    AreaFactory(code="28121", name="Xã Tân Hồng")


def upload(content: bytes):
    return SimpleUploadedFile("danh-sach.xlsx", content)


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "csv"])
def test_a_registry_file_in_any_format_with_titles_and_footer_is_stored_in_nfc(kind):
    row = list(ROW)
    row[2] = facility_type("health_station").name
    content = MAKERS[kind](
        [
            ["DANH SÁCH CƠ SỞ KHÁM BỆNH, CHỮA BỆNH"] + [None] * 10,
            [None] * 11,
            HEADER,
            row,
            ["Người lập biểu"] + [None] * 10,
        ]
    )
    report = import_facilities(upload(content))
    assert report.committed, (report.file_error, [r.errors for r in report.rows])
    station = Facility.objects.get(code="82221")
    assert station.name == "Trạm Y tế xã Tân Hồng" and unicodedata.is_normalized("NFC", station.name)
    assert station.address == "Ấp 1"
    assert station.beds == 1200  # "1.200" as text, as the monthly import reads it
    assert Facility.objects.search("tan hong").get() == station  # found by search: NFC matches


def test_the_templates_sample_row_never_touches_a_real_facility(officer_client):
    hospital = FacilityFactory(code="82001", name="Bệnh viện Đa khoa Đồng Tháp")
    template = officer_client.get(reverse("facilities:import_template")).content
    # A clerk fills in the template below its sample row and uploads it, sample row included.

    workbook = load_workbook(io.BytesIO(template))
    row = list(ROW)
    row[2] = facility_type("health_station").name
    workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    report = import_facilities(upload(out.getvalue()))
    assert report.committed, [r.errors for r in report.rows]
    assert [r.code for r in report.rows] == ["82221"]
    assert report.notes == ["Dòng 2 là dòng mẫu của tệp mẫu, không được nhập."]
    hospital.refresh_from_db()
    assert hospital.name == "Bệnh viện Đa khoa Đồng Tháp" and hospital.history.count() == 1


def test_an_unknown_commune_code_is_refused_not_created(db):
    row = list(ROW)
    row[2], row[4] = facility_type("health_station").name, "29999"
    report = import_facilities(upload(xlsx_bytes([HEADER, row])))
    assert not report.committed
    assert report.rows[0].errors == [
        ("Mã xã/phường", "Không có mã xã/phường “29999”: hãy dùng mã trong danh sách xã/phường (trang “Danh mục”).")
    ]
    assert not Area.objects.filter(code="29999").exists()


def test_the_preview_shows_old_and_new_and_the_counts_then_commits_without_uploading_again(officer_client):
    FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng", area=Area.objects.get(code="28121"), beds=5)
    row = list(ROW)
    row[2] = facility_type("health_station").name
    response = officer_client.post(reverse("facilities:import"), {"file": upload(xlsx_bytes([HEADER, row]))})
    body = response.content.decode()
    assert "Tạo mới 0, cập nhật 1, không đổi 0, bị từ chối 0." in body
    assert "<strong>Số giường</strong>: 5 → 1200" in body
    assert Facility.objects.get(code="82221").beds == 5  # nothing saved by the preview
    confirmed = officer_client.post(reverse("facilities:import_commit"), {"token": response.context["token"]})
    assert confirmed.status_code == 302
    assert Facility.objects.get(code="82221").beds == 1200


def test_text_in_tcvn3_is_refused_saying_which_encoding(db):
    row = list(ROW)
    row[1], row[2] = "Tr¹m Y tÕ x· T©n Hång", facility_type("health_station").name
    report = import_facilities(upload(xlsx_bytes([HEADER, row])))
    ((column, message),) = report.rows[0].errors
    assert column == "Tên cơ sở" and "TCVN3" in message and "Unikey" in message


CELL_TYPES = ["chữ bất kỳ", datetime.datetime(2026, 10, 15), True, 1e300, -5, 46218, 12.75, None, "=1+1"]


def test_every_column_takes_every_cell_type_with_a_row_message_never_an_exception(db):
    for index, column in enumerate(COLUMNS):
        for value in CELL_TYPES:
            row = list(ROW)
            row[2] = facility_type("health_station").name
            row[index] = value
            report = import_facilities(upload(xlsx_bytes([HEADER, row])), commit=False)
            if report.file_error:
                assert column.key == "code" and value is None, (column.label, value)  # no data row left
                continue
            (result,) = report.rows
            if result.outcome == "rejected":
                assert result.errors and all(message for _column, message in result.errors), (column.label, value)


# Made the way a clerk makes them: the rows typed as text (files/so-dang-ky.csv, the first name in
# decomposed Unicode as some keyboards write it) and opened in LibreOffice Calc 7.4 with Vietnamese
# settings, then saved as .xlsx and .ods:
#   soffice --headless --infilter="CSV:59,34,76,1,,1066,false,true" --convert-to xlsx files/so-dang-ky.csv
# (1066 is vi-VN: Calc stores "1.200" as 1200 and the codes and phone numbers as numbers, dropping the
# phones' leading zero; the decomposed name is kept as typed.)
@pytest.mark.parametrize("name", ["so-dang-ky.xlsx", "so-dang-ky.ods"])
def test_a_file_saved_by_libreoffice_calc_in_vietnamese_is_read_as_typed(name):
    report = import_facilities(FILES / name)
    assert report.committed, (report.file_error, [r.errors for r in report.rows])
    station, clinic = Facility.objects.filter(code__in=["82301", "82302"]).order_by("code")
    assert station.name == "Trạm Y tế xã Tân Hồng" and unicodedata.is_normalized("NFC", station.name)
    assert (station.beds, station.head_phone, station.area.code) == (1200, "0912345678", "28121")
    assert (clinic.beds, clinic.head_phone, clinic.type.code) == (25, "02773851234", "private_clinic")
