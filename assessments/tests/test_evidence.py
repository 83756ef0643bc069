"""Evidence files: checked by content, size-limited, stored under MEDIA_ROOT with a random name, served only
through the scoped view."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Criterion, Evidence, Status

from .factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES, EvidenceFactory

pytestmark = pytest.mark.django_db
REFUSED = "Chỉ nhận tệp PDF, PNG, JPEG, DOCX hoặc XLSX (kiểm tra theo nội dung tệp, không theo tên tệp)."


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Kiểm kê máy trạm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, assessment, name, content, **data):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("assessments:evidence_upload", args=[assessment.pk]), {"file": file, **data})


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("Quyết định 45.pdf", PDF_BYTES, "application/pdf"),
        ("so-do-mang.png", PNG_BYTES, "image/png"),
        ("anh-phong-may.jpeg", JPEG_BYTES, "image/jpeg"),
        ("quy-che.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("kiem-ke.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_accepted_types_are_stored_under_media_root_with_a_random_name(
    staff_client, assessment, settings, name, content, mime
):
    response = upload(staff_client, assessment, name, content)
    assert response.status_code == 302
    evidence = Evidence.objects.get(assessment=assessment)
    assert (evidence.original_name, evidence.content_type, evidence.size) == (name, mime, len(content))
    stored = Path(evidence.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "evidence" / assessment.facility.code)
    assert name.rsplit(".", 1)[0] not in stored.name and stored.suffix == ""
    assert stored.read_bytes() == content
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))


@pytest.mark.parametrize(
    "content",
    [b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, b"<?php echo 1; ?>"],
)
def test_a_renamed_executable_is_refused(staff_client, assessment, content):
    response = upload(staff_client, assessment, "bien-ban.pdf", content)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversize_file_is_refused(staff_client, assessment, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = upload(staff_client, assessment, "lon.pdf", PDF_BYTES + b"0" * 2000)
    body = response.content.decode()
    assert "vượt quá giới hạn" in body
    assert not Evidence.objects.exists()


def test_the_limit_defaults_to_10_mb(settings):
    assert settings.EVIDENCE_MAX_BYTES == 10 * 1024 * 1024


def test_a_pdf_named_exe_is_downloaded_as_pdf(staff_client, assessment):
    upload(staff_client, assessment, "bao-cao.exe", PDF_BYTES)
    assert Evidence.objects.get().original_name == "bao-cao.exe.pdf"


def test_upload_tied_to_a_criterion_shows_next_to_it(staff_client, assessment):
    criterion = Criterion.objects.get(group__catalogue=assessment.catalogue, code="A7")
    upload(staff_client, assessment, "QĐ sử dụng HSBA.pdf", PDF_BYTES, criterion=criterion.pk)
    evidence = Evidence.objects.get()
    assert evidence.criterion == criterion
    body = staff_client.get(reverse("assessments:edit", args=[assessment.pk])).content.decode()
    assert reverse("assessments:evidence", args=[evidence.pk]) in body.split('id="crit-A7"')[1].split('id="crit-A8"')[0]


def test_upload_form_preselects_the_criterion(staff_client, assessment):
    criterion = Criterion.objects.get(group__catalogue=assessment.catalogue, code="A7")
    url = reverse("assessments:evidence_upload", args=[assessment.pk]) + f"?criterion={criterion.pk}"
    assert f'<option value="{criterion.pk}" selected>' in staff_client.get(url).content.decode()


def test_own_evidence_downloads_as_an_attachment(staff_client, assessment):
    evidence = EvidenceFactory(assessment=assessment, original_name="Quyết định 45.pdf")
    response = staff_client.get(reverse("assessments:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%2045.pdf" in response["Content-Disposition"]


def test_another_facility_evidence_answers_404(staff_client, other_assessment):
    evidence = EvidenceFactory(assessment=other_assessment)
    assert staff_client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 404
    assert staff_client.post(reverse("assessments:evidence_delete", args=[evidence.pk])).status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_anonymous_is_sent_to_login(client, assessment):
    evidence = EvidenceFactory(assessment=assessment)
    response = client.get(reverse("assessments:evidence", args=[evidence.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_officers_and_leadership_download_any_facility_evidence(officer_client, assessment, leadership):
    evidence = EvidenceFactory(assessment=assessment)
    assert officer_client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 200
    officer_client.force_login(leadership)
    assert officer_client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 200


def test_officers_cannot_upload_or_remove(officer_client, assessment):
    evidence = EvidenceFactory(assessment=assessment)
    assert upload(officer_client, assessment, "x.pdf", PDF_BYTES).status_code == 403
    assert officer_client.post(reverse("assessments:evidence_delete", args=[evidence.pk])).status_code == 403


def test_members_remove_a_file_from_a_draft(staff_client, assessment, django_capture_on_commit_callbacks):
    upload(staff_client, assessment, "nham.pdf", PDF_BYTES)
    evidence = Evidence.objects.get()
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("assessments:evidence_delete", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not path.exists()
    assert Evidence.history.filter(id=evidence.pk, history_type="-").exists()


def test_no_upload_once_submitted(staff_client, assessment):
    assessment.status = Status.SUBMITTED
    assessment.save()
    response = upload(staff_client, assessment, "muon.pdf", PDF_BYTES)
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    assert not Evidence.objects.exists()


def macro_docx_bytes(*, declared: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        types = "application/vnd.ms-word.document.macroEnabled.main+xml" if declared else "x"
        archive.writestr(
            "[Content_Types].xml", f'<?xml version="1.0"?><Types><Override ContentType="{types}"/></Types>'
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if not declared:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buffer.getvalue()


@pytest.mark.parametrize("declared", [False, True])
def test_an_office_file_carrying_macros_is_refused(staff_client, assessment, declared):
    response = upload(staff_client, assessment, "quy-che.docx", macro_docx_bytes(declared=declared))
    assert response.status_code == 200
    assert "macro" in response.context["form"].errors["file"][0]
    assert not assessment.evidence.exists()


def test_an_upload_over_the_limit_is_refused_from_its_content_length(staff_client, assessment, settings):
    """100 MB announced: refused with 413 before a byte of the body is read (the body here is not even sent)."""
    settings.EVIDENCE_MAX_BYTES = 1024
    url = reverse("assessments:evidence_upload", args=[assessment.pk])
    response = staff_client.generic(
        "POST",
        url,
        b"--BoUnDaRy\r\n",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(100 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "1,0" in response.content.decode() or "1.0" in response.content.decode()
    assert not assessment.evidence.exists()


def test_an_upload_growing_past_the_limit_is_stopped_while_streaming(staff_client, assessment, settings, monkeypatch):
    """A body whose Content-Length is within the allowance but whose file is not: the handler stops it."""
    from core import upload_limits as uploads

    settings.EVIDENCE_MAX_BYTES = 1024
    monkeypatch.setattr(uploads, "FORM_ALLOWANCE", 1024 * 1024)
    seen = []
    original = uploads.LimitedUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        seen.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(uploads.LimitedUploadHandler, "receive_data_chunk", spy)
    response = upload(staff_client, assessment, "lon.pdf", PDF_BYTES + b"0" * 200_000)
    assert response.status_code == 413
    assert sum(seen) < 200_000
    assert not assessment.evidence.exists()


def test_other_uploads_have_the_general_limit(officer_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = officer_client.generic(
        "POST",
        reverse("facilities:import"),
        b"--BoUnDaRy\r\n",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_uploading_from_the_edit_page_answers_the_evidence_card_without_leaving_it(staff_client, assessment):
    criterion = Criterion.objects.filter(group__catalogue=assessment.catalogue).get(code="A7")
    file = SimpleUploadedFile("QĐ 45.pdf", PDF_BYTES, content_type="application/pdf")
    response = staff_client.post(
        reverse("assessments:evidence_upload", args=[assessment.pk]),
        {"file": file, "criterion": criterion.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="evidence-card"' in page and "QĐ 45.pdf" in page
    assert 'id="evidence-for-A7" hx-swap-oob="true"' in page
    evidence = Evidence.objects.get(assessment=assessment)
    response = staff_client.post(
        reverse("assessments:evidence_delete", args=[evidence.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "QĐ 45.pdf" not in response.content.decode()


def test_a_refused_upload_from_the_edit_page_shows_the_reason_in_the_card(staff_client, assessment):
    file = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10, content_type="application/octet-stream")
    response = staff_client.post(
        reverse("assessments:evidence_upload", args=[assessment.pk]), {"file": file}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not Evidence.objects.filter(assessment=assessment).exists()
