"""Suppliers and their licences (each superseded licence kept)."""
import datetime as dt

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from core.identifiers import validate_credit_code
from core.uploads import RandomUploadPath, UploadValidator

licence_validator = UploadValidator(kinds=("pdf", "jpeg", "png"), max_bytes=10 * 1024 * 1024)


class LicenceKind(models.TextChoices):
    BUSINESS = "business", "营业执照"
    DEVICE_PERMIT = "device_permit", "医疗器械经营许可证"
    DEVICE_RECORD = "device_record", "第二类医疗器械经营备案凭证"
    DRUG_PERMIT = "drug_permit", "药品经营许可证"


class Supplier(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "退回修改"
        REJECTED = "rejected", "未通过"
        APPROVED = "approved", "已认证"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.PROTECT,
                                related_name="supplier")
    name = models.CharField("企业名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code])
    contact_name = models.CharField("联系人", max_length=50)
    contact_mobile = models.CharField("联系电话", max_length=11)
    address = models.CharField("地址", max_length=200)
    state = FSMField("状态", max_length=12, choices=State.choices, default=State.SUBMITTED, protected=True)
    review_comment = models.TextField("审核意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    approved_at = models.DateTimeField("认证时间", null=True, blank=True)

    class Meta:
        verbose_name = "供应商"
        verbose_name_plural = "供应商"
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return self.name

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUBMITTED, target=State.APPROVED)
    def approve(self, *, at, by=None, description=None):
        """The 团购办 checked the licences: the supplier may list products."""
        self.review_comment = ""
        self.approved_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED)
    def return_for_correction(self, *, comment: str, by=None, description=None):
        self.review_comment = comment

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.RETURNED, target=State.SUBMITTED)
    def resubmit(self, *, by=None, description=None):
        """Corrected and sent again."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUBMITTED, target=State.REJECTED)
    def reject(self, *, reason: str, by=None, description=None):
        self.review_comment = reason


class Licence(models.Model):
    """One licence as uploaded; a renewal supersedes it (kept with the date it was replaced)."""

    supplier = models.ForeignKey(Supplier, verbose_name="供应商", on_delete=models.PROTECT, related_name="licences")
    kind = models.CharField("证照", max_length=16, choices=LicenceKind.choices)
    number = models.CharField("证号", max_length=50)
    expires_on = models.DateField("有效期至", null=True, blank=True, help_text="长期有效的留空。")
    file = models.FileField("扫描件", upload_to=RandomUploadPath("purchasing/licences"), validators=[licence_validator])
    file_name = models.CharField("文件名", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    superseded_at = models.DateTimeField("被替换时间", null=True, blank=True)
    warned_at = models.DateTimeField("到期提醒时间", null=True, blank=True)
    lapsed_at = models.DateTimeField("过期处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "供应商证照"
        verbose_name_plural = "供应商证照"
        ordering = ["supplier", "kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "kind"], condition=models.Q(superseded_at__isnull=True),
                                    name="purchasing_one_current_licence_per_kind"),
        ]
        indexes = [models.Index(fields=["expires_on"], condition=models.Q(superseded_at__isnull=True),
                                name="purchasing_licence_expiry")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def valid_on(self, day: dt.date) -> bool:
        return self.superseded_at is None and (self.expires_on is None or self.expires_on >= day)

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.supplier.user_id or user.has_perm("purchasing.view_licence")

    def download_name(self, field_name) -> str:
        return self.file_name or f"{self.get_kind_display()}.pdf"
