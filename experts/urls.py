from django.urls import path

from . import meeting_views, views, visit_views

app_name = "experts"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("apply/", views.apply, name="apply"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("invitations/<int:pk>/", visit_views.invitation, name="invitation"),
    path("visits/<int:pk>/", visit_views.visit, name="visit"),
    path("visits/<int:pk>/report/", visit_views.report, name="report"),
    path("visits/<int:pk>/challenge/", visit_views.challenge, name="challenge"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    path("meetings/receipt/", meeting_views.receipt, name="receipt"),
]
