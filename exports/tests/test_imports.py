"""Large imports: the web request keeps the file and queues a job; the worker checks it, previews it and, once
confirmed by its user, commits it all or nothing."""

import datetime
import time
import tracemalloc
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.import_jobs import import_start
from core.models import ImportJob, JobStatus
from core.spreadsheet import MAX_ROWS
from core.tests.factories import ImportJobFactory
from exports import imports
from exports.models import ExportStatus
from facilities.imports import COLUMNS
from facilities.models import Facility
from facilities.tests.factories import AreaFactory, FacilityFactory, facility_type

HEADER = ",".join(c.label for c in COLUMNS[:6])


def registry_csv(count: int, bad_row: int | None = None) -> SimpleUploadedFile:
    """A registry file of `count` new health stations in one commune; `bad_row` (1-based) gets an unknown type."""
    lines = [HEADER]
    for n in range(1, count + 1):
        kind = "Không có loại này" if n == bad_row else "health_station"
        lines.append(f"{90000 + n},Trạm Y tế số {n},{kind},Công lập,28121,Xã Tân Hồng")
    return SimpleUploadedFile("registry.csv", ("\n".join(lines) + "\n").encode())


@pytest.fixture
def area(db):
    return AreaFactory(code="28121", name="Xã Tân Hồng")


def wait_for(job: ImportJob, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"import still {job.status} after {timeout} s")


@pytest.mark.broker
def test_a_real_worker_previews_a_large_registry_import_and_commits_it_once_confirmed(
    celery_worker, client, settings, area
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    FacilityFactory(code="90001", name="Trạm Y tế cũ", area=area, type=facility_type("health_station"))
    officer = UserFactory(officer=True)
    client.force_login(officer)
    response = client.post(reverse("facilities:import"), {"file": registry_csv(30)})
    job = ImportJob.objects.get(user=officer)
    assert response["Location"] == job.get_absolute_url()

    job = wait_for(job)
    assert job.status == JobStatus.CHECKED and not job.committed
    assert Facility.objects.filter(code__startswith="900").count() == 1  # the preview saves nothing
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp hợp lệ; chưa lưu gì." in page and "Tạo mới 29, cập nhật 1, không đổi 0, bị từ chối 0." in page
    assert "Trạm Y tế cũ → Trạm Y tế số 1" in page

    client.post(reverse("exports:import_confirm", args=[job.pk]))
    job = wait_for(job)
    assert job.status == JobStatus.READY and job.committed
    assert Facility.objects.filter(code__startswith="900").count() == 30
    assert Facility.objects.get(code="90001").name == "Trạm Y tế số 1"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Đã lưu: 30 dòng." in page and "Tạo mới 29, cập nhật 1, không đổi 0." in page


def checked_job(officer_client, officer, file) -> ImportJob:
    """A large import previewed by the worker's check (what the task runs; the test above drives a real worker)."""
    officer_client.post(reverse("facilities:import"), {"file": file})
    job = ImportJob.objects.get(user=officer)
    return imports.import_run(job_id=job.pk)


def test_a_change_after_the_preview_refuses_the_whole_file_and_says_so(officer_client, officer, settings, area):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    station = FacilityFactory(code="90001", name="Trạm Y tế cũ", area=area, type=facility_type("health_station"))
    job = checked_job(officer_client, officer, registry_csv(30))
    assert job.status == JobStatus.CHECKED
    station.head_name = "Người vừa sửa"
    station.name = "Tên do người khác vừa sửa"
    station.save()

    officer_client.post(reverse("exports:import_confirm", args=[job.pk]))
    job = imports.import_run(job_id=job.pk)
    assert job.status == JobStatus.READY and not job.committed and job.result["changed_since_preview"]
    assert Facility.objects.count() == 1 and Facility.objects.get().name == "Tên do người khác vừa sửa"
    page = officer_client.get(job.get_absolute_url()).content.decode()
    assert "dữ liệu đã thay đổi sau lần xem trước" in page
    assert "Tên do người khác vừa sửa → Trạm Y tế số 1" in page  # the new preview, against today's data


def test_only_the_jobs_user_can_confirm_it_and_only_once(officer_client, officer, settings, area):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    job = checked_job(officer_client, officer, registry_csv(12))
    other = Client()
    other.force_login(UserFactory(officer=True))
    assert other.post(reverse("exports:import_confirm", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED and job.confirmed_at is None
    officer_client.post(reverse("exports:import_confirm", args=[job.pk]))
    imports.import_run(job_id=job.pk)
    response = officer_client.post(reverse("exports:import_confirm", args=[job.pk]), follow=True)
    assert "Lần nhập này không chờ xác nhận." in response.content.decode()
    assert imports.import_run(job_id=job.pk) is None and Facility.objects.count() == 12


def test_a_confirmation_after_the_upload_expired_saves_nothing_and_says_why(officer_client, officer, settings, area):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    job = checked_job(officer_client, officer, registry_csv(12))
    for upload in (Path(settings.MEDIA_ROOT) / "imports" / str(officer.pk)).glob("*.upload"):
        upload.unlink()
    officer_client.post(reverse("exports:import_confirm", args=[job.pk]))
    job = imports.import_run(job_id=job.pk)
    assert job.status == JobStatus.FAILED and not Facility.objects.exists()
    assert "Tệp đã tải lên chỉ được giữ một ngày" in officer_client.get(job.get_absolute_url()).content.decode()


def test_a_large_file_with_one_bad_row_saves_nothing_and_reports_the_row(officer_client, officer, settings, area):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    officer_client.post(reverse("facilities:import"), {"file": registry_csv(30, bad_row=17)})
    job = ImportJob.objects.get(user=officer)
    assert job.status == ExportStatus.PENDING and not Facility.objects.exists()
    imports.import_run(job_id=job.pk)  # what the task runs (the test above drives a real worker)
    job.refresh_from_db()
    assert job.status == ExportStatus.READY and not job.committed
    assert not Facility.objects.exists()
    assert [row["row"] for row in job.result["rows"]] == [18]  # file row 18: the heading is row 1
    page = officer_client.get(job.get_absolute_url()).content.decode()
    assert "Không có loại này" in page and "alert-danger" in page


def test_another_users_import_answers_404(client, officer, settings, area):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    job = import_start(user=officer, kind="facilities", token="x" * 24)
    client.force_login(UserFactory(officer=True))
    assert client.get(job.get_absolute_url()).status_code == 404


def test_a_small_file_is_still_checked_in_the_request(officer_client, officer, settings, area):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    response = officer_client.post(reverse("facilities:import"), {"file": registry_csv(5)})
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_a_refused_file_stores_nothing(officer_client, officer, settings, area):
    """A file that is not a spreadsheet is refused by the request's check: no job, no kept upload."""
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    upload = SimpleUploadedFile("registry.xlsx", b"%PDF-1.4 not a spreadsheet")
    response = officer_client.post(reverse("facilities:import"), {"file": upload})
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT) / "imports").glob(f"{officer.pk}/*.upload"))


