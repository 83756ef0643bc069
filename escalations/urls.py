from django.urls import path

from . import views

app_name = "escalations"

urlpatterns = [
    path("", views.escalation_list, name="list"),
    path("new/", views.escalation_raise, name="raise"),
    path("<int:pk>/", views.escalation_detail, name="detail"),
    path("<int:pk>/<str:step>/", views.escalation_step, name="step"),
]
