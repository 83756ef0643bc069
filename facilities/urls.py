from django.urls import path

from . import views

# The registry's pages. The facility list and page are the dashboard's (dashboard.urls.facility_urlpatterns);
# rollout_portal/urls.py serves both under /facilities/ with the `facilities:` names.
urlpatterns = [
    path("new/", views.facility_create, name="create"),
    path("import/", views.facility_import, name="import"),
    path("import/commit/", views.facility_import_commit, name="import_commit"),
    path("areas/", views.area_options, name="area_options"),
    path("import/template.xlsx", views.facility_import_template, name="import_template"),
    path("<str:code>/edit/", views.facility_edit, name="edit"),
    path("<str:code>/active/", views.facility_set_active, name="set_active"),
    path("<str:code>/extension/", views.facility_extension, name="extension"),
    path("<str:code>/members/", views.facility_members, name="members"),
    path("<str:code>/members/<int:pk>/remove/", views.facility_member_remove, name="member_remove"),
    path("<str:code>/members/<int:pk>/role/", views.facility_member_role, name="member_role"),
]
