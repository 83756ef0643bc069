"""Large exports: built by a Celery task with progress, downloaded by their owner only, then expired."""

import contextlib
import datetime
import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exports import builds
from exports.models import Export, ExportError, ExportStatus
from exports.tests.factories import ExportFactory
from exports.tests.helpers import response_workbook, table
from facilities.tests.factories import FacilityFactory
from rollout_portal.celery import app as celery_app

URL = reverse("exports:facility_list")
NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC)


@contextlib.contextmanager
def unreachable_broker():
    """A real broker address where nothing listens (not a mock); Celery's cached pools are reset around it."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.get("broker_write_url")
    # The write URL, since CELERY_BROKER_URL in the environment overrides `broker_url` itself.
    conf.task_always_eager, conf.broker_write_url = False, "redis://127.0.0.1:1/0"
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_write_url = saved
        celery_app._pool = celery_app.amqp._producer_pool = None


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 2


@pytest.fixture
def three_facilities(db):
    return [FacilityFactory(code=f"8230{n}") for n in range(3)]


def test_a_large_export_goes_to_the_background_and_is_downloaded_when_ready(
    officer_client, officer, small_threshold, three_facilities, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as enqueued:
        response = officer_client.post(f"{URL}?ownership=public")
    export = Export.objects.get()
    assert response["Location"] == export.get_absolute_url()
    assert export.user == officer and export.kind == "facility_list" and export.status == ExportStatus.PENDING
    assert export.parameters["query"] == "ownership=public"
    assert len(enqueued) == 1  # the task is sent once the request's transaction commits
    assert "Đang chờ dịch vụ chạy nền" in officer_client.get(export.get_absolute_url()).content.decode()
    builds.export_build(export_id=export.pk)  # what the task runs (test_worker.py drives a real worker)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.progress == 100 and export.rows_total == 3
    body = officer_client.get(export.get_absolute_url()).content.decode()
    assert "Tệp đã sẵn sàng" in body and reverse("exports:download", args=[export.pk]) in body
    download = officer_client.get(reverse("exports:download", args=[export.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="danh-sach-co-so-')
    rows = table(response_workbook(download)["Danh sách cơ sở"])
    assert [r["Mã cơ sở"].value for r in rows] == ["82300", "82301", "82302"]


def test_the_file_is_kept_under_media_root_named_by_a_random_id(officer, three_facilities, settings):
    export = ExportFactory(user=officer, rows_total=3)
    builds.export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.file.name == f"exports/{officer.pk}/{export.pk}.xlsx"
    assert default_storage.path(export.file.name).startswith(str(settings.MEDIA_ROOT))
    assert not list((settings.MEDIA_ROOT / "exports" / str(officer.pk)).glob("*.part"))


def test_progress_is_recorded_while_rows_are_written(officer, db, monkeypatch):
    for n in range(12):
        FacilityFactory(code=f"9{n:04d}")
    export = ExportFactory(user=officer, rows_total=12)
    monkeypatch.setattr(builds, "PROGRESS_EVERY", 4)
    with CaptureQueriesContext(connection) as queries:
        builds.export_build(export_id=export.pk)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "exports_export" SET "progress"')]
    assert [re.search(r'"progress" = (\d+)', sql).group(1) for sql in updates] == ["33", "66", "99"]
    export.refresh_from_db()
    assert export.progress == 100


def test_a_task_delivered_twice_builds_the_file_once(officer, three_facilities):
    export = ExportFactory(user=officer, rows_total=3)
    assert builds.export_build(export_id=export.pk).status == ExportStatus.READY
    assert builds.export_build(export_id=export.pk) is None


def test_another_users_export_answers_404(client, officer, staff, facility, small_threshold):
    export = ExportFactory(user=officer, rows_total=1)
    builds.export_build(export_id=export.pk)
    client.force_login(staff)
    assert client.get(reverse("exports:detail", args=[export.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
    other_officer = type(officer).objects.create(username="canbo2", role="officer")
    client.force_login(other_officer)
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 200


@pytest.mark.parametrize(("kind", "maker"), [("review_queue", "officer"), ("provincial", "leadership")])
def test_an_export_of_a_kind_the_user_lost_the_right_to_answers_404(client, facility, kind, maker, request):
    user = request.getfixturevalue(maker)
    export = ExportFactory(user=user, kind=kind, parameters={"as_of": "2026-11-25"}, rows_total=1)
    builds.export_build(export_id=export.pk)
    client.force_login(user)
    pages = [export.get_absolute_url(), reverse("exports:download", args=[export.pk])]
    assert [client.get(page).status_code for page in pages] == [200, 200]
    user.role = "facility"  # moved to a facility: no review queue, no provincial report any more
    user.save()
    assert [client.get(page).status_code for page in pages] == [404, 404]
    assert list(client.get(reverse("exports:list")).context["exports"]) == []


def test_a_facility_users_background_export_holds_only_their_facilities(
    staff_client, staff, facility, other_facility, settings
):
    settings.EXPORT_BACKGROUND_THRESHOLD = 0
    staff_client.post(URL)
    export = Export.objects.get(user=staff)
    builds.export_build(export_id=export.pk)
    download = staff_client.get(reverse("exports:download", args=[export.pk]))
    assert [r["Mã cơ sở"].value for r in table(response_workbook(download)["Danh sách cơ sở"])] == [facility.code]


def test_files_expire_after_the_set_time_and_cleanup_deletes_them(client, officer, three_facilities, settings):
    settings.EXPORT_EXPIRY_HOURS = 24
    with time_machine.travel(NOW, tick=False):
        export = ExportFactory(user=officer, rows_total=3)
        builds.export_build(export_id=export.pk)
        export.refresh_from_db()
        assert export.expires_at == NOW + datetime.timedelta(hours=24)
        path = default_storage.path(export.file.name)
    download = reverse("exports:download", args=[export.pk])
    with time_machine.travel(NOW + datetime.timedelta(hours=23), tick=False):
        client.force_login(officer)
        assert client.get(download).status_code == 200
        assert builds.exports_cleanup() == 0
    with time_machine.travel(NOW + datetime.timedelta(hours=24, minutes=1), tick=False):
        client.force_login(officer)
        assert client.get(download).status_code == 404
        assert builds.exports_cleanup() == 1
        export.refresh_from_db()
        assert export.status == ExportStatus.EXPIRED and not export.file
        assert not default_storage.exists(path)
        page = client.get(export.get_absolute_url()).content.decode()
        assert "Tệp đã hết hạn" in page


def test_cleanup_fails_exports_whose_worker_vanished(officer):
    with time_machine.travel(NOW, tick=False):
        export = ExportFactory(user=officer, status=ExportStatus.RUNNING, started_at=NOW)
    with time_machine.travel(NOW + datetime.timedelta(hours=3), tick=False):
        builds.exports_cleanup()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and export.error == ExportError.TIMEOUT


def test_the_cleanup_runs_every_hour_from_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="exports.tasks.cleanup_expired_exports")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "hours")


def test_a_broker_that_is_down_gives_a_clear_message_not_a_500(
    officer_client, small_threshold, three_facilities, django_capture_on_commit_callbacks
):
    with unreachable_broker(), django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(URL)
    response = officer_client.get(response["Location"])
    export = Export.objects.get()
    assert response.status_code == 200
    assert export.status == ExportStatus.FAILED and export.error == ExportError.BROKER_DOWN
    assert "Dịch vụ chạy nền" in response.content.decode()


def test_my_exports_lists_only_mine(officer_client, officer, staff):
    ExportFactory(user=officer)
    ExportFactory(user=staff)
    response = officer_client.get(reverse("exports:list"))
    assert len(response.context["exports"]) == 1


def test_the_progress_page_polls_until_finished(officer_client, officer):
    export = ExportFactory(user=officer, status=ExportStatus.RUNNING, progress=40, rows_total=5000)
    page = officer_client.get(export.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "40 %" in page
    fragment = officer_client.get(export.get_absolute_url(), headers={"HX-Request": "true"})
    assert fragment.templates[0].name == "exports/_status.html"
