"""The committees' pages: a member's meetings, voting on the agenda, checking a ballot receipt."""
from django.urls import path

from experts.committees import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/receipt/", views.receipt, name="receipt"),
]
