from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.province, name="province"),
    path("dashboard/data.json", views.province_data, name="province_data"),
]

# The facility list and page, served with the registry's pages under /facilities/ and the `facilities:` names
# (rollout_portal/urls.py): a facility's address does not depend on which app builds the page.
facility_urlpatterns = [
    path("", views.facility_list, name="list"),
    path("<str:code>/", views.facility_detail, name="detail"),
    path("<str:code>/progress.json", views.facility_progress, name="progress"),
]
