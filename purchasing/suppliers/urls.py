from django.urls import path

from . import views

urlpatterns = [path("supplier/apply/", views.apply, name="supplier_apply")]
