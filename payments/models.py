"""Orders for anything payable, their WeChat and bank-transfer payments, receipts and invoices.

A payable model implements the small ``Payable`` protocol (payments/payable.py); an Order
points at it generically, so membership dues and evaluation fees share one flow.
"""
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.uploads import RandomUploadPath, UploadValidator

voucher_validator = UploadValidator(kinds=("pdf", "jpeg", "png"), max_bytes=10 * 1024 * 1024)


class Order(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        UNPAID = "unpaid", "待支付"
        AWAITING_VERIFICATION = "awaiting_verification", "待财务核实"
        PAID = "paid", "已支付"
        CLOSED = "closed", "已关闭"
        REFUNDED = "refunded", "已退款"

    class Method(models.TextChoices):
        NONE = "", "未选择"
        WECHAT = "wechat", "微信支付"
        TRANSFER = "transfer", "对公转账"

    out_trade_no = models.CharField("订单号", max_length=32, unique=True)
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders",
                              verbose_name="付款账号")
    content_type = models.ForeignKey(ContentType, verbose_name="付款事项类型", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField("付款事项编号")
    payable = GenericForeignKey("content_type", "object_id")
    description = models.CharField("内容", max_length=120)
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    state = FSMField("状态", max_length=32, choices=State.choices, default=State.UNPAID, protected=True)
    method = models.CharField("支付方式", max_length=10, choices=Method.choices, blank=True)
    # Invoice information, fixed before paying (开票信息).
    invoice_title = models.CharField("发票抬头", max_length=200)
    invoice_tax_id = models.CharField("纳税人识别号", max_length=18, blank=True)
    invoice_email = models.EmailField("收票邮箱")
    invoice_mobile = models.CharField("收票手机", max_length=11)
    wechat_code_url = models.CharField("微信支付链接", max_length=256, blank=True)
    transaction_id = models.CharField("微信支付单号", max_length=32, unique=True, null=True, blank=True)
    payer_name_mismatch = models.BooleanField("付款户名与注册名称不符", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("支付期限")
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    close_reason = models.CharField("关闭原因", max_length=200, blank=True)
    refunded_at = models.DateTimeField("退款时间", null=True, blank=True)
    refund_reason = models.CharField("退款原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "订单"
        verbose_name_plural = "订单"
        permissions = [("export_order", "可导出订单")]
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["state", "method", "created_at"]),
        ]
        constraints = [
            # One payable, one open order: however many clicks arrive at once, there is only
            # one order to pay (services also lock the payable's row before opening one).
            models.UniqueConstraint(fields=["content_type", "object_id"],
                                    condition=models.Q(state__in=["unpaid", "awaiting_verification"]),
                                    name="payments_one_open_order_per_payable"),
        ]

    def __str__(self):
        return f"{self.out_trade_no} {self.description}"

    @property
    def amount_fen(self) -> int:
        """The amount in integer fen, as WeChat Pay counts it."""
        return int((self.amount * 100).to_integral_exact())

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.UNPAID, self.State.AWAITING_VERIFICATION)

    # Transitions only check and move state; services lock, save, log and cause effects.

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.UNPAID, target=State.PAID)
    def pay_by_wechat(self, *, transaction_id: str, paid_at, by=None, description=None):
        """WeChat reported a successful payment that matches this order."""
        self.method = self.Method.WECHAT
        self.transaction_id = transaction_id
        self.paid_at = paid_at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.UNPAID, target=State.AWAITING_VERIFICATION)
    def submit_transfer(self, *, by=None, description=None):
        """The payer uploaded a bank-transfer voucher; finance must verify it."""
        self.method = self.Method.TRANSFER

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.AWAITING_VERIFICATION, target=State.PAID)
    def verify_transfer(self, *, paid_at, by=None, description=None):
        """Finance found the transfer on the association's account."""
        self.paid_at = paid_at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.AWAITING_VERIFICATION, target=State.UNPAID)
    def reject_transfer(self, *, by=None, description=None):
        """Finance could not match the voucher; the payer may pay again."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.UNPAID, target=State.CLOSED)
    def close(self, *, closed_at, reason: str, by=None, description=None):
        """Expired or cancelled before any payment."""
        self.closed_at = closed_at
        self.close_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.PAID, target=State.REFUNDED)
    def refund(self, *, refunded_at, reason: str, by=None, description=None):
        """Finance returned the money (through WeChat Pay's merchant platform or the bank)."""
        self.refunded_at = refunded_at
        self.refund_reason = reason


class BankTransfer(models.Model):
    """A bank-transfer voucher the payer uploaded (kept, whatever finance decides)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待核实"
        VERIFIED = "verified", "已核实"
        REJECTED = "rejected", "已退回"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="transfers", verbose_name="订单")
    voucher = models.FileField("转账凭证", upload_to=RandomUploadPath("payments/vouchers"),
                               validators=[voucher_validator])
    voucher_name = models.CharField("凭证文件名", max_length=200)
    account_name = models.CharField("付款账户名称", max_length=200)
    amount = models.DecimalField("转账金额（元）", max_digits=10, decimal_places=2)
    transferred_on = models.DateField("转账日期")
    name_mismatch = models.BooleanField("户名与注册名称不符", default=False)
    amount_mismatch = models.BooleanField("金额与订单不符", default=False)
    decision = models.CharField("核实结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.CharField("退回原因", max_length=300, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="核实人")
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)
    statement_payer = models.CharField("银行流水付款户名", max_length=200, blank=True)

    class Meta:
        verbose_name = "对公转账"
        verbose_name_plural = "对公转账"
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.account_name} ¥{self.amount}（{self.get_decision_display()}）"

    def can_view_file(self, user, field_name):
        return user.pk == self.order.payer_id or user.has_perm("payments.view_banktransfer")

    def download_name(self, field_name):
        return self.voucher_name


class WechatNotification(models.Model):
    """Every verified WeChat transaction we received, applied once (unique transaction id)."""

    transaction_id = models.CharField("微信支付单号", max_length=32, unique=True)
    out_trade_no = models.CharField("订单号", max_length=32, db_index=True)
    order = models.ForeignKey(Order, verbose_name="订单", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications")
    resource = models.JSONField("通知内容")
    source = models.CharField("来源", max_length=10, choices=[("notify", "微信支付通知"), ("query", "主动查询订单")])
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    class Meta:
        verbose_name = "微信支付通知"
        verbose_name_plural = "微信支付通知"
        ordering = ["-received_at"]

    def __str__(self):
        return self.transaction_id


class ReceivedNotification(models.Model):
    """A WeChat Pay notification that passed verification, kept before WeChat is answered and
    applied by a task (``payments.tasks.apply_notifications``, one for a burst): the answer
    costs one insert, so a burst of payments is acknowledged at the rate WeChat sends them,
    and nothing acknowledged is lost: the row is its own outbox entry, and a scanner re-sends
    the task for every row not applied a while after it was last sent
    (``services.received_notifications_resend``)."""

    resource = models.JSONField("通知内容")
    received_at = models.DateTimeField("接收时间", auto_now_add=True)
    enqueued_at = models.DateTimeField("最近派发时间", default=timezone.now)
    applied_at = models.DateTimeField("处理时间", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=10, blank=True)

    class Meta:
        verbose_name = "已接收的微信支付通知"
        verbose_name_plural = "已接收的微信支付通知"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["enqueued_at"], condition=models.Q(applied_at__isnull=True),
                                name="payments_notification_pending")]

    def __str__(self):
        return f"{self.resource.get('out_trade_no', '')} {self.outcome or '待处理'}"


class PaymentAnomaly(models.Model):
    """Something finance must look at; never marks anything paid by itself."""

    class Kind(models.TextChoices):
        AMOUNT = "amount", "金额不符"
        MCHID = "mchid", "商户号不符"
        APPID = "appid", "应用号不符"
        CURRENCY = "currency", "币种不符"
        UNKNOWN_ORDER = "unknown_order", "订单不存在"
        NOT_SUCCESS = "not_success", "交易未成功"
        PAID_AFTER_CLOSE = "paid_after_close", "订单关闭后付款"
        DOUBLE_PAYMENT = "double_payment", "重复付款"
        NOT_DUE = "not_due", "付款对象已无需缴费"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    order = models.ForeignKey(Order, verbose_name="订单", null=True, blank=True, on_delete=models.PROTECT, related_name="anomalies")
    out_trade_no = models.CharField("订单号", max_length=64, blank=True)
    transaction_id = models.CharField("微信支付单号", max_length=64, blank=True)
    detail = models.JSONField("详情", default=dict)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    resolved = models.BooleanField("已处理", default=False)
    note = models.TextField("处理说明", blank=True)

    class Meta:
        verbose_name = "支付异常"
        verbose_name_plural = "支付异常"
        ordering = ["resolved", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "transaction_id"], condition=~models.Q(transaction_id=""),
                                    name="payments_anomaly_once_per_transaction"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.out_trade_no}"


class Receipt(models.Model):
    """The payment receipt (缴费凭证) the portal draws itself for every paid order. It proves the
    payment; it is not an invoice (the official document is the order's Invoice)."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="receipt", verbose_name="订单")
    number = models.CharField("凭证号", max_length=32, unique=True)
    pdf = models.FileField("缴费凭证", upload_to=RandomUploadPath("payments/receipts"), blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "缴费凭证"
        verbose_name_plural = "缴费凭证"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.number

    def can_view_file(self, user, field_name):
        return user.pk == self.order.payer_id or user.has_perm("payments.view_receipt")

    def download_name(self, field_name):
        return f"缴费凭证{self.number}.pdf"


class Invoice(ConcurrentTransitionMixin, models.Model):
    """The official document for a paid order, due within 5 working days of payment: a 数电发票
    issued through the e-invoicing provider, or a 社会团体会费票据 that finance records (which
    fee gets which is settings.INVOICE_DOCUMENTS). A refund reverses it (红冲) and keeps both."""

    class Kind(models.TextChoices):
        E_INVOICE = "e_invoice", "数电发票"
        DUES_RECEIPT = "dues_receipt", "社会团体会费票据"

    class State(models.TextChoices):
        PENDING = "pending", "待开票"
        REQUESTED = "requested", "开票中"
        FAILED = "failed", "开票失败"
        ISSUED = "issued", "已开票"
        CANCELLED = "cancelled", "已取消"
        REVERSING = "reversing", "红冲中"
        REVERSED = "reversed", "已红冲"

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="invoice", verbose_name="订单")
    kind = models.CharField("票据类型", max_length=16, choices=Kind.choices, default=Kind.E_INVOICE)
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.PENDING, protected=True)
    title = models.CharField("抬头", max_length=200)
    tax_id = models.CharField("纳税人识别号", max_length=18, blank=True)
    email = models.EmailField("收票邮箱")
    mobile = models.CharField("收票手机", max_length=11)
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    item = models.CharField("项目", max_length=120)
    due_on = models.DateField("应开票日期")
    due_provisional = models.BooleanField("应开票日期为暂定", default=False)
    # The provider's side: the order number we sent (one per attempt) and its serial number.
    provider = models.CharField("开票渠道", max_length=32, blank=True)
    request_no = models.CharField("开票单号", max_length=40, unique=True, null=True, blank=True)
    serial_no = models.CharField("开票流水号", max_length=64, blank=True)
    submitting_since = models.DateTimeField("提交开票时间", null=True, blank=True)
    number = models.CharField("发票（票据）号码", max_length=32, unique=True, null=True, blank=True)
    official_file = models.FileField(
        "发票（票据）文件", upload_to=RandomUploadPath("payments/official-invoices"), blank=True,
        validators=[UploadValidator(kinds=("pdf",), max_bytes=10 * 1024 * 1024)],
    )
    failure_reason = models.CharField("开票失败原因", max_length=500, blank=True)
    last_error = models.CharField("最近一次通讯错误", max_length=500, blank=True)
    attempts = models.PositiveIntegerField("开票平台请求次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    issued_at = models.DateTimeField("开票时间", null=True, blank=True)
    escalated_at = models.DateTimeField("逾期上报时间", null=True, blank=True)
    # Red-letter reversal (红冲) after a refund: the provider's steps, then the red invoice.
    reversal_reason = models.CharField("红冲原因", max_length=300, blank=True)
    reversal_progress = models.JSONField("红冲进度", default=dict, blank=True)
    red_number = models.CharField("红字发票（票据）号码", max_length=32, unique=True, null=True, blank=True)
    red_file = models.FileField(
        "红字发票（票据）文件", upload_to=RandomUploadPath("payments/official-invoices"), blank=True,
        validators=[UploadValidator(kinds=("pdf",), max_bytes=10 * 1024 * 1024)],
    )
    reversed_at = models.DateTimeField("红冲时间", null=True, blank=True)

    class Meta:
        verbose_name = "发票与票据"
        verbose_name_plural = "发票与票据"
        permissions = [("export_invoice", "可导出发票")]
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "kind"])]

    def __str__(self):
        return self.number or f"{self.get_state_display()}（订单 {self.order.out_trade_no}）"

    # Transitions only check and move state; payments.invoicing.services does the rest.

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.PENDING, State.FAILED], target=State.REQUESTED)
    def request(self, *, serial_no: str, by=None, description=None):
        """The provider accepted the request and is issuing the invoice (asynchronously)."""
        self.serial_no = serial_no
        self.failure_reason = ""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.PENDING, State.REQUESTED], target=State.FAILED)
    def fail(self, *, reason: str, by=None, description=None):
        """The provider refused or could not issue it; finance sees why and may resubmit."""
        self.failure_reason = reason[:500]

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.PENDING, State.REQUESTED, State.FAILED], target=State.ISSUED)
    def issue(self, *, number: str, at, by=None, description=None):
        """The document has its official number and file (from the provider, or from finance)."""
        self.number = number
        self.issued_at = at
        self.failure_reason = ""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.PENDING, State.FAILED], target=State.CANCELLED)
    def cancel(self, *, by=None, description=None):
        """Refunded before anything was issued: there is nothing to reverse."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.ISSUED, target=State.REVERSING)
    def start_reversal(self, *, reason: str, by=None, description=None):
        """Refunded after issue: a red-letter document must cancel this one."""
        self.reversal_reason = reason[:300]

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.REVERSING, target=State.REVERSED)
    def finish_reversal(self, *, red_number: str, at, by=None, description=None):
        """The red-letter document is issued; both stay on record."""
        self.red_number = red_number
        self.reversed_at = at

    def can_view_file(self, user, field_name):
        return user.pk == self.order.payer_id or user.has_perm("payments.view_invoice")

    def download_name(self, field_name):
        if field_name == "red_file":
            return f"红字{self.get_kind_display()}{self.red_number or ''}.pdf"
        return f"{self.get_kind_display()}{self.number or ''}.pdf"


class SandboxFapiao(models.Model):
    """The e-invoicing provider's side of an invoice, when its sandbox plays it (demo, tests)."""

    serial_no = models.CharField(max_length=32, unique=True)
    order_no = models.CharField(max_length=40, unique=True)
    red = models.BooleanField(default=False)
    payload = models.JSONField()
    status = models.CharField(max_length=4, default="20")  # the provider's codes: 20 issuing, 2 done, 22 failed
    fail_cause = models.CharField(max_length=200, blank=True)
    number = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "沙箱发票"
        verbose_name_plural = "沙箱发票"

    def __str__(self):
        return f"{self.serial_no} {self.status}"


class SandboxRedConfirm(models.Model):
    """A red-letter confirmation (红字确认单) in the e-invoicing sandbox."""

    bill_id = models.CharField(max_length=40, unique=True)
    bill_no = models.CharField(max_length=20, blank=True)
    bill_uuid = models.CharField(max_length=32, blank=True)
    blue_number = models.CharField(max_length=20)
    status = models.CharField(max_length=4, default="01")  # 01 无需确认, 02 待购方确认, 04 已确认
    payload = models.JSONField()

    class Meta:
        verbose_name = "沙箱红字确认单"
        verbose_name_plural = "沙箱红字确认单"

    def __str__(self):
        return self.bill_id


class SandboxTrade(models.Model):
    """WeChat's side of a Native payment, when the sandbox gateway plays it (demo, tests)."""

    out_trade_no = models.CharField(max_length=32, unique=True)
    description = models.CharField(max_length=120)
    total_fen = models.PositiveIntegerField()
    trade_state = models.CharField(max_length=16, default="NOTPAY")
    transaction_id = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "沙箱交易"
        verbose_name_plural = "沙箱交易"

    def __str__(self):
        return f"{self.out_trade_no} {self.trade_state}"
