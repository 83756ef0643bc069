from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from core.views import healthz
from dashboard.urls import facility_urlpatterns
from facilities.urls import urlpatterns as registry_urlpatterns

# The administration pages carry the portal's name, not Django's.
admin.site.site_header = _("EMR rollout portal: administration")
admin.site.site_title = _("EMR rollout portal")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("dashboard.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("facilities/", include(([*registry_urlpatterns, *facility_urlpatterns], "facilities"))),
    path("assessments/", include("assessments.urls")),
    path("reports/", include("reports.urls")),
    path("milestones/", include("milestones.urls")),
    path("escalations/", include("escalations.urls")),
    path("exports/", include("exports.urls")),
    path("admin/", admin.site.urls),
]
