"""URL names other apps link to; the assessments issue replaces the placeholders with real views."""

from django.urls import path

from core.views import not_ready

app_name = "assessments"

urlpatterns = [
    path("catalogue/", not_ready, name="catalogue"),
    path("new/<str:code>/", not_ready, name="create"),
    path("<int:pk>/", not_ready, name="detail"),
    path("<int:pk>/edit/", not_ready, name="edit"),
]
