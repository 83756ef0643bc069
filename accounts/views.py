from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import timezone

from . import resets
from .middleware import LOGIN_AT, RENEWED_AT


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        now = timezone.now().timestamp()
        self.request.session[LOGIN_AT] = self.request.session[RENEWED_AT] = now
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, rate-limited (accounts.resets), with links built from SITE_URL.

    The link's host never comes from the request (Host or X-Forwarded-Host): a forged header must not
    send a user a link to another site carrying their reset token.
    """

    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        address = resets.client_address(self.request)
        if resets.over_limit(email=email, address=address):
            return render(self.request, "registration/password_reset_limited.html", status=429)
        resets.record(email=email, address=address)
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={"SITE_URL": settings.SITE_URL.rstrip("/"), "PROVINCE_NAME": settings.PROVINCE_NAME},
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)
