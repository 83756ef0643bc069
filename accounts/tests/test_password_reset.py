"""Password reset by e-mail: Django's views, Vietnamese pages, links from SITE_URL, limited per address and account."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import PasswordResetRequest
from accounts.tests.factories import UserFactory

PASSWORD = "Mat-khau-moi-2026!"


@pytest.fixture
def user(db):
    return UserFactory(username="tyt.tanhong", email="tanhong@soyte.dongthap.gov.vn")


def ask(client, email, ip="10.0.0.1", **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, **extra)


def test_the_log_in_page_links_to_it(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Quên mật khẩu?" in body and reverse("password_reset") in body


def test_a_reset_link_by_e_mail_sets_a_new_password(client, user, settings):
    settings.SITE_URL = "https://emr.soyte.dongthap.gov.vn"
    response = ask(client, "TanHong@soyte.dongthap.gov.vn")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tanhong@soyte.dongthap.gov.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    link = re.search(r"https://emr\.soyte\.dongthap\.gov\.vn(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False  # once only


def test_an_unknown_address_answers_the_same_page_and_sends_nothing(client, user):
    response = ask(client, "ai-do@example.vn")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_link_never_takes_its_host_from_the_request(client, user, settings):
    settings.SITE_URL = "https://emr.soyte.dongthap.gov.vn"
    settings.ALLOWED_HOSTS = ["emr.soyte.dongthap.gov.vn", "evil.example"]
    ask(client, user.email, HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example")
    body = mail.outbox[0].body + mail.outbox[0].alternatives[0][0]
    assert "evil" not in body
    assert "https://emr.soyte.dongthap.gov.vn/accounts/password/reset/" in body


def test_an_account_is_limited_whatever_the_address(client, user, settings):
    settings.PASSWORD_RESET_PER_ACCOUNT = 3
    for i in range(3):
        assert ask(client, user.email, ip=f"10.0.0.{i + 1}").status_code == 302
    limited = ask(client, user.email, ip="10.0.0.99")
    assert limited.status_code == 429
    assert "Quá nhiều yêu cầu" in limited.content.decode()
    assert len(mail.outbox) == 3


def test_an_address_is_limited_whatever_the_account(client, user, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 5
    for i in range(5):
        assert ask(client, f"nguoi{i}@example.vn", ip="203.0.113.7").status_code == 302
    assert ask(client, user.email, ip="203.0.113.7").status_code == 429
    assert mail.outbox == []
    assert ask(client, user.email, ip="198.51.100.2").status_code == 302
    assert PasswordResetRequest.objects.count() == 6


def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended(client, user, settings):
    settings.BEHIND_PROXY = True
    settings.PASSWORD_RESET_PER_ADDRESS = 1
    ask(client, "a@example.vn", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    # A client that forges the first entry is still the address the proxy saw.
    assert ask(client, "b@example.vn", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7").status_code == 429
    assert PasswordResetRequest.objects.get().address == "203.0.113.7"


def test_the_pages_are_vietnamese(client, db):
    assert "Đặt lại mật khẩu" in client.get(reverse("password_reset")).content.decode()
