import json

from django.contrib import admin
from django.utils.html import format_html
from import_export import fields, resources

from core.admin_exports import CheckedExportMixin
from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from core.downloads import admin_file_link

from . import services
from .exceptions import PaymentError
from .forms import RecordInvoiceForm, RecordReversalForm, VerifyTransferForm
from .invoicing import services as invoicing
from .models import (
    BankTransfer,
    Invoice,
    Order,
    PaymentAnomaly,
    Receipt,
    ReceivedNotification,
    WechatNotification,
)


class OrderResource(resources.ModelResource):
    state = fields.Field(attribute="get_state_display", column_name="状态")
    method = fields.Field(attribute="get_method_display", column_name="支付方式")

    class Meta:
        model = Order
        fields = ("out_trade_no", "description", "amount", "state", "method", "invoice_title", "invoice_tax_id",
                  "transaction_id", "created_at", "paid_at")
        export_order = fields


class BankTransferInline(admin.TabularInline):
    model = BankTransfer
    extra = 0
    can_delete = False
    fields = ("submitted_at", "account_name", "amount", "transferred_on", "voucher_link", "amount_mismatch",
              "decision", "statement_payer", "reason")
    readonly_fields = fields

    @admin.display(description="凭证")
    def voucher_link(self, obj):
        return admin_file_link(obj, "voucher")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(RecordAdminMixin, TransitionButtonsMixin, CheckedExportMixin, admin.ModelAdmin):
    resource_classes = [OrderResource]
    list_display = ("out_trade_no", "description", "payer", "amount", "state_badge", "method", "flag",
                    "created_at", "paid_at")
    list_filter = ("state", "method", "payer_name_mismatch", "created_at")
    search_fields = ("out_trade_no", "invoice_title", "payer__mobile", "payer__name", "transaction_id")
    list_select_related = ("payer",)
    date_hierarchy = "created_at"
    inlines = [BankTransferInline, HistoryInline]
    readonly_fields = [f.name for f in Order._meta.fields]
    exclude = ("content_type", "object_id")
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, PaymentError)
    transitions = (
        AdminTransition("verify", "核实到账", services.order_verify_transfer, "payments.change_order",
                        transition_available("verify_transfer"), form_class=VerifyTransferForm),
        AdminTransition("reject", "退回凭证", services.order_reject_transfer, "payments.change_order",
                        transition_available("reject_transfer"),
                        reason_label="退回原因（将发给会员；如款项已到账，请说明将原路退回付款账户及预计时间）", style="danger"),
        AdminTransition("close", "关闭订单", services.order_close, "payments.change_order",
                        transition_available("close"), reason_label="关闭原因", style="danger"),
        AdminTransition("refund", "登记退款", services.order_refund, "payments.change_order",
                        transition_available("refund"), style="danger",
                        reason_label="退款原因（款项已通过微信支付商户平台或银行原路退回后登记；已开具的发票将红冲）"),
    )

    @admin.display(description="状态", ordering="state")
    def state_badge(self, obj):
        return obj.get_state_display()

    @admin.display(description="提示")
    def flag(self, obj):
        return "⚠ 户名不符" if obj.payer_name_mismatch else ""


class OverdueFilter(admin.SimpleListFilter):
    title = "是否逾期"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", "逾期未开具")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(escalated_at__isnull=False, state__in=UNISSUED)
        return queryset


UNISSUED = [Invoice.State.PENDING, Invoice.State.REQUESTED, Invoice.State.FAILED]


def _e_invoice_waiting(invoice) -> bool:
    return invoice.kind == Invoice.Kind.E_INVOICE and invoice.state in (Invoice.State.PENDING, Invoice.State.FAILED)


@admin.register(Invoice)
class InvoiceAdmin(RecordAdminMixin, TransitionButtonsMixin, CheckedExportMixin, admin.ModelAdmin):
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, PaymentError)
    list_display = ("__str__", "kind", "title", "amount", "state", "due_on", "issued_at", "red_number")
    list_filter = ("state", "kind", OverdueFilter, "due_on")
    search_fields = ("number", "red_number", "title", "tax_id", "order__out_trade_no", "serial_no", "request_no")
    list_select_related = ("order",)
    inlines = [HistoryInline]
    fields = ("order", "kind", "state", "number", "official_link", "title", "tax_id", "email", "mobile", "amount",
              "item", "due_on", "due_provisional", "issued_at", "escalated_at", "provider", "request_no", "serial_no",
              "attempts", "last_error", "failure_reason", "reversal_reason", "reversal_progress", "red_number",
              "red_link", "reversed_at")
    readonly_fields = fields
    transitions = (
        AdminTransition("submit", "重新开票", invoicing.invoice_resubmit, "payments.change_invoice", _e_invoice_waiting,
                        warning=lambda invoice: invoice.failure_reason and f"上次失败原因：{invoice.failure_reason}"),
        AdminTransition("record", "登记票据", invoicing.invoice_record, "payments.change_invoice",
                        lambda invoice: invoice.state in (Invoice.State.PENDING, Invoice.State.FAILED),
                        form_class=RecordInvoiceForm),
        AdminTransition("record_reversal", "登记红字票据", invoicing.invoice_record_reversal, "payments.change_invoice",
                        lambda invoice: invoice.state == Invoice.State.REVERSING and (
                            invoice.kind == Invoice.Kind.DUES_RECEIPT or bool(invoice.failure_reason)),
                        form_class=RecordReversalForm),
    )

    @admin.display(description="发票（票据）文件")
    def official_link(self, obj):
        return admin_file_link(obj, "official_file", "下载")

    @admin.display(description="红字文件")
    def red_link(self, obj):
        return admin_file_link(obj, "red_file", "下载")


