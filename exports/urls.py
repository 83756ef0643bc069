from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("facilities.xlsx", views.facility_list, name="facility_list"),
    path("reports.xlsx", views.report_list, name="report_list"),
    path("review-queue.xlsx", views.review_queue, name="review_queue"),
    path("provincial-report.xlsx", views.provincial, name="provincial"),
    path("reports/import/template.xlsx", views.report_import_template, name="report_import_template"),
    path("official/", views.official_list, name="official_list"),
    path("ministry-list/", views.ministry_check, name="ministry_check"),
    path("official/new/", views.official_new, name="official_new"),
    path("official/<int:pk>/", views.official_detail, name="official_detail"),
    path("official/<int:pk>/report.docx", views.official_download, {"part": "report"}, name="official_report"),
    path("official/<int:pk>/annex.xlsx", views.official_download, {"part": "annex"}, name="official_annex"),
    path("<uuid:pk>/", views.export_detail, name="detail"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<uuid:pk>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<uuid:pk>/download/", views.export_download, name="download"),
]
