"""The on-site review's pages: an invitation, the visit, scoring, the group report and challenges."""
from django.urls import path

from experts.review import scoring, views

urlpatterns = [
    path("assignments/<int:pk>/", scoring.assignment, name="assignment"),
    path("invitations/<int:pk>/", views.invitation, name="invitation"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/report/", views.report, name="report"),
    path("visits/<int:pk>/challenge/", views.challenge, name="challenge"),
]
