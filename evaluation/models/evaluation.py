"""The evaluation: one institution's application under one programme, its state machine (the
graph is the programme's), the stored working-day deadlines, the self-assessment answers,
appeals and objections."""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_fsm import GET_STATE, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.uploads import RandomUploadPath
from payments.payable import InvoiceParty, PaymentContext

from ..readers import may_read
from .programme import Criterion, Option, Programme, document_validator, report_validator


def _step(name: str, *extra_conditions) -> dict:
    """A transition taken where the evaluation's programme graph has ``name`` from the current
    state, to the state the graph names (``can_proceed`` asks the same graph)."""
    return {
        "field": "state",
        "source": "*",
        "target": GET_STATE(lambda evaluation, *args, **kwargs: evaluation.rules.target(name, evaluation.state)),
        "conditions": [lambda evaluation: evaluation.rules.allows(name, evaluation.state), *extra_conditions],
    }


class Evaluation(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "待受理"
        RETURNED = "returned", "退回修改"
        REJECTED = "rejected", "不予受理"
        AWAITING_PAYMENT = "awaiting_payment", "待缴费"
        SELF_ASSESSMENT = "self_assessment", "自评中"
        UNDER_REVIEW = "under_review", "评价中"
        SUPPLEMENT = "supplement", "补充材料"
        EVIDENCE = "evidence", "材料上传中"
        EXPERT_REVIEW = "expert_review", "专家评审"
        ON_SITE = "on_site", "现场评审"
        INITIAL_RESULT = "initial_result", "初评结果"
        APPEALED = "appealed", "复议中"
        COMMITTEE = "committee", "评审委员会审议"
        PUBLIC_NOTICE = "public_notice", "公示中"
        PUBLISHED = "published", "已发布"
        EXPIRED = "expired", "已过期"
        REVOKED = "revoked", "已撤销"
        UNRATED = "unrated", "未获星级"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="evaluations",
                                  verbose_name="评价项目")
    member = models.ForeignKey("membership.Member", on_delete=models.PROTECT, related_name="evaluations",
                               verbose_name="参评机构")
    state = FSMField("状态", max_length=20, choices=State.choices, default=State.DRAFT, protected=True)
    agreed_at = models.DateTimeField("同意管理办法时间")
    declarations = models.JSONField("承诺事项", default=list)
    handler_name = models.CharField("经办人", max_length=50, blank=True)
    handler_mobile = models.CharField("经办人手机", max_length=11, blank=True)
    office_comment = models.TextField("评价办公室意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    fee = models.DecimalField("评价费（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    self_score = models.DecimalField("自评分", max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField("评价得分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=5, blank=True)
    report = models.FileField("评价报告", upload_to=RandomUploadPath("evaluation/reports"), blank=True,
                              validators=[report_validator])
    report_revised = models.BooleanField("报告已修订", default=False)
    meetings_held = models.PositiveSmallIntegerField("已召开评审会", default=0)
    certificate_no = models.CharField("证书编号", max_length=30, unique=True, null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    extended = models.BooleanField("已延期", default=False)
    extension_reason = models.TextField("延期原因", blank=True)
    certificate = models.FileField("证书", upload_to=RandomUploadPath("evaluation/certificates"), blank=True)
    plaque = models.FileField("铭牌", upload_to=RandomUploadPath("evaluation/plaques"), blank=True)
    final_report = models.FileField("最终评价报告", upload_to=RandomUploadPath("evaluation/final-reports"),
                                    blank=True, validators=[report_validator])
    revoke_reason = models.TextField("撤销/降级原因", blank=True)
    acceptance_notice = models.FileField("受理通知书", upload_to=RandomUploadPath("evaluation/acceptance-notices"),
                                         blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        permissions = [("export_evaluation", "可导出评价")]
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "programme"]),
                   # The admin's list and the office's queues read the newest first, a page at a time.
                   models.Index(fields=["-created_at", "-id"], name="evaluation_newest_first"),
                   # The public registry lists certified results newest first: read in order, a
                   # page stops after its rows instead of sorting every result (the id orders
                   # results published in the same instant, so pages never overlap).
                   models.Index(fields=["-published_at", "-id"], condition=models.Q(certificate_no__isnull=False),
                                name="evaluation_registry_newest")]
        constraints = [
            # One evaluation in progress per member and programme (a published result may be
            # renewed alongside it; closed ones are history). evaluation_start also locks the member.
            models.UniqueConstraint(fields=["member", "programme"],
                                    condition=~models.Q(state__in=["rejected", "published", "expired", "revoked", "unrated"]),
                                    name="evaluation_one_open_per_programme"),
        ]

    def __str__(self):
        return f"{self.member} · {self.programme}"

    def get_absolute_url(self):
        return reverse("evaluation:detail", args=[self.pk])

    def current_clock(self):
        """The open clock that runs out first: the due date that binds someone now.
        Uses prefetched deadlines, so lists cost no query per row."""
        running = [d for d in self.deadlines.all() if d.met_at is None and d.acted_at is None]
        return min(running, key=lambda d: d.due_on, default=None)

    # Evaluations that no longer count: refused, or a result that lapsed or was withdrawn.
    CLOSED_STATES = (State.REJECTED, State.EXPIRED, State.REVOKED, State.UNRATED)

    # --- the programme ---------------------------------------------------------------------

    @property
    def rules(self):
        """Everything this evaluation's programme does differently (evaluation.programmes)."""
        return self.programme.rules

    @property
    def documents_open(self) -> bool:
        """Whether the institution may change its uploaded documents now."""
        return self.state in self.rules.documents_states

    @property
    def scoring_open(self) -> bool:
        """Whether evaluators or experts may score now."""
        return self.state in self.rules.scoring_states

    @property
    def is_current_result(self) -> bool:
        return self.state == self.State.PUBLISHED

    def progress(self) -> list[tuple[str, str]]:
        return self.rules.progress(self.state)

    @property
    def result_label(self) -> str:
        """The result as the public reads it (a grade; stars for a star rating)."""
        return self.rules.result_label(self.grade)

    @property
    def online_form(self):
        """The online 申报表 (ApplicationForm) where the programme has one, else None."""
        return getattr(self, "application_form", None) if self.rules.application_form else None

    # --- transitions: check and move state only --------------------------------------
    # Where each may be taken, and where it leads, is the programme's graph
    # (evaluation/programmes/<kind>.py); the methods only record what the step decides.

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("submit"))
    def submit(self, *, at, by=None, description=None):
        """The institution submits its application for acceptance."""
        self.submitted_at = at

    def provincial_cleared(self) -> bool:
        """Whether the office may decide to accept: no provincial association review, or the
        latest one agreed or was let lapse (004 §18)."""
        latest = self.provincial_reviews.order_by("-opened_at", "-id").first()
        return latest is None or latest.clears_acceptance

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("accept", lambda evaluation: evaluation.provincial_cleared()))
    def accept(self, *, fee=None, by=None, description=None):
        """The office accepts the application (credit: the fee is next; capability: evidence)."""
        self.fee = fee
        self.office_comment = ""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("return_for_correction"))
    def return_for_correction(self, *, comment: str, by=None, description=None):
        self.office_comment = comment

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("reject"))
    def reject(self, *, reason: str, by=None, description=None):
        self.office_comment = reason

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("fee_paid"))
    def fee_paid(self, *, by=None, description=None):
        """The fee order is paid; the questionnaire opens."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("submit_self_assessment"))
    def submit_self_assessment(self, *, self_score, by=None, description=None):
        self.self_score = self_score

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("request_supplement"))
    def request_supplement(self, *, comment: str, by=None, description=None):
        self.office_comment = comment

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("resubmit_supplement"))
    def resubmit_supplement(self, *, by=None, description=None):
        self.office_comment = ""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("submit_evidence"))
    def submit_evidence(self, *, by=None, description=None):
        """Evidence for every item that needs it is in; the experts' review begins."""
        self.office_comment = ""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("reopen_evidence"))
    def reopen_evidence(self, *, comment: str, by=None, description=None):
        """The office reopens the evidence for the institution, saying what is missing."""
        self.office_comment = comment

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("start_visit"))
    def start_visit(self, *, by=None, description=None):
        """The group is drawn and confirmed and the visit notified: the on-site review."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("send_to_committee"))
    def send_to_committee(self, *, score, by=None, description=None):
        """Every expert scored and every member signed the group report (its total, out of 100)."""
        self.score = score

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("give_initial_result"))
    def give_initial_result(self, *, score, grade: str, by=None, description=None):
        """The score and its result (credit: a grade; capability: a star level) go to the institution."""
        self.score, self.grade = score, grade

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("appeal"))
    def appeal(self, *, by=None, description=None):
        """Once, while the appeal window is open (the service checks the window)."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("answer_appeal"))
    def answer_appeal(self, *, by=None, description=None):
        """The office answered the appeal (the report may have been revised once)."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("close_appeal_window"))
    def close_appeal_window(self, *, by=None, description=None):
        """No appeal within the window: the result moves on."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("committee_approve"))
    def committee_approve(self, *, by=None, description=None):
        """The committee approved the result: public notice."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("committee_send_back"))
    def committee_send_back(self, *, by=None, description=None):
        """The committee sent the case back (credit: to the evaluators; capability: to the group)."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("conclude_unrated"))
    def conclude_unrated(self, *, by=None, description=None):
        """No star level, and the appeal is over: the evaluation ends without public notice."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("uphold_objection"))
    def uphold_objection(self, *, by=None, description=None):
        """An objection during the notice was upheld: back to the committee."""

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("publish"))
    def publish(self, *, at, valid_until, certificate_no: str, by=None, description=None):
        self.published_at, self.valid_until, self.certificate_no = at, valid_until, certificate_no

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("downgrade"))
    def downgrade(self, *, grade: str, reason: str, by=None, description=None):
        """A lower result after a committee-approved review; the certificate is reissued."""
        self.grade, self.revoke_reason = grade, reason

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("extend", lambda e: not e.extended))
    def extend(self, *, valid_until, reason: str, by=None, description=None):
        """The one extension (延期续评) of at most 6 months, on a written reason kept with it."""
        self.valid_until, self.extended, self.extension_reason = valid_until, True, reason

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("revoke"))
    def revoke(self, *, reason: str, by=None, description=None):
        self.revoke_reason = reason

    @fsm_log_by
    @fsm_log_description
    @transition(**_step("expire"))
    def expire(self, *, by=None, description=None):
        """Validity ended without renewal."""

    # --- payments.Payable ----------------------------------------------------------------

    def payment_description(self) -> str:
        return f"{self.programme.name}费"

    def payment_amount(self) -> Decimal:
        return self.fee

    def payment_payer(self):
        return self.member.user

    def invoice_party(self) -> InvoiceParty:
        return InvoiceParty(title=self.member.name, tax_id=self.member.credit_code)

    def invoice_contact(self) -> tuple[str, str]:
        return self.member.invoice_contact()

    def payment_done_url(self) -> str:
        return self.get_absolute_url()

    def payment_context(self) -> PaymentContext:
        return PaymentContext(title=f"{self.programme.name} · 缴纳评价费", steps=self.progress(),
                              next_step="缴费成功后即可填写自评问卷（财务核实对公转账后同样自动进入下一步）。")

    def can_view_file(self, user, field_name) -> bool:
        if user.pk == self.member.user_id or user.has_perm("evaluation.view_evaluation"):
            return field_name != "final_report" or self.state == self.State.PUBLISHED or user.is_staff
        return self.has_evaluator(user) or (field_name == "report" and may_read(user, self))

    def has_evaluator(self, user) -> bool:
        """Assigned and not recused: a conflict found later ends access at once."""
        return user.is_authenticated and self.assignments.filter(evaluator=user).exclude(state="recused").exists()

    def download_name(self, field_name) -> str:
        names = {"report": "评价报告", "certificate": "证书", "plaque": "铭牌", "final_report": "最终评价报告",
                 "acceptance_notice": "受理通知书" if self.state != self.State.REJECTED else "不予受理通知书"}
        return f"{self.member.name}{names.get(field_name, field_name)}.pdf"


class Answer(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="answers")
    criterion = models.ForeignKey(Criterion, verbose_name="评价标准条目", on_delete=models.PROTECT)
    option = models.ForeignKey(Option, verbose_name="选项", on_delete=models.PROTECT)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "自评答案"
        verbose_name_plural = "自评答案"
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="evaluation_one_answer")]

    def __str__(self):
        return f"{self.criterion_id}: {self.option}"


class Deadline(models.Model):
    """A stored working-day due date; the deadline scanner acts on it once."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", "受理（10个工作日）"
        REPORT = "report", "出具评价报告（30个工作日）"
        APPEAL_WINDOW = "appeal_window", "复议申请期（5个工作日）"
        APPEAL_ANSWER = "appeal_answer", "复议答复（10个工作日）"
        NOTICE = "notice", "公示期（7个工作日）"
        FINAL_REPORT = "final_report", "上传最终报告（20个工作日）"
        PROVINCIAL = "provincial", "省级协会初审（15个工作日）"

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField("时限", max_length=20, choices=Kind.choices)
    starts_on = models.DateField("起算日")
    due_on = models.DateField("截止日")
    provisional = models.BooleanField("暂定", default=False)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    acted_at = models.DateTimeField("处理时间", null=True, blank=True)
    met_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "时限"
        verbose_name_plural = "时限"
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "kind"], name="evaluation_one_clock_per_kind")]
        indexes = [models.Index(fields=["met_at", "acted_at", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} 截止 {self.due_on:%Y-%m-%d}"


class Appeal(models.Model):
    evaluation = models.OneToOneField(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="appeal_record")
    reasons = models.TextField("复议理由")
    attachment = models.FileField("附件", upload_to=RandomUploadPath("evaluation/appeals"), blank=True,
                                  validators=[document_validator])
    attachment_name = models.CharField("附件文件名", max_length=200, blank=True)
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="答复人")

    class Meta:
        verbose_name = "复议"
        verbose_name_plural = "复议"

    def __str__(self):
        return f"{self.evaluation} 复议"

    def can_view_file(self, user, field_name) -> bool:
        return self.evaluation.can_view_file(user, "appeal")

    def download_name(self, field_name) -> str:
        return self.attachment_name


class Objection(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "待核查"
        UPHELD = "upheld", "成立"
        DISMISSED = "dismissed", "不成立"

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="objections")
    name = models.CharField("姓名/单位", max_length=100)
    contact = models.CharField("联系方式", max_length=100)
    text = models.TextField("异议内容")
    attachment = models.FileField("附件", upload_to=RandomUploadPath("evaluation/objections"), blank=True,
                                  validators=[document_validator])
    attachment_name = models.CharField("附件文件名", max_length=200, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decision = models.CharField("核查结论", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField("核查说明", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="核查人")
    decided_at = models.DateTimeField("核查时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.evaluation} 异议（{self.name}）"

    def can_view_file(self, user, field_name) -> bool:
        return user.has_perm("evaluation.view_objection")

    def download_name(self, field_name) -> str:
        return self.attachment_name
