from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("apply/", views.apply, name="apply"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
]
