"""Assessment results: each quiz attempt and each result staff enter is a row, kept."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from education.registration.models import Registration


class AssessmentResult(models.Model):
    class Source(models.TextChoices):
        QUIZ = "quiz", "在线测验"
        STAFF = "staff", "继教办录入"

    registration = models.ForeignKey(Registration, verbose_name="报名", on_delete=models.PROTECT,
                                     related_name="assessment_results")
    source = models.CharField("来源", max_length=5, choices=Source.choices)
    score = models.DecimalField("成绩（百分制）", max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    passed = models.BooleanField("合格")
    answers = models.JSONField("作答", default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT,
                                    related_name="+")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核成绩"
        verbose_name_plural = "考核成绩"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(source="quiz") | ~models.Q(note=""),
                                   name="education_staff_result_has_note",
                                   violation_error_message="录入成绩须填写说明（如考核方式、考场）。"),
        ]

    def __str__(self):
        return f"{self.registration.name} {self.score} {'合格' if self.passed else '不合格'}"
