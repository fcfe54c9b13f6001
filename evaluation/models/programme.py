"""A programme's set-up: its regulation and document templates, fee schedule, standard
(criteria with the credit self-assessment's options) and grade bands (score → grade)."""
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from core.uploads import RandomUploadPath, UploadValidator

from ..programmes import rules_for

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
        return rules_for(self.kind)

    def grade_for(self, score: Decimal) -> str:
        """Score → grade by this programme's bands (lower-inclusive; the top band includes 100)."""
        if not Decimal(0) <= score <= Decimal(100):
            raise ValueError(f"score {score} is outside 0-100")
        band = self.grade_bands.filter(min_score__lte=score).order_by("-min_score").first()
        if band is None:
            raise ValueError(f"{self} has no grade band for {score}")
        return band.grade

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
