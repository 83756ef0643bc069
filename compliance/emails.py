"""One way to build an e-mail: `<name>-subject.txt`, `<name>-body.txt` and `<name>-body.html` templates,
rendered in Vietnamese whatever the caller's language (the recipients read Vietnamese)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

TEMPLATES = "compliance/emails"


def make_message(name: str, ctx: dict, *, to: list[str]) -> EmailMultiAlternatives:
    """A plain-text e-mail with an HTML alternative; links in the templates start with SITE_URL."""
    ctx = {"SITE_URL": settings.SITE_URL.rstrip("/"), "PROVINCE_NAME": settings.PROVINCE_NAME, **ctx}
    with translation.override("vi"):
        subject = " ".join(render_to_string(f"{TEMPLATES}/{name}-subject.txt", ctx).split())
        text = render_to_string(f"{TEMPLATES}/{name}-body.txt", ctx)
        html = render_to_string(f"{TEMPLATES}/{name}-body.html", ctx)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    return message
