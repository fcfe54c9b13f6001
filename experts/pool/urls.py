"""The pool's pages: applying to it."""
from django.urls import path

from experts.pool import views

urlpatterns = [
    path("apply/", views.apply, name="apply"),
]
