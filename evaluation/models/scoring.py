"""Assignments of evaluators (credit programme) and their scores per criterion."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin

from .evaluation import Evaluation
from .programme import Criterion


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
