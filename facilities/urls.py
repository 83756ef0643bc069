from django.urls import path

from . import views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("new/", views.facility_create, name="create"),
    path("import/", views.facility_import, name="import"),
    path("import/commit/", views.facility_import_commit, name="import_commit"),
    path("areas/", views.area_options, name="area_options"),
    path("import/template.xlsx", views.facility_import_template, name="import_template"),
    path("<str:code>/", views.facility_detail, name="detail"),
    path("<str:code>/progress.json", views.facility_progress, name="progress"),
    path("<str:code>/edit/", views.facility_edit, name="edit"),
    path("<str:code>/active/", views.facility_set_active, name="set_active"),
    path("<str:code>/extension/", views.facility_extension, name="extension"),
    path("<str:code>/members/", views.facility_members, name="members"),
    path("<str:code>/members/<int:pk>/remove/", views.facility_member_remove, name="member_remove"),
    path("<str:code>/members/<int:pk>/role/", views.facility_member_role, name="member_role"),
]
