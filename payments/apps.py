from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "缴费与发票"
    role_permissions = {
        "finance": [
            "payments.view_order", "payments.change_order", "payments.view_banktransfer",
            "payments.view_invoice", "payments.change_invoice",
            "payments.view_paymentanomaly", "payments.change_paymentanomaly",
            "payments.view_wechatnotification", "payments.export_order", "payments.export_invoice",
        ],
        "membership_staff": ["payments.view_order", "payments.view_invoice"],
    }

    def ready(self):
        from core.downloads import register_downloadable

        from .models import BankTransfer, Invoice

        register_downloadable(BankTransfer, ["voucher"])
        register_downloadable(Invoice, ["pdf", "official_file"])
        from core.admin_queues import Queue, register_queue

        from .models import Order, PaymentAnomaly

        register_queue(Queue("待核实对公转账", "payments.change_order", "admin:payments_order_changelist",
                             "state__exact=awaiting_verification",
                             lambda: Order.objects.filter(state="awaiting_verification").count()))
        register_queue(Queue("逾期待开票", "payments.change_invoice", "admin:payments_invoice_changelist",
                             "state__exact=overdue", lambda: Invoice.objects.filter(state="overdue").count(), urgent=True))
        register_queue(Queue("未处理支付异常", "payments.change_paymentanomaly", "admin:payments_paymentanomaly_changelist",
                             "resolved__exact=0", lambda: PaymentAnomaly.objects.filter(resolved=False).count(),
                             urgent=True))
