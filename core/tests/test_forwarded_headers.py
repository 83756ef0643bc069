"""Headers a client can forge (X-Forwarded-Host, X-Forwarded-Proto) are ignored unless a proxy is configured."""

import pytest
from django.urls import reverse

from .resolver import routes


@pytest.mark.parametrize("route", [r for r in routes() if not r.converters], ids=str)
def test_a_forged_forwarded_host_is_never_reflected(officer_client, facility, route):
    response = officer_client.get(reverse(route.name), HTTP_X_FORWARDED_HOST="evil.example")
    if not response.streaming:
        assert b"evil.example" not in response.content
    assert all("evil.example" not in value for value in response.headers.values())


def test_redirects_do_not_use_it_either(client, db):
    response = client.get(reverse("facilities:list"), HTTP_X_FORWARDED_HOST="evil.example")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_without_a_proxy_a_forged_https_header_is_not_believed(rf, settings):
    """The default (BEHIND_PROXY off): X-Forwarded-Proto is a client's word, not the proxy's."""
    assert settings.SECURE_PROXY_SSL_HEADER is None
    assert rf.get("/", HTTP_X_FORWARDED_PROTO="https").is_secure() is False


def test_behind_a_proxy_its_https_header_is_believed(rf, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert rf.get("/", HTTP_X_FORWARDED_PROTO="https").is_secure() is True
