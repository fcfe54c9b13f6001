"""Members (units and individuals), their profiles, contacts and paid terms."""
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from accounts.validators import validate_mobile
from core.fsm import ConcurrentTransitionMixin
from core.identifiers import validate_credit_code, validate_id_number
from core.uploads import RandomUploadPath, UploadValidator
from payments.payable import InvoiceParty, PaymentContext

licence_validator = UploadValidator(kinds=("pdf", "jpeg", "png"), max_bytes=10 * 1024 * 1024)
photo_validator = UploadValidator(kinds=("jpeg", "png"), max_bytes=5 * 1024 * 1024)


class Kind(models.TextChoices):
    UNIT = "unit", "单位会员"
    INDIVIDUAL = "individual", "个人会员"


class MembershipType(models.Model):
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=50, unique=True)
    annual_dues = models.DecimalField("年度会费（元）", max_digits=10, decimal_places=2,
                                      validators=[MinValueValidator(Decimal("0.01"))])
    review_required = models.BooleanField("需要审核", default=True)
    description = models.TextField("说明", blank=True)
    position = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("开放申请", default=True)

    class Meta:
        verbose_name = "会员类型"
        verbose_name_plural = "会员类型"
        ordering = ["kind", "position", "id"]

    def __str__(self):
        return f"{self.name}（¥{self.annual_dues}/年）"


class Member(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        RETURNED = "returned", "退回修改"
        REJECTED = "rejected", "未通过"
        APPROVED = "approved", "待缴费"
        ACTIVE = "active", "有效"
        EXPIRED = "expired", "已过期"
        SUSPENDED = "suspended", "已暂停"
        REVOKED = "revoked", "已撤销"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member",
                                verbose_name="登录账号")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    membership_type = models.ForeignKey(MembershipType, on_delete=models.PROTECT, verbose_name="会员类型")
    state = FSMField("状态", max_length=12, choices=State.choices, default=State.SUBMITTED, protected=True)
    name = models.CharField("名称/姓名", max_length=100, help_text="单位会员为注册单位名称，个人会员为本人姓名。")
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code])
    member_no = models.CharField("会员编号", max_length=20, unique=True, null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "会员"
        verbose_name_plural = "会员"
        permissions = [("export_member", "可导出会员")]
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~models.Q(credit_code=""),
                                    name="membership_unique_credit_code",
                                    violation_error_message="该统一社会信用代码已注册。"),
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return self.name

    @property
    def is_unit(self) -> bool:
        return self.kind == Kind.UNIT

    # --- transitions: check and move state only -----------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUBMITTED, target=State.APPROVED)
    def approve(self, *, by=None, description=None):
        """Membership staff accept the application; dues are next."""
        self.review_comment = ""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED)
    def return_for_correction(self, *, comment: str, by=None, description=None):
        """Sent back with a comment; the applicant corrects and resubmits."""
        self.review_comment = comment

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.RETURNED, target=State.SUBMITTED)
    def resubmit(self, *, at, by=None, description=None):
        self.submitted_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUBMITTED, target=State.REJECTED)
    def reject(self, *, reason: str, by=None, description=None):
        self.review_comment = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPROVED, target=State.ACTIVE)
    def activate(self, *, member_no: str, by=None, description=None):
        """First dues paid: the member gets its number, kept for good."""
        self.member_no = self.member_no or member_no

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.ACTIVE, State.EXPIRED], target=State.ACTIVE)
    def renew(self, *, by=None, description=None):
        """Dues for the next term paid."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.ACTIVE, target=State.EXPIRED)
    def expire(self, *, by=None, description=None):
        """The paid term ended without renewal."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.ACTIVE, target=State.SUSPENDED)
    def suspend(self, *, reason: str, by=None, description=None):
        self.review_comment = reason

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.SUSPENDED, target=State.ACTIVE)
    def reinstate(self, *, by=None, description=None):
        self.review_comment = ""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.ACTIVE, State.SUSPENDED, State.EXPIRED], target=State.REVOKED)
    def revoke(self, *, reason: str, by=None, description=None):
        self.review_comment = reason

    # --- payments.Payable -------------------------------------------------------

    def payment_description(self) -> str:
        return f"{self.membership_type.name}会费（1年）"

    def payment_amount(self) -> Decimal:
        return self.membership_type.annual_dues

    def payment_payer(self):
        return self.user

    def invoice_party(self) -> InvoiceParty:
        return InvoiceParty(title=self.name, tax_id=self.credit_code if self.is_unit else "")

    def invoice_contact(self) -> tuple[str, str]:
        contact = self.contacts.filter(is_primary=True).first()
        if contact:
            return contact.email, contact.mobile
        return self.user.email or "", self.user.mobile

    def payment_done_url(self) -> str:
        return reverse("membership:centre")

    def payment_context(self) -> PaymentContext:
        renewal = self.state != self.State.APPROVED
        steps = ["入会申请", "审核", "缴纳会费", "会员证书"] if not renewal else ["续缴会费", "会员证书"]
        current = steps.index("缴纳会费" if not renewal else "续缴会费")
        return PaymentContext(
            title="会员缴费" + ("（续费）" if renewal else ""),
            steps=[(label, "done" if i < current else "current" if i == current else "todo")
                   for i, label in enumerate(steps)],
            next_step="付款成功后会员资格即时生效，电子会员证书自动生成，可在会员中心下载。",
        )



