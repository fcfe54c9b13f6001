"""The 学分继教 addresses: one URL module per concern, without namespaces of their own, so every
name is ``education:<name>``; the participant's registration page gathers them all."""
from django.urls import include, path

from education import participant

app_name = "education"

urlpatterns = [
    path("", include("education.projects.urls")),
    path("", include("education.registration.urls")),
    path("registrations/<int:pk>/", participant.registration_detail, name="registration"),
    path("", include("education.attendance.urls")),
    path("", include("education.assessment.urls")),
    path("", include("education.credits.urls")),
]
