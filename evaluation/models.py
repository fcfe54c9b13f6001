"""National industry evaluations: the engine both programmes share, and what is credit-only.

Shared: Programme (regulation, document templates, fee schedule), Evaluation (the state
machine), SubmittedDocument (every version kept), Deadline (stored working-day timers),
Appeal, Objection, Criterion (the standard) and CriterionScore. Credit-only: the
self-assessment Options on criteria,
the institution's Answers, and GradeBand (score → grade).
"""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import GET_STATE, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.uploads import RandomUploadPath, UploadValidator
from payments.payable import InvoiceParty, PaymentContext

from .readers import may_read

document_validator = UploadValidator(kinds=("pdf", "jpeg", "png", "docx", "xlsx"), max_bytes=20 * 1024 * 1024)
report_validator = UploadValidator(kinds=("pdf",), max_bytes=30 * 1024 * 1024)


class Programme(models.Model):
    class Kind(models.TextChoices):
        CREDIT = "credit", "社会信用评价"
        CAPABILITY = "capability", "服务能力评价"

    kind = models.CharField("评价项目", max_length=12, choices=Kind.choices, unique=True)
    name = models.CharField("名称", max_length=50)
    regulation_title = models.CharField("管理办法名称", max_length=100)
    regulation_text = models.TextField("管理办法全文", help_text="申请前须阅读并同意。")
    declarations = models.TextField("承诺事项", blank=True, help_text="每行一项，申请时逐项勾选确认。")
    validity_years = models.PositiveSmallIntegerField("证书有效期（年）", default=3)
    is_open = models.BooleanField("接受申请", default=True)
    standard_document_url = models.CharField("评价标准文本链接", max_length=200, blank=True,
                                             help_text="例如门户“团体标准”栏目中该标准文本的页面地址，显示在“学习标准”页面。")

    class Meta:
        verbose_name = "评价项目"
        verbose_name_plural = "评价项目"

    def __str__(self):
        return self.name

    @property
    def rules(self):
        """Everything this programme does differently (evaluation/programmes/<kind>.py)."""
        from .programmes import rules_for

        return rules_for(self.kind)

    def declaration_list(self) -> list[str]:
        return [line.strip() for line in self.declarations.splitlines() if line.strip()]


class ProgrammeDocument(models.Model):
    """A document the institution downloads, fills in, seals and uploads (申报表, 承诺书 …)."""

    programme = models.ForeignKey(Programme, verbose_name="评价项目", on_delete=models.CASCADE, related_name="documents")
    name = models.CharField("文件名称", max_length=50)
    template = models.FileField("模板文件", upload_to=RandomUploadPath("evaluation/templates"), blank=True,
                                validators=[document_validator])
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "申报文件"
        verbose_name_plural = "申报文件"
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def can_view_file(self, user, field_name) -> bool:
        return user.is_authenticated

    def download_name(self, field_name) -> str:
        extension = self.template.name.rsplit(".", 1)[-1]
        return f"{self.name}.{extension}"


class Fee(models.Model):
    """The evaluation fee by institution type (按第三方信评机构缴费标准)."""

    programme = models.ForeignKey(Programme, verbose_name="评价项目", on_delete=models.CASCADE, related_name="fees")
    institution_type = models.CharField("机构类型", max_length=20)
    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        verbose_name = "评价收费标准"
        verbose_name_plural = "评价收费标准"
        constraints = [models.UniqueConstraint(fields=["programme", "institution_type"], name="evaluation_one_fee")]

    def __str__(self):
        return f"{self.programme} {self.institution_type} ¥{self.amount}"


# --- the standard both programmes evaluate against ---------------------------------------

