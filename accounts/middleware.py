from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

LOGIN_AT = "login_at"


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login however active it is (idle expiry is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(LOGIN_AT, now)
            if now - started > settings.SESSION_MAX_LIFETIME.total_seconds():
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
