"""A new account's username passes Django's username validator, from the members page and from the service."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from facilities.services import membership_add

User = get_user_model()


@pytest.mark.parametrize("username", ["../admin", "tyt tan hong", "a/b", "<script>", "x;drop"])
def test_the_members_page_refuses_a_username_the_validator_refuses(officer_client, facility, username):
    data = {"username": username, "role": "staff", "password": "Mat-khau-manh-2026"}
    response = officer_client.post(reverse("facilities:members", args=[facility.code]), data)
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(username=username).exists()


def test_the_service_refuses_it_for_every_caller(facility, officer):
    with pytest.raises(ValidationError):
        membership_add(facility=facility, username="../admin", role="staff", by=officer, password="Mat-khau-2026")
    assert not User.objects.filter(username="../admin").exists()


def test_a_vietnamese_style_username_is_accepted(officer_client, facility):
    data = {"username": "tyt.tanhong_2", "role": "staff", "password": "Mat-khau-manh-2026"}
    officer_client.post(reverse("facilities:members", args=[facility.code]), data)
    assert User.objects.filter(username="tyt.tanhong_2", memberships__facility=facility).exists()