class Criterion(models.Model):
    """The programme's standard as data: chapters (no parent) and their items. An item has
    its requirement, maximum points and whether evidence must be uploaded for it. Evaluators
    and experts score items (CriterionScore); credit's self-assessment options hang on items."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria",
                                  verbose_name="评价项目")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="items",
                               verbose_name="所属章节")
    code = models.CharField("编号", max_length=20, blank=True)
    text = models.TextField("章节名称 / 评价要求")
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(0)], help_text="条目必填；章节留空。")
    evidence_required = models.BooleanField("须上传佐证材料", default=False)
    guidance = models.TextField("佐证材料指引", blank=True)
    required = models.BooleanField("必答", default=True, help_text="社会信用评价自评问卷中须作答。")
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评价标准条目"
        verbose_name_plural = "评价标准"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(parent__isnull=True) | models.Q(max_points__isnull=False),
                                   name="evaluation_item_has_maximum"),
        ]

    def __str__(self):
        return f"{self.code} {self.text}".strip()[:80]

    def save(self, *args, **kwargs):
        # An item belongs to its chapter's programme (items added under a chapter in the admin).
        if self.parent_id and not self.programme_id:
            self.programme_id = self.parent.programme_id
        super().save(*args, **kwargs)

    @property
    def is_item(self) -> bool:
        return self.parent_id is not None


class Option(models.Model):
    """A self-assessment choice of a credit item (社会信用评价自评问卷)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options",
                                  verbose_name="评价条目")
    text = models.CharField("选项", max_length=200)
    points = models.DecimalField("分值", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "选项"
        verbose_name_plural = "选项"
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.text}（{self.points}分）"


class GradeBand(models.Model):
    """Lower-inclusive score bands (seed 001, annex); 100 belongs to the top band."""

    programme = models.ForeignKey(Programme, verbose_name="评价项目", on_delete=models.CASCADE, related_name="grade_bands")
    grade = models.CharField("等级", max_length=5)
    min_score = models.DecimalField("最低分（含）", max_digits=5, decimal_places=2,
                                    validators=[MinValueValidator(0), MaxValueValidator(100)])
    meaning = models.CharField("含义", max_length=100, blank=True)

    class Meta:
        verbose_name = "信用等级"
        verbose_name_plural = "信用等级"
        ordering = ["-min_score"]
        constraints = [models.UniqueConstraint(fields=["programme", "grade"], name="evaluation_unique_grade")]

    def __str__(self):
        return f"{self.grade} ≥{self.min_score}"


# --- the evaluation -------------------------------------------------------------------------

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
                   # page stops after its rows instead of sorting every result.
                   models.Index(fields=["-published_at"], condition=models.Q(certificate_no__isnull=False),
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
        return latest is None or latest.decision in (ProvincialReview.Decision.AGREED, ProvincialReview.Decision.LAPSED)

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


evidence_validator = UploadValidator(kinds=("pdf", "jpeg", "png", "docx", "xlsx"), max_bytes=20 * 1024 * 1024)


class Evidence(models.Model):
    """A file of evidence for one item of the standard (对照标准上传材料): several per item, each
    with a caption. A replaced or removed file is kept, marked superseded (seed 002's failure,
    later uploads overwriting earlier ones, cannot happen)."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name="评价条目")
    file = models.FileField("文件", upload_to=RandomUploadPath("evaluation/evidence"), validators=[evidence_validator])
    original_name = models.CharField("文件名", max_length=200)
    caption = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    superseded_at = models.DateTimeField("替换/移除时间", null=True, blank=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["criterion__position", "uploaded_at", "id"]
        indexes = [models.Index(fields=["evaluation", "criterion", "superseded_at"])]

    def __str__(self):
        return f"{self.criterion.code} {self.original_name}"

    def can_view_file(self, user, field_name) -> bool:
        return self.evaluation.can_view_file(user, "evidence")

    def download_name(self, field_name) -> str:
        return self.original_name


class SupersededFile(models.Model):
    """A file of the evaluation that a later one replaced (a revised report, a reissued
    certificate after a downgrade): kept as history, never deleted (001 §18(九))."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="superseded_files")
    field = models.CharField("项目", max_length=30)
    file = models.FileField("文件", upload_to=RandomUploadPath("evaluation/superseded"))
    reason = models.CharField("替换原因", max_length=200)
    replaced_at = models.DateTimeField("替换时间", auto_now_add=True)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="操作人")

    class Meta:
        verbose_name = "历史文件"
        verbose_name_plural = "历史文件"
        ordering = ["-replaced_at", "-id"]

    def __str__(self):
        return f"{self.evaluation} {self.field}（{self.replaced_at:%Y-%m-%d}）"

    def can_view_file(self, user, field_name) -> bool:
        return user.has_perm("evaluation.view_evaluation")

    def download_name(self, field_name) -> str:
        return f"{self.evaluation.member.name}{self.field}-{self.replaced_at:%Y%m%d}.pdf"