@admin.register(Receipt)
class ReceiptAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("number", "order", "created_at", "pdf_link")
    search_fields = ("number", "order__out_trade_no", "order__invoice_title")
    list_select_related = ("order",)
    fields = ("number", "order", "created_at", "pdf_link")
    readonly_fields = fields

    @admin.display(description="缴费凭证")
    def pdf_link(self, obj):
        return admin_file_link(obj, "pdf", "下载")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PaymentAnomaly)
class PaymentAnomalyAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "out_trade_no", "transaction_id", "resolved")
    list_filter = ("kind", "resolved")
    search_fields = ("out_trade_no", "transaction_id")
    readonly_fields = ("kind", "order", "out_trade_no", "transaction_id", "detail", "created_at")
    fields = (*readonly_fields, "resolved", "note")


@admin.register(WechatNotification)
class WechatNotificationAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("received_at", "transaction_id", "out_trade_no", "source")
    search_fields = ("transaction_id", "out_trade_no")
    readonly_fields = ("transaction_id", "out_trade_no", "order", "resource_shown", "source", "received_at")
    exclude = ("resource",)

    @admin.display(description="通知内容（微信支付原文）")
    def resource_shown(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.resource, ensure_ascii=False, indent=2))

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReceivedNotification)
class ReceivedNotificationAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("received_at", "__str__", "applied_at", "outcome")
    list_filter = ("outcome",)
    readonly_fields = ("received_at", "resource_shown", "applied_at", "outcome")
    exclude = ("resource",)

    @admin.display(description="通知内容（已验签解密）")
    def resource_shown(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.resource, ensure_ascii=False, indent=2))

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BankTransfer)
class BankTransferAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Finance's queue of vouchers; the decision is taken on the order (核实到账 / 退回凭证)."""

    list_display = ("submitted_at", "order_link", "account_name", "amount", "transferred_on", "name_mismatch",
                    "amount_mismatch", "decision", "voucher_link")
    list_filter = ("decision", "name_mismatch", "amount_mismatch")
    search_fields = ("account_name", "order__out_trade_no", "order__invoice_title")
    list_select_related = ("order",)
    readonly_fields = [f.name for f in BankTransfer._meta.fields]

    @admin.display(description="订单")
    def order_link(self, obj):
        from django.urls import reverse

        return format_html('<a href="{}">{}</a>', reverse("admin:payments_order_change", args=[obj.order_id]),
                           obj.order.out_trade_no)

    @admin.display(description="凭证")
    def voucher_link(self, obj):
        return admin_file_link(obj, "voucher")

    def has_change_permission(self, request, obj=None):
        return False


# The admin index's work queues (core.admin_queues) for 财务.
register_queue(Queue("待核实对公转账", "payments.change_order", Order, {"state": Order.State.AWAITING_VERIFICATION}))
register_queue(Queue("逾期待开票", "payments.change_invoice", Invoice,
                     {"escalated_at__isnull": False, "state__in": UNISSUED}, query="overdue=1", urgent=True))
register_queue(Queue("开票失败", "payments.change_invoice", Invoice, {"state": Invoice.State.FAILED}, urgent=True))
register_queue(Queue("待登记会费票据", "payments.change_invoice", Invoice,
                     {"state": Invoice.State.PENDING, "kind": Invoice.Kind.DUES_RECEIPT}))
register_queue(Queue("待登记红字票据", "payments.change_invoice", Invoice,
                     {"state": Invoice.State.REVERSING, "kind": Invoice.Kind.DUES_RECEIPT}))
register_queue(Queue("未处理支付异常", "payments.change_paymentanomaly", PaymentAnomaly, {"resolved": False},
                     urgent=True))
