"""Upload limits that hold before the work is done: checked from Content-Length, then while the body streams.

`UploadLimitMiddleware` (core.middleware) applies them; a view that takes a smaller file than
UPLOAD_MAX_BYTES names its limit with `@upload_limit(...)`.
"""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What a multipart body carries besides its files (CSRF token, a few fields, part headers).
FORM_ALLOWANCE = 64 * 1024


class UploadTooLarge(SuspiciousOperation):
    """The upload grew past its limit while streaming; the rest of the body is never read."""


def upload_limit(setting: str):
    """Mark a view as taking uploads of at most `settings.<setting>` bytes (read on each request)."""

    def mark(view):
        view.upload_max_setting = setting
        return view

    return mark


def limit_of(view_func) -> int:
    return getattr(settings, getattr(view_func, "upload_max_setting", "UPLOAD_MAX_BYTES"))


def too_large_message(limit: int) -> str:
    return _("The file is larger than the limit of %(limit)s. Choose a smaller file.") % {
        "limit": filesizeformat(limit)
    }


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of every file in the body and stops the upload as soon as they pass the limit.

    It sits first among the upload handlers, so the handlers after it (memory, temporary file) never
    receive or spool more than the limit.
    """

    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(f"upload over {self.limit} bytes")
        return raw_data

    def file_complete(self, file_size):
        return None