class UnitProfile(models.Model):
    class InstitutionType(models.TextChoices):
        HOSPITAL = "hospital", "口腔医院"
        OUTPATIENT = "outpatient", "口腔门诊部"
        CLINIC = "clinic", "口腔诊所"
        DEPARTMENT = "department", "综合医院口腔科"
        OTHER = "other", "其他医疗机构"

    member = models.OneToOneField(Member, verbose_name="会员", on_delete=models.CASCADE, related_name="unit")
    institution_type = models.CharField("机构类型", max_length=20, choices=InstitutionType.choices)
    licence_no = models.CharField("医疗机构执业许可证登记号", max_length=50)
    legal_representative = models.CharField("法定代表人", max_length=50)
    address = models.CharField("地址", max_length=200)
    opened_on = models.DateField("开业日期")
    beds = models.PositiveIntegerField("床位数", default=0)
    dental_chairs = models.PositiveIntegerField("牙椅数", default=0)
    practising_licence = models.FileField("医疗机构执业许可证", upload_to=RandomUploadPath("membership/licences"),
                                          validators=[licence_validator])
    practising_licence_name = models.CharField("执业许可证文件名", max_length=200, blank=True)
    business_licence = models.FileField("营业执照", upload_to=RandomUploadPath("membership/licences"),
                                        validators=[licence_validator])
    business_licence_name = models.CharField("营业执照文件名", max_length=200, blank=True)

    class Meta:
        verbose_name = "单位登记信息"
        verbose_name_plural = "单位登记信息"

    def __str__(self):
        return str(self.member)

    def can_view_file(self, user, field_name) -> bool:
        # Licences are for the reviewers (会员部), not for every role that sees members.
        return user.pk == self.member.user_id or user.has_perm("membership.view_unitprofile")

    def download_name(self, field_name) -> str:
        return getattr(self, f"{field_name}_name") or field_name


class IndividualProfile(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    member = models.OneToOneField(Member, verbose_name="会员", on_delete=models.CASCADE, related_name="individual")
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    id_number = models.CharField("身份证号码", max_length=18, unique=True, validators=[validate_id_number])
    title = models.CharField("职称", max_length=50)
    employer = models.CharField("工作单位", max_length=100)
    specialty = models.CharField("专业", max_length=50)
    photo = models.FileField("照片", upload_to=RandomUploadPath("membership/photos"), validators=[photo_validator])
    photo_name = models.CharField("照片文件名", max_length=200, blank=True)

    class Meta:
        verbose_name = "个人会员信息"
        verbose_name_plural = "个人会员信息"

    def __str__(self):
        return str(self.member)

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.member.user_id or user.has_perm("membership.view_individualprofile")

    def download_name(self, field_name) -> str:
        return self.photo_name or "photo"


class Contact(models.Model):
    member = models.ForeignKey(Member, verbose_name="会员", on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    mobile = models.CharField("手机号", max_length=11, validators=[validate_mobile])
    email = models.EmailField("电子邮箱")
    is_primary = models.BooleanField("主要联系人", default=False)

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=models.Q(is_primary=True),
                                    name="membership_one_primary_contact"),
        ]

    def __str__(self):
        return f"{self.name} {self.mobile}"


