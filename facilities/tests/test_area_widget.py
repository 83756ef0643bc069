import pytest
from django.urls import reverse

from facilities import widgets
from facilities.tests.factories import AreaFactory


@pytest.fixture
def areas(db):
    return [
        AreaFactory(code="10001", name="Xã Tân Hồng"),
        AreaFactory(code="10002", name="Phường Mỹ Tho"),
        AreaFactory(code="10003", name="Xã Tân Thành"),
    ]


def test_few_areas_are_a_select(officer_client, areas):
    response = officer_client.get(reverse("facilities:list"))
    assert '<option value="10001">Xã Tân Hồng</option>' in response.content.decode()


def test_many_areas_are_a_search_box_with_suggestions(officer_client, areas, monkeypatch):
    monkeypatch.setattr(widgets, "AREA_SELECT_LIMIT", 2)
    page = officer_client.get(reverse("facilities:list"), {"area": "10002"}).content.decode()
    assert '<option value="10001">' not in page
    assert 'list="id_area-options"' in page and 'value="10002"' in page
    assert "Phường Mỹ Tho" in page  # the chosen area's name under the box
    dashboard = officer_client.get(reverse("dashboard:province")).content.decode()
    assert 'hx-get="/facilities/areas/"' in dashboard


def test_suggestions_ignore_diacritics_and_take_codes(client, staff, areas):
    client.force_login(staff)
    url = reverse("facilities:area_options")
    page = client.get(url, {"area": "tan"}).content.decode()
    assert "Xã Tân Hồng" in page and "Xã Tân Thành" in page and "Mỹ Tho" not in page
    assert '<option value="10002">' in client.get(url, {"area": "1000"}).content.decode()
    assert client.get(url, {"area": ""}).content.decode().strip() == ""


def test_suggestions_need_a_login(client, areas):
    assert client.get(reverse("facilities:area_options"), {"area": "tan"}).status_code == 302
