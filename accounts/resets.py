"""Password reset by e-mail, rate-limited per address and per account.

Limits (settings, README): at most PASSWORD_RESET_PER_ADDRESS requests an hour from one network address
and PASSWORD_RESET_PER_ACCOUNT an hour for one e-mail address, whatever the network address. A request over
either limit sends nothing and says to wait; every other request answers the same page whether an account
has that e-mail or not, so the form cannot be used to find out who has an account.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import PasswordResetRequest

WINDOW = datetime.timedelta(hours=1)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a proxy the entry the proxy appended to X-Forwarded-For.

    Only the last entry is the proxy's own; anything before it is what the client sent and proves nothing.
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def over_limit(*, email: str, address: str) -> bool:
    """True when this address or this e-mail has asked for as many resets as the last hour allows."""
    since = timezone.now() - WINDOW
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    return (
        recent.filter(address=address).count() >= settings.PASSWORD_RESET_PER_ADDRESS
        or recent.filter(email__iexact=email).count() >= settings.PASSWORD_RESET_PER_ACCOUNT
    )


def record(*, email: str, address: str) -> PasswordResetRequest:
    """Keep this request (and forget those older than a day, which no limit counts any more)."""
    discard_old()
    return PasswordResetRequest.objects.create(email=email.strip()[:254], address=address)


def discard_old(now: datetime.datetime | None = None) -> int:
    """Requests older than a day count for nothing; returns how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=1)
    deleted, _ = PasswordResetRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
