"""Cross-check of the Ministry's list of facilities that announced EMR against the verified milestones."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.models import Status
from exports.ministry import Finding, normalise_name
from facilities.tests.factories import FacilityFactory, facility_type
from milestones.models import Milestone, MilestoneKind

D = datetime.date
URL = reverse("exports:ministry_check")


def upload(rows, headings=("STT", "Mã cơ sở", "Tên cơ sở", "Ngày công bố")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("danh-sach-bo-y-te.xlsx", buffer.getvalue())


def announced(facility, day, status=Status.APPROVED):
    return Milestone.objects.create(facility=facility, kind=MilestoneKind.ANNOUNCED, date=day, status=status)


@pytest.fixture
def province(db):
    hospital = FacilityFactory(code="82001", name="Bệnh viện Đa khoa Đồng Tháp", type=facility_type("general_hospital"))
    centre = FacilityFactory(code="82101", name="Trung tâm Y tế khu vực Cao Lãnh")
    station = FacilityFactory(code="82221", name="Trạm Y tế xã Tân Hồng", national_id="8222100000001")
    unlisted = FacilityFactory(code="82401", name="Phòng khám Đa khoa An Phước")
    FacilityFactory(code="82301", name="Trạm Y tế xã Bình Thành")
    FacilityFactory(code="82302", name="Trạm Y tế xã Bình Thành")  # the same name in two communes
    announced(hospital, D(2026, 9, 20))
    announced(centre, D(2026, 9, 25))
    announced(station, D(2026, 9, 28), status=Status.SUBMITTED)  # not verified yet
    announced(unlisted, D(2026, 9, 29))
    return {"hospital": hospital, "centre": centre, "station": station, "unlisted": unlisted}


def findings(response) -> dict:
    result = response.context["result"]
    return {(d.row, d.finding): d for d in result.differences}


def test_matches_by_code_and_by_a_name_written_differently(province, officer_client):
    response = officer_client.post(
        URL,
        {
            "file": upload(
                [
                    (1, "82001", "BV Đa khoa Đồng Tháp", "20/09/2026"),  # code and date agree
                    (2, "", "TTYT KV Cao Lãnh", "25/09/2026"),  # name with abbreviations, date agrees
                ]
            )
        },
    )
    result = response.context["result"]
    assert (result.rows, result.agreed) == (2, 2)
    assert [(d.finding, d.facility.code) for d in result.differences] == [(Finding.NOT_ON_LIST, "82401")]


def test_differences_with_the_announced_milestones(province, officer_client):
    response = officer_client.post(
        URL,
        {
            "file": upload(
                [
                    (1, "82001", "Bệnh viện Đa khoa Đồng Tháp", D(2026, 9, 21)),  # a real date cell, one day off
                    (2, "8222100000001", "Trạm Y tế Tân Hồng", "28/09/2026"),  # national id; not verified
                    (3, "99999", "Bệnh viện Tư nhân Sa Đéc", "01/10/2026"),  # no such facility
                    (4, "", "Trạm Y tế xã Bình Thành", "30/09/2026"),  # two facilities have that name
                    (5, "82101", "", "ngày 25"),  # unreadable date
                ]
            )
        },
    )
    found = findings(response)
    assert found[(2, Finding.DATE_DIFFERS)].portal_date == D(2026, 9, 20)
    assert found[(2, Finding.DATE_DIFFERS)].listed_date == D(2026, 9, 21)
    assert found[(3, Finding.NOT_VERIFIED)].facility == province["station"]
    assert found[(4, Finding.NOT_FOUND)].listed_name == "Bệnh viện Tư nhân Sa Đéc"
    assert (5, Finding.AMBIGUOUS) in found
    assert (6, Finding.BAD_DATE) in found
    assert found[(None, Finding.NOT_ON_LIST)].facility == province["unlisted"]
    assert response.context["result"].agreed == 0
    assert "Ngày công bố khác nhau" in response.content.decode()


def test_a_file_without_the_date_column_says_so(province, officer_client):
    response = officer_client.post(URL, {"file": upload([(1, "82001")], headings=("STT", "Mã cơ sở"))})
    assert "Ngày công bố" in str(response.context["form"].errors["file"])
    assert response.context["result"] is None


def test_only_officers_check_the_list(province, staff_client):
    assert staff_client.get(URL).status_code == 403


def test_normalised_names():
    assert normalise_name("BV ĐK Đồng Tháp") == normalise_name("Bệnh viện Đa khoa Đồng Tháp")
    assert normalise_name("TYT xã Tân Hồng") == normalise_name("Trạm Y tế xã Tân Hồng")