class SubmittedDocument(models.Model):
    """One uploaded file for one required document; re-uploads add versions, nothing is deleted."""

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="documents")
    document = models.ForeignKey(ProgrammeDocument, on_delete=models.PROTECT, verbose_name="文件")
    file = models.FileField("文件", upload_to=RandomUploadPath("evaluation/documents"), validators=[document_validator])
    original_name = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    superseded = models.BooleanField("已被替换", default=False)
    office_comment = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        ordering = ["document__position", "-uploaded_at"]

    def __str__(self):
        return f"{self.document}: {self.original_name}"

    def can_view_file(self, user, field_name) -> bool:
        return self.evaluation.can_view_file(user, "documents")

    def download_name(self, field_name) -> str:
        return self.original_name


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


class Assignment(ConcurrentTransitionMixin, models.Model):
    """An evaluator (or expert) assigned to an evaluation: the only link between evaluation
    and the experts app. Scores are per item of the standard; the total is out of 100."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", "评分中"
        SUBMITTED = "submitted", "已提交"
        RECUSED = "recused", "已回避"

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="assignments")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
                                  verbose_name="评价人员")
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.ASSIGNED, protected=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="指派人", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)
    comment = models.TextField("评价意见", blank=True)
    total = models.DecimalField("得分（百分制）", max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    recused_at = models.DateTimeField("回避时间", null=True, blank=True)
    recused_reason = models.TextField("回避原因", blank=True)

    class Meta:
        verbose_name = "评价指派"
        verbose_name_plural = "评价指派"
        ordering = ["-assigned_at"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "evaluator"], name="evaluation_assign_once")]

    def __str__(self):
        return f"{self.evaluation} → {self.evaluator}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.ASSIGNED, target=State.SUBMITTED)
    def submit(self, *, total, at, by=None, description=None):
        """Every item scored: the total is fixed and the scores can no longer change."""
        self.total, self.submitted_at = total, at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.ASSIGNED, State.SUBMITTED], target=State.RECUSED)
    def recuse(self, *, reason: str, at, by=None, description=None):
        """A conflict of interest ends the assignment; it stays on record."""
        self.recused_reason, self.recused_at = reason, at


class CriterionScore(models.Model):
    """One evaluator's score for one item of the standard, within its maximum, with a comment."""

    assignment = models.ForeignKey(Assignment, verbose_name="评分任务", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, verbose_name="评价条目")
    score = models.DecimalField("评分", max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    comment = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "逐项评分"
        verbose_name_plural = "逐项评分"
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="evaluation_one_score")]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"


# --- the capability programme's online application form (004 annex 2-2) --------------------

class ApplicationForm(models.Model):
    """The online 申报表 of one evaluation: the answers as typed, per section (described in
    evaluation/application_form.py), saved as the institution goes; its PDF for signature and
    seal, rendered from the answers in the background; the office's per-section comments when
    it returns the application. Each submission keeps a copy (ApplicationFormVersion)."""

    evaluation = models.OneToOneField(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="application_form")
    data = models.JSONField("填报内容", default=dict)
    changed_at = models.DateTimeField("最后修改时间", null=True, blank=True)
    pdf = models.FileField("申报表（PDF）", upload_to=RandomUploadPath("evaluation/application-forms"), blank=True)
    pdf_of = models.DateTimeField("PDF 对应的修改时间", null=True, blank=True,
                                  help_text="PDF 依据此时刻的填报内容生成；内容再修改后须重新生成。")
    section_comments = models.JSONField("分部分退回意见", default=dict, blank=True)

    class Meta:
        verbose_name = "能力评价申报表"
        verbose_name_plural = "能力评价申报表"

    def __str__(self):
        return f"{self.evaluation.member} 申报表"

    @property
    def years(self) -> tuple[int, int, int]:
        from .application_form import years_before

        return years_before(self.evaluation.agreed_at.year)

    def filled(self, initial: dict | None = None):
        from .application_form import FilledForm

        return FilledForm(self.data, self.years, initial)

    @property
    def pdf_current(self) -> bool:
        return bool(self.pdf) and self.pdf_of == self.changed_at

    def can_view_file(self, user, field_name) -> bool:
        return self.evaluation.can_view_file(user, "application_form")

    def download_name(self, field_name) -> str:
        return f"{self.evaluation.member.name}能力评价申报表.pdf"


