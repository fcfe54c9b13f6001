"""Rounds, their products with tiered prices, members' quantities (every change kept), and each
member's confirmation after closing."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from membership.models import Member
from purchasing.catalogue.models import Product
from purchasing.pricing import unit_price


class Round(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        CLOSED = "closed", "已截止，待会员确认"
        FINISHED = "finished", "已完成"
        CANCELLED = "cancelled", "已取消"

    title = models.CharField("活动名称", max_length=100)
    description = models.TextField("说明", blank=True)
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    service_fee_percent = models.DecimalField(
        "协会服务费（%）", max_digits=4, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
        help_text="按成交金额向供应商收取，向会员公开；0 表示不收取。")
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.DRAFT, protected=True)
    confirm_by = models.DateField("会员确认截止日", null=True, blank=True)
    closed_at = models.DateTimeField("截止处理时间", null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "团购活动"
        verbose_name_plural = "团购活动"
        ordering = ["-opens_at", "-id"]
        permissions = [("export_round", "可导出团购报表")]
        constraints = [models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                              name="purchasing_round_closes_after_opening",
                                              violation_error_message="截止时间应晚于开始时间。")]

    def __str__(self):
        return self.title

    def is_open(self, now) -> bool:
        return self.state == self.State.PUBLISHED and self.opens_at <= now < self.closes_at

    def status(self, now) -> tuple[str, str]:
        """(label, tone) for the round's badge at ``now``."""
        if self.state == self.State.PUBLISHED and now < self.opens_at:
            return "即将开始", "secondary"
        if self.is_open(now):
            return "进行中", "success"
        return self.get_state_display(), "warning" if self.state == self.State.CLOSED else "secondary"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.DRAFT, target=State.PUBLISHED)
    def publish(self, *, by=None, description=None):
        """Members see it; quantities are taken from the opening to the closing time."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.PUBLISHED, target=State.CLOSED)
    def close(self, *, at, confirm_by, by=None, description=None):
        """Closing time reached: each product succeeded or failed; members confirm."""
        self.closed_at, self.confirm_by = at, confirm_by

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.CLOSED, target=State.FINISHED)
    def finish(self, *, by=None, description=None):
        """The confirmation window ended: whoever did not confirm has withdrawn."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.DRAFT, State.PUBLISHED], target=State.CANCELLED)
    def cancel(self, *, reason: str, by=None, description=None):
        self.cancel_reason = reason


class RoundItem(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", "进行中"
        SUCCEEDED = "succeeded", "成团"
        FAILED = "failed", "未成团"

    round = models.ForeignKey(Round, verbose_name="团购活动", on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, verbose_name="产品", on_delete=models.PROTECT, related_name="round_items")
    tiers = models.JSONField("阶梯价", default=list, help_text="[[数量, 单价], …]，数量递增、单价递减。")
    minimum_quantity = models.PositiveIntegerField("成团最低总量", validators=[MinValueValidator(1)])
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    pooled_quantity = models.PositiveIntegerField("截止时总量", null=True, blank=True)
    final_price = models.DecimalField("成交单价", max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "团购产品"
        verbose_name_plural = "团购产品"
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "product"], name="purchasing_product_once_per_round")]

    def __str__(self):
        return str(self.product)

    def tier_list(self) -> list[tuple[int, Decimal]]:
        return [(int(q), Decimal(str(p))) for q, p in self.tiers]

    def price_at(self, pooled: int) -> Decimal:
        return unit_price(self.tier_list(), pooled, self.product.list_price)


class Demand(models.Model):
    """A member's quantity of one product in one round (0 removes it); only the member sees it."""

    item = models.ForeignKey(RoundItem, verbose_name="团购产品", on_delete=models.CASCADE, related_name="demands")
    member = models.ForeignKey(Member, verbose_name="会员", on_delete=models.PROTECT, related_name="demands")
    quantity = models.PositiveIntegerField("数量", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "会员需求"
        verbose_name_plural = "会员需求"
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="purchasing_one_demand_per_member")]

    def __str__(self):
        return f"{self.member} × {self.quantity}"


class DemandChange(models.Model):
    """Each change a member made to a quantity, kept."""

    demand = models.ForeignKey(Demand, verbose_name="会员需求", on_delete=models.CASCADE, related_name="changes")
    before = models.PositiveIntegerField("原数量")
    after = models.PositiveIntegerField("新数量")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "需求变更记录"
        verbose_name_plural = "需求变更记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.before} → {self.after}"


class Participation(models.Model):
    """A member's answer after closing: confirm the successful products at the final prices, or
    withdraw. No answer by the window's end counts as withdrawn."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "已确认"
        WITHDRAWN = "withdrawn", "已放弃"

    round = models.ForeignKey(Round, verbose_name="团购活动", on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(Member, verbose_name="会员", on_delete=models.PROTECT, related_name="participations")
    decision = models.CharField("确认结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "会员确认"
        verbose_name_plural = "会员确认"
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="purchasing_one_answer_per_member")]

    def __str__(self):
        return f"{self.member} · {self.get_decision_display()}"
