from django.contrib.auth import views as auth_views
from django.utils import timezone

from .middleware import LOGIN_AT


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[LOGIN_AT] = timezone.now().timestamp()
        return response
