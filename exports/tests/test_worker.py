"""The background export wired end to end: web request -> Redis -> a real worker -> file -> download."""

import time

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from exports.models import Export, ExportStatus
from exports.tests.helpers import response_workbook, table
from facilities.tests.factories import FacilityFactory


def wait_for(export: Export, timeout: float = 60) -> Export:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.is_finished:
            return export
        time.sleep(0.2)
    raise AssertionError(f"export still {export.status} after {timeout} s")


@pytest.mark.broker
def test_a_real_worker_builds_a_large_export(celery_worker, client, settings):
    settings.EXPORT_BACKGROUND_THRESHOLD = 10
    for n in range(25):
        FacilityFactory(code=f"83{n:03d}")
    officer = UserFactory(officer=True)
    client.force_login(officer)
    response = client.post(reverse("exports:facility_list"))
    export = Export.objects.get(user=officer)
    assert response["Location"] == export.get_absolute_url()
    export = wait_for(export)
    assert export.status == ExportStatus.READY and export.progress == 100
    page = client.get(export.get_absolute_url()).content.decode()
    assert "Tệp đã sẵn sàng (25 dòng)" in page
    download = client.get(reverse("exports:download", args=[export.pk]))
    rows = table(response_workbook(download)["Danh sách cơ sở"])
    assert len(rows) == 25 and rows[0]["Mã cơ sở"].value == "83000"
