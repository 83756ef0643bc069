"""The administration pages carry the portal's name; `make run` prints the address it serves."""

import pytest
from django.urls import reverse

from demo.management.commands.seed_demo import open_url


@pytest.mark.django_db
def test_the_admin_is_titled_for_the_portal(client, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", "qt@soyte.local", "x")
    client.force_login(admin)
    page = client.get(reverse("admin:index"), headers={"accept-language": "vi"}).content.decode()
    assert "Cổng triển khai HSBA điện tử" in page and "Django" not in page.split("<body")[1].split("</header>")[0]


@pytest.mark.parametrize(
    ("serve", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
        ("8080", "http://127.0.0.1:8080/"),
    ],
)
def test_make_run_prints_the_address_it_serves(serve, url):
    assert open_url(serve) == url
