from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
]
