from django.urls import path

from . import platforms, views

app_name = "assessments"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("facility/<str:code>/", views.facility_assessments, name="facility"),
    path("new/<str:code>/", views.assessment_create, name="create"),
    path("new/<str:code>/preview/", views.assessment_preview, name="preview_new"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/edit/", views.assessment_edit, name="edit"),
    path("<int:pk>/preview/", views.assessment_preview, name="preview"),
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/approve/", views.assessment_approve, name="approve"),
    path("<int:pk>/return/", views.assessment_return, name="return"),
    path("<int:pk>/evidence/new/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("platforms/", platforms.platform_list, name="platforms"),
    path("platforms/new/", platforms.platform_edit, name="platform_create"),
    path("platforms/<int:pk>/", platforms.platform_detail, name="platform"),
    path("platforms/<int:pk>/edit/", platforms.platform_edit, name="platform_edit"),
    path("platforms/<int:pk>/evidence/", platforms.platform_evidence, name="platform_evidence"),
]
