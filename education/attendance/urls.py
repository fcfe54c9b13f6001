from django.urls import path

from . import views

urlpatterns = [
    path("sessions/<int:pk>/checkin/<str:phase>/", views.checkin_screen, name="checkin"),
    path("sessions/<int:pk>/scan/<str:code>/", views.scan, name="scan"),
]
