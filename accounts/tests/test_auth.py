import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="tyt.tanhong")


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_and_logout(client, user):
    assert login(client, "tyt.tanhong", PASSWORD).status_code == 302
    assert client.get(reverse("facilities:list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("facilities:list")).status_code == 302


def test_login_page_is_vietnamese_by_default_even_for_an_english_browser(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body


def test_language_switch_to_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


def test_password_change(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2026", "new_password2": "Mot-mat-khau-moi-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mot-mat-khau-moi-2026")


def test_repeated_failures_lock_that_username_from_that_address_only(client, user, settings):
    colleague = UserFactory(username="tyt.dongnghiep")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "tyt.tanhong", "sai-mat-khau", ip="203.0.113.7")
    locked = login(client, "tyt.tanhong", PASSWORD, ip="203.0.113.7")
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    # A colleague behind the same public address still logs in.
    assert login(client, colleague.username, PASSWORD, ip="203.0.113.7").status_code == 302
    client.post(reverse("logout"))
    # The same user from another address is not locked.
    assert login(client, "tyt.tanhong", PASSWORD, ip="198.51.100.2").status_code == 302


def test_session_ends_after_12_hours_even_when_active(client, user):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 7, 0, tzinfo=datetime.UTC), tick=False) as clock:
        login(client, "tyt.tanhong", PASSWORD)
        for _ in range(28):  # a request every 25 minutes keeps the session alive for 11 h 40 min
            clock.shift(datetime.timedelta(minutes=25))
            assert client.get(reverse("facilities:list")).status_code == 200
        clock.shift(datetime.timedelta(minutes=25))
        response = client.get(reverse("facilities:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_active_session_is_written_once_a_minute_not_on_every_request(client, user):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 7, 0, tzinfo=datetime.UTC), tick=False) as clock:
        login(client, "tyt.tanhong", PASSWORD)
        session = Session.objects.get()
        clock.shift(datetime.timedelta(seconds=30))
        client.get(reverse("facilities:list"))
        assert Session.objects.get().expire_date == session.expire_date
        clock.shift(datetime.timedelta(seconds=45))
        client.get(reverse("facilities:list"))
        assert Session.objects.get().expire_date == session.expire_date + datetime.timedelta(seconds=75)
        # Idle from here: the last renewal, 30 minutes later, is the end of the session.
        clock.shift(datetime.timedelta(minutes=29, seconds=50))
        assert client.get(reverse("facilities:list")).status_code == 200
        clock.shift(datetime.timedelta(minutes=30, seconds=1))
        assert client.get(reverse("facilities:list")).status_code == 302


def test_session_expires_after_30_idle_minutes(client, user):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 7, 0, tzinfo=datetime.UTC), tick=False) as clock:
        login(client, "tyt.tanhong", PASSWORD)
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("facilities:list")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        assert client.get(reverse("facilities:list")).status_code == 302
