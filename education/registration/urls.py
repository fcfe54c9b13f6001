from django.urls import path

from . import views

urlpatterns = [
    path("projects/<int:pk>/register/", views.register, name="register"),
    path("registrations/", views.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/pay/", views.pay, name="pay"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
]
