"""The capability programme's online application form (申报表) and its submitted versions."""

from django.conf import settings
from django.db import models

from core.uploads import RandomUploadPath

from ..application_form import FilledForm, years_before
from .evaluation import Evaluation


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
        return years_before(self.evaluation.agreed_at.year)

    def filled(self, initial: dict | None = None):
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
