import unicodedata

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from . import upload_limits as uploads
from .validators import CONTROL_CHARACTERS, has_control_characters


class LanguageMiddleware:
    """Vietnamese unless the user chose English with the switch.

    Unlike LocaleMiddleware it ignores the browser's Accept-Language: the portal is
    Vietnamese first, whatever language a borrowed or English-set browser asks for.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def refuse(request, message: str, *, status: int = 400) -> HttpResponse:
    """A page saying why the request was refused, in the portal's look, without touching the database."""
    return render(request, "refused.html", {"message": message}, status=status)


def _bad_parameter(params) -> str | None:
    """The name of the first parameter whose name or value holds a control character (see core.validators)."""
    for key, values in params.lists():
        if has_control_characters(key) or any(isinstance(v, str) and has_control_characters(v) for v in values):
            return CONTROL_CHARACTERS.sub("?", key)
    return None


class ControlCharacterMiddleware:
    """Refuses control characters in the path, the query string and posted fields with a 400, before any view.

    One rule (core.validators) for every URL converter, filter and form: a NUL reaching PostgreSQL is a 500,
    and no person types a control character into a link or a form. The posted fields are read in
    process_view, after UploadLimitMiddleware has set the upload's limits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path):
            return refuse(request, _("The address holds invisible control characters."))
        name = _bad_parameter(request.GET)
        if name is not None:
            return refuse(
                request, _("The search or filter “%(name)s” holds invisible control characters.") % {"name": name}
            )
        bad_cookies = [key for key, value in request.COOKIES.items() if has_control_characters(key + value)]
        if bad_cookies:
            # The session cookie is looked up in the database by a later middleware; the browser drops them.
            response = refuse(request, _("A cookie of this site held invisible control characters. Log in again."))
            for key in bad_cookies:
                response.delete_cookie(key)
            return response
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        name = _bad_parameter(request.POST)
        if name is not None:
            return refuse(
                request,
                _(
                    "The field “%(name)s” holds invisible control characters (often pasted with the text). "
                    "Go back, remove them and send again."
                )
                % {"name": name},
            )
        return None


class NfcMiddleware:
    """Puts every posted text field in Unicode NFC before any view (passwords excepted: they are compared as set).

    Text typed on some keyboards (macOS, iOS) or pasted from the web arrives decomposed (NFD) and would neither
    match nor sort with the same text in NFC; the imports (core.spreadsheet) and the data migrations
    (core.text.renormalise_nfc) already store NFC, and this keeps every form doing the same, in one place.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        posted = request.POST
        if any(_needs_nfc(key, value) for key, values in posted.lists() for value in values):
            normalised = posted.copy()
            for key, values in posted.lists():
                normalised.setlist(key, [unicodedata.normalize("NFC", v) if _needs_nfc(key, v) else v for v in values])
            normalised._mutable = False
            request.POST = normalised
        return None


def _needs_nfc(key: str, value) -> bool:
    return isinstance(value, str) and "password" not in key and not unicodedata.is_normalized("NFC", value)


class UploadLimitMiddleware:
    """Refuses an upload over its limit from its Content-Length, and stops one that grows past it while streaming.

    The limit is the view's (`core.upload_limits.upload_limit`), else UPLOAD_MAX_BYTES. Without this, Django
    receives and spools the whole body (100 MB) before a form can look at the file's size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.content_type.startswith("multipart/"):
            return None
        limit = uploads.limit_of(view_func)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + uploads.FORM_ALLOWANCE:
            return refuse(request, uploads.too_large_message(limit), status=413)
        request.upload_handlers.insert(0, uploads.LimitedUploadHandler(limit, request))
        try:
            request.POST  # noqa: B018 - parse now, so a body over the limit is refused here
        except uploads.UploadTooLarge:
            return refuse(request, uploads.too_large_message(limit), status=413)
        return None


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response and `Cache-Control: no-store` on every page and download.

    The policy allows scripts, styles, fonts and XHR from the portal itself only (no inline script or
    style: they live in static files), images also as data: URIs (Bootstrap's icons), no plugins, no
    framing, forms posting to the portal only. Nothing the portal serves from a view may be kept by a
    browser or a proxy: its pages and files hold personal and facility data (static files are served
    before this middleware, by WhiteNoise, and stay cacheable).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{name} {value}" for name, value in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        add_never_cache_headers(response)
        return response
