"""A person's registration for a project, paid through payments when there is a fee."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.identifiers import mask_id_number, validate_id_number
from education.projects.models import Project
from payments.payable import InvoiceParty, PaymentContext

# A participant's way through a project, shown on the registration and payment pages.
PROGRESS_STEPS = ["填写报名信息", "缴纳报名费", "报名成功", "签到学习", "获得学分"]


class Registration(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        AWAITING_PAYMENT = "awaiting", "待缴费"
        REGISTERED = "registered", "已报名"
        CANCELLED = "cancelled", "已取消"

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT,
                             related_name="cme_registrations")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18, validators=[validate_id_number])
    unit = models.CharField("工作单位", max_length=100)
    title = models.CharField("职称", max_length=50)
    mobile = models.CharField("手机号", max_length=11)
    email = models.EmailField("电子邮箱", blank=True)
    invoice_title = models.CharField("发票抬头", max_length=100, blank=True)
    invoice_tax_id = models.CharField("纳税人识别号", max_length=20, blank=True)
    member_price = models.BooleanField("按会员价", default=False)
    fee = models.DecimalField("报名费（元）", max_digits=8, decimal_places=2, default=Decimal("0"))
    state = FSMField("状态", max_length=12, choices=State.choices, default=State.AWAITING_PAYMENT, protected=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    created_at = models.DateTimeField("报名时间", auto_now_add=True)
    registered_at = models.DateTimeField("报名成功时间", null=True, blank=True)

    class Meta:
        verbose_name = "报名"
        verbose_name_plural = "报名"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], condition=~models.Q(state="cancelled"),
                                    name="education_one_registration_per_person",
                                    violation_error_message="您已报名该项目。"),
        ]

    def __str__(self):
        return f"{self.name} · {self.project.title}"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    # --- transitions ---------------------------------------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.AWAITING_PAYMENT, target=State.REGISTERED)
    def confirm(self, *, at, by=None, description=None):
        """The fee is paid (or there is none): the seat is the participant's."""
        self.registered_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.AWAITING_PAYMENT, State.REGISTERED], target=State.CANCELLED)
    def cancel(self, *, reason: str, by=None, description=None):
        self.cancel_reason = reason

    # --- payments.Payable -------------------------------------------------------

    def payment_description(self) -> str:
        return f"继教项目报名费：{self.project.title}"[:120]

    def payment_amount(self) -> Decimal:
        return self.fee

    def payment_payer(self):
        return self.user

    def invoice_party(self) -> InvoiceParty:
        return InvoiceParty(title=self.invoice_title or self.name, tax_id=self.invoice_tax_id)

    def invoice_contact(self) -> tuple[str, str]:
        return self.email, self.mobile

    def payment_done_url(self) -> str:
        return reverse("education:registration", args=[self.pk])

    def payment_context(self) -> PaymentContext:
        return PaymentContext(
            title="学分继教 · 缴纳报名费",
            steps=[(label, "done" if i < 1 else "current" if i == 1 else "todo")
                   for i, label in enumerate(PROGRESS_STEPS)],
            next_step="付款成功后报名即时生效，您将收到报名确认（站内消息、短信和邮件）。",
        )
