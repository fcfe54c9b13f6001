from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "缴费与票据"
    role_permissions = {
        "finance": [
            "payments.view_order", "payments.change_order", "payments.view_banktransfer",
            "payments.view_invoice", "payments.change_invoice", "payments.view_receipt",
            "payments.view_paymentanomaly", "payments.change_paymentanomaly",
            "payments.view_wechatnotification", "payments.view_receivednotification",
            "payments.export_order", "payments.export_invoice",
        ],
        "membership_staff": ["payments.view_order", "payments.view_invoice", "payments.view_receipt"],
    }

    def ready(self):
        from core.downloads import register_downloadable

        from . import tasks  # noqa: F401  (registers the Celery tasks services enqueue by name)
        from .models import BankTransfer, Invoice, Receipt

        register_downloadable(BankTransfer, ["voucher"])
        register_downloadable(Receipt, ["pdf"])
        register_downloadable(Invoice, ["official_file", "red_file"])
