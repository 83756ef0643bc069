from django.urls import path

from . import views

app_name = "milestones"

urlpatterns = [
    path("new/<str:code>/<str:kind>/", views.milestone_create, name="create"),
    path("<int:pk>/", views.milestone_detail, name="detail"),
    path("<int:pk>/edit/", views.milestone_edit, name="edit"),
    path("<int:pk>/submit/", views.milestone_submit, name="submit"),
    path("<int:pk>/verify/", views.milestone_verify, name="verify"),
    path("<int:pk>/return/", views.milestone_return, name="return"),
    path("<int:pk>/evidence/", views.milestone_evidence, name="evidence"),
]
