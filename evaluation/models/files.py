"""The evaluation's files: evidence per item, each required document with every version kept,
and files a later one replaced (never deleted)."""

from django.conf import settings
from django.db import models

from core.uploads import RandomUploadPath, UploadValidator

from .evaluation import Evaluation
from .programme import Criterion, ProgrammeDocument, document_validator

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
