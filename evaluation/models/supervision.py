"""Provincial review before acceptance, and supervision after publication: spot checks,
rectification reports and recorded result changes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.uploads import RandomUploadPath

from .evaluation import Evaluation
from .programme import document_validator


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

    @property
    def clears_acceptance(self) -> bool:
        """The association agreed, or the office recorded that it let the time pass."""
        return self.decision in (self.Decision.AGREED, self.Decision.LAPSED)


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