class ApplicationFormVersion(models.Model):
    """The answers as they were submitted, each time (a return and resubmission adds one)."""

    form = models.ForeignKey(ApplicationForm, verbose_name="申报表", on_delete=models.PROTECT, related_name="versions")
    data = models.JSONField("填报内容")
    submitted_at = models.DateTimeField("提交时间")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="提交人")

    class Meta:
        verbose_name = "申报表提交记录"
        verbose_name_plural = "申报表提交记录"
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return f"{self.form} {self.submitted_at:%Y-%m-%d %H:%M}"


class ProvincialAssociation(models.Model):
    """A provincial non-public medical institutions association that reviews its province's
    capability applications first (004 §18, §19(一)); a province without one is reviewed by the
    office directly."""

    province = models.CharField("省（自治区、直辖市）", max_length=20, unique=True)
    name = models.CharField("协会名称", max_length=100)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    is_active = models.BooleanField("参与初审", default=True)

    class Meta:
        verbose_name = "省级协会"
        verbose_name_plural = "省级协会"
        ordering = ["province"]

    def __str__(self):
        return self.name


class ProvincialReview(models.Model):
    """One submission's review by its provincial association (15 working days). The office
    accepts only after the association agreed, or after recording that it let the time pass."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审核"
        AGREED = "agreed", "同意上报"
        OBJECTED = "objected", "不同意上报"
        LAPSED = "lapsed", "逾期未审，评价办公室直接审核"

    evaluation = models.ForeignKey(Evaluation, verbose_name="评价", on_delete=models.PROTECT, related_name="provincial_reviews")
    association = models.ForeignKey(ProvincialAssociation, on_delete=models.PROTECT, verbose_name="省级协会")
    opened_at = models.DateTimeField("送审时间", auto_now_add=True)
    decision = models.CharField("审核结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    opinion = models.TextField("审核意见", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="记录人")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "省级协会初审"
        verbose_name_plural = "省级协会初审"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation"], condition=models.Q(decision="pending"),
                                    name="evaluation_one_pending_provincial_review"),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.association}"

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING


class SpotCheck(ConcurrentTransitionMixin, models.Model):
    """A check on a published result (004 §21-22; credit 001 §18(十)): an unannounced spot
    check, a focused assessment or an on-site re-evaluation. Where it asks for rectification by
    a date, the institution reports in writing and the office accepts the report or sets a new
    date; a failed check is the ground for a downgrade or revocation (ResultChange)."""

    class Kind(models.TextChoices):
        SPOT = "spot", "不定期抽查"
        FOCUS = "focus", "重点考核评估"
        REVISIT = "revisit", "现场复评"

    class Outcome(models.TextChoices):
        MEETS = "meets", "符合要求"
        RECTIFY = "rectify", "限期整改"
        FAILED = "failed", "复核不通过"

    class State(models.TextChoices):
        AWAITING = "awaiting", "待报整改情况"
        REPORTED = "reported", "整改报告待验收"
        CLOSED = "closed", "已结案"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="spot_checks",
                                   verbose_name="评价")
    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    checked_on = models.DateField("检查日期")
    findings = models.TextField("发现的问题及结论")
    outcome = models.CharField("结论", max_length=10, choices=Outcome.choices)
    requirements = models.TextField("整改要求", blank=True)
    due_on = models.DateField("整改报告截止日", null=True, blank=True)
    state = FSMField("整改状态", max_length=10, choices=State.choices, default=State.CLOSED, protected=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    review_note = models.TextField("验收意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="验收人")
    reviewed_at = models.DateTimeField("验收时间", null=True, blank=True)
    overdue_notified_at = models.DateTimeField("逾期提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽查与整改"
        verbose_name_plural = "抽查与整改"
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            # One open rectification per result: a second request waits until the first is closed.
            models.UniqueConstraint(fields=["evaluation"], condition=~models.Q(state="closed"),
                                    name="evaluation_one_open_rectification"),
            models.CheckConstraint(condition=~models.Q(outcome="rectify") | models.Q(due_on__isnull=False),
                                   name="spotcheck_rectify_has_due_date"),
        ]

    def __str__(self):
        return f"{self.evaluation.member} {self.get_kind_display()}（{self.checked_on:%Y-%m-%d}）"

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.AWAITING and self.due_on < timezone.localdate()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.AWAITING, target=State.REPORTED)
    def report(self, *, by=None, description=None):
        """The institution's written rectification report is in."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.REPORTED, target=State.CLOSED)
    def accept(self, *, note: str, at, by=None, description=None):
        """The office accepts the rectification."""
        self.review_note, self.reviewed_by, self.reviewed_at = note, by, at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.REPORTED, target=State.AWAITING)
    def send_back(self, *, note: str, due_on, at, by=None, description=None):
        """The rectification is not enough: a new date for a further report."""
        self.review_note, self.reviewed_by, self.reviewed_at = note, by, at
        self.due_on, self.overdue_notified_at = due_on, None

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.AWAITING, State.REPORTED], target=State.CLOSED)
    def close(self, *, note: str, at, by=None, description=None):
        """Closed without accepting a report (e.g. the result was revoked meanwhile)."""
        self.review_note, self.reviewed_by, self.reviewed_at = note, by, at


