"""Purchase orders (one per supplier per member per round), their lines, problems reported, and
the association's service fee a supplier pays through payments."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.uploads import RandomUploadPath
from membership.models import Member
from payments.payable import InvoiceParty, PaymentContext
from purchasing.catalogue.models import Product
from purchasing.rounds.models import Round
from purchasing.suppliers.models import Supplier


class PurchaseOrder(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        SENT = "sent", "已发送供应商"
        ACCEPTED = "accepted", "供应商已接单"
        SHIPPED = "shipped", "已发货"
        RECEIVED = "received", "已收货"

    number = models.CharField("订单编号", max_length=20, unique=True, null=True, blank=True)
    round = models.ForeignKey(Round, verbose_name="团购活动", on_delete=models.PROTECT, related_name="orders")
    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.PROTECT, related_name="orders")
    member = models.ForeignKey(Member, verbose_name="会员", on_delete=models.PROTECT, related_name="purchase_orders")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    list_amount = models.DecimalField("按挂牌价金额（元）", max_digits=12, decimal_places=2)
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.SENT, protected=True)
    pdf = models.FileField("订单文件", upload_to=RandomUploadPath("purchasing/orders"), blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    accepted_at = models.DateTimeField("接单时间", null=True, blank=True)
    shipped_at = models.DateTimeField("发货时间", null=True, blank=True)
    shipping_note = models.CharField("发货信息", max_length=200, blank=True)
    received_at = models.DateTimeField("收货时间", null=True, blank=True)
    payment_received_at = models.DateTimeField("供应商确认收款时间", null=True, blank=True)

    class Meta:
        verbose_name = "采购订单"
        verbose_name_plural = "采购订单"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["round", "supplier", "member"],
                                               name="purchasing_one_order_per_supplier_and_member")]

    def __str__(self):
        return self.number or "（编号生成中）"

    def can_view_file(self, user, field_name) -> bool:
        return (user.pk in (self.member.user_id, self.supplier.user_id)
                or user.has_perm("purchasing.view_purchaseorder"))

    def download_name(self, field_name) -> str:
        return f"采购订单{self.number}.pdf"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SENT, target=State.ACCEPTED)
    def accept(self, *, at, by=None, description=None):
        """The supplier takes the order."""
        self.accepted_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.ACCEPTED, target=State.SHIPPED)
    def ship(self, *, at, note: str, by=None, description=None):
        self.shipped_at, self.shipping_note = at, note

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SHIPPED, target=State.RECEIVED)
    def receive(self, *, at, by=None, description=None):
        """The member confirms the goods arrived."""
        self.received_at = at


class OrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, verbose_name="订单", on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name="产品", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField("数量")
    unit_price = models.DecimalField("成交单价", max_digits=10, decimal_places=2)
    list_price = models.DecimalField("挂牌价", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "订单明细"
        verbose_name_plural = "订单明细"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.product} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


class OrderProblem(models.Model):
    """A problem the member reported with an order (wrong goods, damage, ...), kept with it."""

    order = models.ForeignKey(PurchaseOrder, verbose_name="订单", on_delete=models.PROTECT, related_name="problems")
    text = models.TextField("问题描述")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反映人", on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "订单问题"
        verbose_name_plural = "订单问题"
        ordering = ["-reported_at"]

    def __str__(self):
        return self.text[:30]


class ServiceFee(models.Model):
    """The association's service fee for one supplier's confirmed orders in one round, paid by
    the supplier through payments (disclosed to members on the round page)."""

    class State(models.TextChoices):
        DUE = "due", "待缴纳"
        PAID = "paid", "已缴纳"

    round = models.ForeignKey(Round, verbose_name="团购活动", on_delete=models.PROTECT, related_name="service_fees")
    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.PROTECT, related_name="service_fees")
    base_amount = models.DecimalField("成交金额（元）", max_digits=12, decimal_places=2)
    amount = models.DecimalField("服务费（元）", max_digits=12, decimal_places=2)
    state = models.CharField("状态", max_length=5, choices=State.choices, default=State.DUE)
    paid_at = models.DateTimeField("缴纳时间", null=True, blank=True)

    class Meta:
        verbose_name = "团购服务费"
        verbose_name_plural = "团购服务费"
        constraints = [models.UniqueConstraint(fields=["round", "supplier"], name="purchasing_one_fee_per_supplier")]

    def __str__(self):
        return f"{self.supplier} · {self.round} · ¥{self.amount}"

    # --- payments.Payable -------------------------------------------------------

    def payment_description(self) -> str:
        return f"团购服务费：{self.round.title}"[:120]

    def payment_amount(self) -> Decimal:
        return self.amount

    def payment_payer(self):
        return self.supplier.user

    def invoice_party(self) -> InvoiceParty:
        return InvoiceParty(title=self.supplier.name, tax_id=self.supplier.credit_code)

    def invoice_contact(self) -> tuple[str, str]:
        return self.supplier.user.email or "", self.supplier.contact_mobile

    def payment_done_url(self) -> str:
        return reverse("purchasing:supplier_centre")

    def payment_context(self) -> PaymentContext:
        steps = ["团购成交", "缴纳服务费", "开具发票"]
        return PaymentContext(
            title="团购服务费", steps=[(s, "done" if i == 0 else "current" if i == 1 else "todo")
                                    for i, s in enumerate(steps)],
            next_step="付款成功后，协会在 5 个工作日内开具发票。")
