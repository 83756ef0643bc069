"""URL names other apps link to; the monthly reports issue replaces the placeholders with real views."""

from django.urls import path

from core.views import not_ready

app_name = "reports"

urlpatterns = [
    path("", not_ready, name="list"),
    path("review/", not_ready, name="review_queue"),
    path("new/<str:code>/", not_ready, name="create"),
    path("<int:pk>/", not_ready, name="detail"),
    path("<int:pk>/edit/", not_ready, name="edit"),
]
