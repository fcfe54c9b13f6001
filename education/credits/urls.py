from django.urls import path

from . import views

urlpatterns = [
    path("credits/", views.my_credits, name="my_credits"),
    path("credits/transcript/", views.transcript, name="transcript"),
]
