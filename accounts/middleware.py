from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

LOGIN_AT = "login_at"
RENEWED_AT = "renewed_at"
# How often an active session is written again, renewing its idle expiry (and its cookie): at most once a
# minute rather than on every request, a write transaction each page saved. Idle expiry is so 29 to 30 minutes.
RENEW_EVERY = 60


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login however active it is; renews an active one's idle expiry (the
    cookie age) once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(LOGIN_AT, now)
            if now - started > settings.SESSION_MAX_LIFETIME.total_seconds():
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(RENEWED_AT, 0) > RENEW_EVERY:
                request.session[RENEWED_AT] = now  # saved with its cookie by SessionMiddleware
        return self.get_response(request)
