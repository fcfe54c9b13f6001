from django.urls import path

from . import views

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
]
