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
    path("<uuid:pk>/", views.export_detail, name="detail"),
    path("<uuid:pk>/download/", views.export_download, name="download"),
]
