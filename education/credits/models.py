"""Credits awarded per project and person, the numbered certificates that prove them, and the
yearly transcripts (学分证明) people ask for."""
from django.conf import settings
from django.db import models

from core.identifiers import mask_id_number
from core.uploads import RandomUploadPath
from education.projects.models import Project
from education.registration.models import Registration


class CreditAward(models.Model):
    """What a project gave one person in one role, or why it gave nothing (kept either way)."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", "学员"
        LECTURER = "lecturer", "授课人"

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="awards")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT,
                             related_name="cme_awards")
    role = models.CharField("身份", max_length=12, choices=Role.choices)
    registration = models.ForeignKey(Registration, verbose_name="报名", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="awards")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    unit = models.CharField("工作单位", max_length=100)
    title = models.CharField("职称", max_length=50, blank=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1, help_text="学员：实际出勤学时；授课人：授课学时。")
    required_hours = models.DecimalField("项目总学时", max_digits=5, decimal_places=1)
    credits = models.DecimalField("学分", max_digits=4, decimal_places=1)
    credit_class = models.PositiveSmallIntegerField("学分类别", choices=Project.CreditClass.choices)
    year = models.PositiveSmallIntegerField("年度")
    awarded_on = models.DateField("授予日期")
    reason = models.CharField("未授予原因", max_length=200, blank=True)
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)

    class Meta:
        verbose_name = "学分"
        verbose_name_plural = "学分"
        ordering = ["-awarded_on", "project", "name"]
        permissions = [("export_creditaward", "可导出学分名单（含完整身份证号）")]
        constraints = [models.UniqueConstraint(fields=["project", "user", "role"], name="education_one_award_per_role")]
        indexes = [models.Index(fields=["user", "year"])]

    def __str__(self):
        return f"{self.name} · {self.project.number} · {self.credits} 学分"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def granted(self) -> bool:
        return self.credits > 0


class CreditCertificate(models.Model):
    """A numbered certificate of one award. Never edited: a correction voids it (with the
    reason) and issues another number; both stay on record."""

    class State(models.TextChoices):
        VALID = "valid", "有效"
        VOID = "void", "已作废"

    award = models.ForeignKey(CreditAward, verbose_name="学分", on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField("证书编号", max_length=20, unique=True, null=True, blank=True)
    state = models.CharField("状态", max_length=5, choices=State.choices, default=State.VALID)
    credits = models.DecimalField("学分", max_digits=4, decimal_places=1)
    pdf = models.FileField("证书文件", upload_to=RandomUploadPath("education/certificates"), blank=True)
    issued_at = models.DateTimeField("签发时间", auto_now_add=True)
    replaces = models.OneToOneField("self", verbose_name="替代的证书", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="作废人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    void_reason = models.CharField("作废原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "学分证书"
        verbose_name_plural = "学分证书"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["award"], condition=models.Q(state="valid"),
                                    name="education_one_valid_certificate_per_award"),
            models.CheckConstraint(condition=models.Q(state="valid") | ~models.Q(void_reason=""),
                                   name="education_void_certificate_has_reason"),
        ]

    def __str__(self):
        return self.number or "（编号生成中）"

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.award.user_id or user.has_perm("education.view_creditcertificate")

    def download_name(self, field_name) -> str:
        return f"学分证书{self.number}.pdf"


class Transcript(models.Model):
    """A yearly 学分证明 asked for by its holder: the PDF is made by Celery, each kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.PROTECT,
                             related_name="cme_transcripts")
    year = models.PositiveSmallIntegerField("年度")
    pdf = models.FileField("学分证明", upload_to=RandomUploadPath("education/transcripts"), blank=True)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "学分证明"
        verbose_name_plural = "学分证明"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.user} {self.year} 年度学分证明"

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.user_id or user.has_perm("education.view_transcript")

    def download_name(self, field_name) -> str:
        return f"{self.year}年度学分证明.pdf"
