from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.province, name="province"),
    path("dashboard/data.json", views.province_data, name="province_data"),
]
