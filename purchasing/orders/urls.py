from django.urls import path

from . import views

urlpatterns = [
    path("rounds/<int:pk>/answer/", views.answer, name="answer"),
    path("orders/", views.my_orders, name="my_orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("supplier/orders/<int:pk>/", views.supplier_order, name="supplier_order"),
    path("supplier/fees/<int:pk>/pay/", views.fee_pay, name="fee_pay"),
]
