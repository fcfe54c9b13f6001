from django.urls import path

from . import views

urlpatterns = [
    path("supplier/products/add/", views.product_add, name="product_add"),
    path("supplier/products/<int:pk>/withdraw/", views.product_withdraw, name="product_withdraw"),
    path("supplier/licences/renew/", views.licence_renew, name="licence_renew"),
]
