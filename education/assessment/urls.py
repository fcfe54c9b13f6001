from django.urls import path

from . import views

urlpatterns = [
    path("registrations/<int:pk>/quiz/", views.quiz, name="quiz"),
]
