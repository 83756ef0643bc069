"""URL names other apps link to; create, detail and edit are being built (placeholders until then)."""

from django.urls import path

from core.views import not_ready

from . import views

app_name = "assessments"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("new/<str:code>/", not_ready, name="create"),
    path("<int:pk>/", not_ready, name="detail"),
    path("<int:pk>/edit/", not_ready, name="edit"),
]