class MembershipTerm(models.Model):
    """One paid period; renewals add rows. Carries the numbered certificate of that term."""

    member = models.ForeignKey(Member, verbose_name="会员", on_delete=models.PROTECT, related_name="terms")
    order = models.OneToOneField("payments.Order", verbose_name="订单", on_delete=models.PROTECT, related_name="membership_term")
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    certificate_no = models.CharField("证书编号", max_length=30, unique=True)
    certificate = models.FileField("会员证书", upload_to=RandomUploadPath("membership/certificates"), blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    reminded_30_at = models.DateTimeField("届满前 30 天提醒时间", null=True, blank=True)
    reminded_7_at = models.DateTimeField("届满前 7 天提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "会员期"
        verbose_name_plural = "会员期"
        permissions = [("export_membershipterm", "可导出会员期")]
        ordering = ["-end"]
        indexes = [models.Index(fields=["end"])]

    def __str__(self):
        return f"{self.member} {self.start:%Y-%m-%d}～{self.end:%Y-%m-%d}"

    def is_current(self, today: dt.date) -> bool:
        return self.start <= today <= self.end

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.member.user_id or user.has_perm("membership.view_membershipterm")

    def download_name(self, field_name) -> str:
        return f"会员证书{self.certificate_no}.pdf"


class ProfileChange(models.Model):
    """A change to the registered name or credit code of an approved member: it takes
    effect only when membership staff accept it."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已通过"
        REJECTED = "rejected", "未通过"

    member = models.ForeignKey(Member, verbose_name="会员", on_delete=models.CASCADE, related_name="profile_changes")
    name = models.CharField("新名称", max_length=100)
    credit_code = models.CharField("新统一社会信用代码", max_length=18, blank=True)
    decision = models.CharField("审核结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    reason = models.CharField("说明", max_length=300, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "登记信息变更"
        verbose_name_plural = "登记信息变更"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.member} → {self.name}"


class JoinDraft(models.Model):
    """A join application in progress, kept across requests (and browser restarts)."""

    token = models.UUIDField(unique=True)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "入会申请草稿"
        verbose_name_plural = "入会申请草稿"

    def __str__(self):
        return str(self.token)


class DraftUpload(models.Model):
    """A file uploaded into a draft: kept when other fields fail, moved to the member at the end."""

    draft = models.ForeignKey(JoinDraft, on_delete=models.CASCADE, related_name="uploads")
    field = models.CharField(max_length=50)
    file = models.FileField(upload_to=RandomUploadPath("membership/drafts"))
    original_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "入会申请草稿文件"
        verbose_name_plural = "入会申请草稿文件"
        constraints = [models.UniqueConstraint(fields=["draft", "field"], name="membership_draft_one_file_per_field")]

    def __str__(self):
        return f"{self.field}: {self.original_name}"


class ArchivedFile(models.Model):
    """A file a member replaced while correcting an application; kept, never deleted."""

    member = models.ForeignKey(Member, verbose_name="会员", on_delete=models.PROTECT, related_name="archived_files")
    field = models.CharField("项目", max_length=50)
    file = models.FileField("文件", upload_to=RandomUploadPath("membership/archive"))
    original_name = models.CharField("文件名", max_length=200)
    archived_at = models.DateTimeField("替换时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史文件"
        verbose_name_plural = "历史文件"
        ordering = ["-archived_at"]

    def __str__(self):
        return f"{self.field}: {self.original_name}"

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.member.user_id or user.has_perm("membership.view_archivedfile")

    def download_name(self, field_name) -> str:
        return self.original_name
