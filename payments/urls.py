from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("wechat/notify/", views.wechat_notify, name="wechat_notify"),
    path("orders/<str:out_trade_no>/", views.order_detail, name="order_detail"),
    path("orders/<str:out_trade_no>/pay/", views.pay, name="pay"),
    path("orders/<str:out_trade_no>/wechat/", views.wechat_pay, name="wechat"),
    path("orders/<str:out_trade_no>/status/", views.order_status, name="status"),
    path("orders/<str:out_trade_no>/transfer/", views.transfer, name="transfer"),
    path("orders/<str:out_trade_no>/sandbox-scan/", views.sandbox_scan, name="sandbox_scan"),
]