class RectificationReport(models.Model):
    """The institution's written report on its rectification (004 §22); every one is kept."""

    spot_check = models.ForeignKey(SpotCheck, verbose_name="抽查考核", on_delete=models.PROTECT, related_name="reports")
    text = models.TextField("整改情况")
    file = models.FileField("书面报告", upload_to=RandomUploadPath("evaluation/rectifications"), blank=True,
                            validators=[document_validator])
    file_name = models.CharField("文件名", max_length=200, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="提交人")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"{self.spot_check} 整改报告"

    def can_view_file(self, user, field_name) -> bool:
        evaluation = self.spot_check.evaluation
        return user.pk == evaluation.member.user_id or user.has_perm("evaluation.view_spotcheck")

    def download_name(self, field_name) -> str:
        return self.file_name


class ResultChange(models.Model):
    """A downgrade or revocation of a published result (004 §23; 001 §18(十)): the reason, the
    leading group's approval as its own record, and who entered it. The registry publishes it."""

    class Kind(models.TextChoices):
        DOWNGRADE = "downgrade", "降级"
        REVOKE = "revoke", "撤销（摘牌）"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="result_changes",
                                   verbose_name="评价")
    kind = models.CharField("处理", max_length=10, choices=Kind.choices)
    from_grade = models.CharField("原等级", max_length=10, blank=True)
    to_grade = models.CharField("调整后等级", max_length=10, blank=True)
    reason = models.TextField("原因")
    approval = models.TextField("评价领导小组核准情况")
    approved_on = models.DateField("核准日期")
    spot_check = models.ForeignKey(SpotCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="依据的抽查/复评")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="登记人")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "结果处理（降级/撤销）"
        verbose_name_plural = "结果处理（降级/撤销）"
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"{self.evaluation.member} {self.get_kind_display()}"

    @property
    def from_label(self) -> str:
        return self.evaluation.rules.result_label(self.from_grade)

    @property
    def to_label(self) -> str:
        return self.evaluation.rules.result_label(self.to_grade)
