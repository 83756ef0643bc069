"""Large imports: the web request keeps the file and queues a job; the worker checks and commits it, all or nothing."""

import datetime
import time
import tracemalloc
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import OfficerFactory
from core.import_jobs import import_start
from core.models import ImportJob
from core.spreadsheet import MAX_ROWS
from core.tests.factories import ImportJobFactory
from exports import imports
from exports.models import ExportStatus
from facilities.imports import COLUMNS
from facilities.models import Facility
from facilities.tests.factories import AreaFactory

HEADER = ",".join(c.label for c in COLUMNS[:6])


def registry_csv(count: int, bad_row: int | None = None) -> SimpleUploadedFile:
    """A registry file of `count` new health stations in one commune; `bad_row` (1-based) gets an unknown type."""
    lines = [HEADER]
    for n in range(1, count + 1):
        kind = "Không có loại này" if n == bad_row else "health_station"
        lines.append(f"{90000 + n},Trạm Y tế số {n},{kind},Công lập,28121,Xã Tân Hồng")
    return SimpleUploadedFile("registry.csv", ("\n".join(lines) + "\n").encode())


@pytest.fixture
def _restore_migration_data(django_db_setup, django_db_blocker):
    """After the flush that ends the worker's transactional test, reload the rows data migrations made."""
    yield
    with django_db_blocker.unblock():
        database = connections[DEFAULT_DB_ALIAS]
        database.creation.deserialize_db_from_string(database._test_serialized_contents)


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
def test_a_real_worker_commits_a_large_registry_import_and_shows_its_report(
    _restore_migration_data, django_db_serialized_rollback, celery_worker, client, settings, area
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    officer = OfficerFactory()
    client.force_login(officer)
    response = client.post(reverse("facilities:import"), {"file": registry_csv(30)})
    job = ImportJob.objects.get(user=officer)
    assert response["Location"] == job.get_absolute_url()
    job = wait_for(job)
    assert job.status == ExportStatus.READY and job.committed
    assert Facility.objects.filter(code__startswith="900").count() == 30
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Đã lưu: 30 dòng." in page and "Tạo mới 30, cập nhật 0, không đổi 0." in page


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
    client.force_login(OfficerFactory())
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