def test_accepting_the_largest_file_keeps_the_web_process_small(officer_client, officer, settings, area):
    """A file of MAX_ROWS rows: the request only keeps it and counts its lines, its peak Python memory under 40 MB."""
    upload = registry_csv(MAX_ROWS - 1)
    tracemalloc.start()
    try:
        response = officer_client.post(reverse("facilities:import"), {"file": upload})
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job = ImportJob.objects.get(user=officer)
    assert response["Location"] == job.get_absolute_url()
    print(f"peak {peak / 1e6:.1f} MB for {upload.size / 1e6:.1f} MB")
    assert peak < 40 * 1024 * 1024
    assert not Facility.objects.exists()


def test_a_job_left_running_by_a_dead_worker_fails_after_40_minutes_with_a_clear_message(client, officer):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        job = ImportJobFactory(user=officer, running=True)
    with time_machine.travel(start + datetime.timedelta(minutes=39), tick=False):
        client.force_login(officer)  # a session ends after 30 idle minutes
        page = client.get(job.get_absolute_url()).content.decode()
        job.refresh_from_db()
        assert job.status == ExportStatus.RUNNING and "Đang kiểm tra" in page
    with time_machine.travel(start + datetime.timedelta(minutes=41), tick=False):
        client.force_login(officer)
        page = client.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error == "interrupted"
    assert "Dịch vụ chạy nền đã dừng trước khi xử lý xong tệp này" in page and "hãy nhập lại tệp" in page


def test_my_imports_lists_only_my_own_jobs_with_their_status_and_counts(
    officer_client, officer, django_assert_max_num_queries
):
    mine = [ImportJobFactory(user=officer, saved=True) for _ in range(3)] + [ImportJobFactory(user=officer)]
    other = ImportJobFactory(saved=True)
    with django_assert_max_num_queries(10):  # session, user, the lost-job check in its transaction, the list
        response = officer_client.get(reverse("exports:import_list"))
    page = response.content.decode()
    assert all(job.get_absolute_url() in page for job in mine) and other.get_absolute_url() not in page
    assert page.count("Tạo mới 120, cập nhật 0, không đổi 0, bị từ chối 0.") == 3
    assert page.count("Đã lưu") >= 3 and "Đang chờ" in page
