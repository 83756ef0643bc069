"""Uploaded spreadsheets kept between an import's preview and its commit, so nobody uploads twice.

The file lies under MEDIA_ROOT (outside the web root) in the uploader's own folder,
named by a random token: another user's token finds nothing, and nothing is served.
"""

import datetime
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
KEEP_FOR = datetime.timedelta(days=1)


def _folder(user) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)


def stash(user, upload) -> str:
    """Store an uploaded file for `user`; returns the token that finds it again."""
    token = secrets.token_urlsafe(18)
    folder = _folder(user)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{token}.upload", "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


def stashed(user, token: str) -> Path | None:
    """The user's stashed file for `token`, or None (a bad, foreign or expired token)."""
    if not TOKEN.match(token or ""):
        return None
    path = _folder(user) / f"{token}.upload"
    if not path.is_file() or path.stat().st_mtime < timezone.now().timestamp() - KEEP_FOR.total_seconds():
        return None
    return path


def discard(user, token: str) -> None:
    path = stashed(user, token)
    if path:
        path.unlink(missing_ok=True)


def discard_stale(now: datetime.datetime | None = None) -> int:
    """Delete uploads nobody committed within KEEP_FOR; returns how many."""
    cutoff = (now or timezone.now()).timestamp() - KEEP_FOR.total_seconds()
    removed = 0
    for path in (Path(settings.MEDIA_ROOT) / "imports").glob("*/*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
