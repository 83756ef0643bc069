import pytest

from core.text import fold


def test_healthz_reports_database_and_broker(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    expected = "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert data["broker"] == expected


def test_healthz_reports_an_unreachable_broker(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unreachable"


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Tân Hồng", "tan hong"), ("ĐỒNG THÁP", "dong thap"), ("  Mỹ   Tho ", "my tho"), (None, "")],
)
def test_fold_removes_vietnamese_diacritics(text, folded):
    assert fold(text) == folded
