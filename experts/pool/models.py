"""People who work in the workbench: credit evaluators (第三方信评机构人员), and the expert pool
(评价专家库): experts, their terms and appointment letters, training and conflicts of interest."""
import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import RETURN_VALUE, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from accounts.validators import validate_mobile
from core.fsm import ConcurrentTransitionMixin
from core.identifiers import validate_credit_code, validate_id_number
from core.uploads import RandomUploadPath, UploadValidator

consent_validator = UploadValidator(kinds=("pdf", "jpeg", "png"), max_bytes=10 * 1024 * 1024)


class Evaluator(models.Model):
    class Kind(models.TextChoices):
        CREDIT = "credit", "第三方信评机构人员"
        EXPERT = "expert", "评价专家"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluator",
                                verbose_name="登录账号")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.CREDIT)
    name = models.CharField("姓名", max_length=50)
    organisation = models.CharField("所属机构", max_length=100, help_text="例如第三方信评机构名称。")
    employer_name = models.CharField("任职单位", max_length=100, blank=True,
                                     help_text="同时任职于医疗机构的，填写该机构名称。")
    employer_credit_code = models.CharField("任职单位统一社会信用代码", max_length=18, blank=True)
    specialty = models.CharField("专业", max_length=50, blank=True)
    is_active = models.BooleanField("可指派", default=True)

    class Meta:
        verbose_name = "评价人员"
        verbose_name_plural = "评价人员"

    def __str__(self):
        return f"{self.name}（{self.organisation}）"

    def conflicts_with(self, member) -> bool:
        """Employed by the institution under evaluation (by credit code, or by name)."""
        if self.employer_credit_code and self.employer_credit_code.upper() == member.credit_code.upper():
            return True
        return bool(self.employer_name) and self.employer_name.strip() == member.name.strip()


# --- the expert pool (评价专家库; seed 004 §9-15) ----------------------------------------------

class Specialty(models.TextChoices):
    """The eight specialties of 004 §9."""

    SOCIAL_MEDICINE = "social_medicine", "社会医学与卫生事业管理"
    CLINICAL = "clinical", "临床医学"
    PHARMACY = "pharmacy", "药学"
    NURSING = "nursing", "护理"
    MEDICAL_TECHNOLOGY = "medical_technology", "医技"
    FINANCE = "finance", "财经管理"
    CREDIT = "credit", "信用管理"
    LAW = "law", "法律"


class Title(models.TextChoices):
    SENIOR = "senior", "正高级"
    ASSOCIATE = "associate", "副高级"
    INTERMEDIATE = "intermediate", "中级"
    JUNIOR = "junior", "初级"
    NONE = "none", "无职称"


PROVINCES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
             "甘肃", "青海", "宁夏", "新疆"]


class Expert(ConcurrentTransitionMixin, models.Model):
    """A person in (or applying to) the expert pool. The current term is on the record; every
    term's appointment letter (聘书) is an Appointment, so reappointments keep the history."""

    class State(models.TextChoices):
        APPLIED = "applied", "待审核"
        RETURNED = "returned", "退回修改"
        REJECTED = "rejected", "未通过"
        APPOINTED = "appointed", "在聘"
        EXPIRED = "expired", "聘期届满"
        DISMISSED = "dismissed", "已解聘"

    class DismissalReason(models.TextChoices):
        """The five grounds of 004 §15 for ending a term early."""

        UNABLE = "unable", "不能正常履行工作职责"
        OWN_REQUEST = "own_request", "本人要求退出"
        BRIBERY = "bribery", "收受受评单位财物或谋取其他不正当利益"
        BREACH = "breach", "违反本办法"
        CRIMINAL = "criminal", "违反法律被追究刑事责任"

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert",
                                verbose_name="登录账号")
    state = FSMField("状态", max_length=10, choices=State.choices, default=State.APPLIED, protected=True)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    id_number = models.CharField("身份证号码", max_length=18, unique=True, validators=[validate_id_number],
                                 error_messages={"unique": "该身份证号码已用于其他账号或申请，请登录后在专家工作台查看。"})
    birth_date = models.DateField("出生日期")
    mobile = models.CharField("手机号", max_length=11, validators=[validate_mobile])
    email = models.EmailField("电子邮箱")
    employer_name = models.CharField("工作单位", max_length=100)
    employer_credit_code = models.CharField("工作单位统一社会信用代码", max_length=18, blank=True,
                                            validators=[validate_credit_code])
    province = models.CharField("所在省份", max_length=10, choices=[(p, p) for p in PROVINCES])
    specialty = models.CharField("专业", max_length=20, choices=Specialty.choices)
    title = models.CharField("专业技术职称", max_length=12, choices=Title.choices)
    title_since = models.DateField("现职称取得时间", null=True, blank=True)
    specialty_years = models.PositiveSmallIntegerField("从事本专业年限", default=0)
    management_years = models.PositiveSmallIntegerField("医疗机构中高层管理年限", default=0)
    education = models.CharField("最高学历", max_length=50)
    cv = models.TextField("工作简历")
    consent_letter = models.FileField("所在单位同意函", upload_to=RandomUploadPath("experts/consent"),
                                      validators=[consent_validator])
    consent_letter_name = models.CharField("同意函文件名", max_length=200, blank=True)
    review_comment = models.TextField("审核意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    term_start = models.DateField("本届聘期起", null=True, blank=True)
    term_end = models.DateField("本届聘期止", null=True, blank=True)
    reminded_60_at = models.DateTimeField("聘期届满前 60 天提醒时间", null=True, blank=True)
    reminded_30_at = models.DateTimeField("聘期届满前 30 天提醒时间", null=True, blank=True)
    dismissal_reason = models.CharField("解聘情形", max_length=12, choices=DismissalReason.choices, blank=True)
    dismissal_note = models.TextField("解聘说明", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "评价专家"
        verbose_name_plural = "评价专家库"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "term_end"]), models.Index(fields=["specialty", "state"])]
        permissions = [("export_expert", "可导出评价专家")]

    def __str__(self):
        return f"{self.name}（{self.get_specialty_display()}）"

    def age_on(self, day: dt.date) -> int:
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    # --- transitions: check and move state only --------------------------------------

    REAPPLY_MONTHS = 6  # an appointed expert may apply for reappointment in the term's last months

    def reapplication_open(self) -> bool:
        """Returned or expired experts may apply again; appointed ones in their term's last months."""
        if self.state != self.State.APPOINTED:
            return True
        return self.term_end is not None and self.term_end <= timezone.localdate() + relativedelta(
            months=self.REAPPLY_MONTHS)

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.RETURNED, State.EXPIRED, State.APPOINTED], target=State.APPLIED,
                conditions=[reapplication_open])
    def resubmit(self, *, at, by=None, description=None):
        """A corrected application, or an application for reappointment (the current term,
        if any, stays on record until the new one is approved)."""
        self.submitted_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPLIED, target=State.APPOINTED)
    def appoint(self, *, start: dt.date, end: dt.date, by=None, description=None):
        """Approved: a 3-year term (004 §14) with a numbered appointment letter."""
        self.term_start, self.term_end = start, end
        self.review_comment = ""
        self.reminded_60_at = self.reminded_30_at = None

    def in_running_term(self) -> bool:
        """A term is running today: this application is for reappointment."""
        today = timezone.localdate()
        return self.term_start is not None and self.term_start <= today <= self.term_end

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPLIED, target=RETURN_VALUE(State.RETURNED, State.APPOINTED))
    def return_for_correction(self, *, comment: str, by=None, description=None):
        """Returned with comments. A reappointment application returned leaves the running
        term as it is (004 §14-15: a term ends by itself, or on §15's grounds only)."""
        self.review_comment = comment
        return self.State.APPOINTED if self.in_running_term() else self.State.RETURNED

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPLIED, target=RETURN_VALUE(State.REJECTED, State.APPOINTED))
    def reject(self, *, reason: str, by=None, description=None):
        """Refused with a reason. Refusing a reappointment refuses the next term only: the
        running one continues to its end."""
        self.review_comment = reason
        return self.State.APPOINTED if self.in_running_term() else self.State.REJECTED

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPOINTED, target=State.EXPIRED)
    def expire(self, *, by=None, description=None):
        """The term ended (004 §14: 聘任期满，自行解聘)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPOINTED, target=State.DISMISSED)
    def dismiss(self, *, reason: str, note: str, by=None, description=None):
        """Ended before the term on one of 004 §15's grounds, with the leading group's approval."""
        self.dismissal_reason, self.dismissal_note = reason, note

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.user_id or user.has_perm("experts.view_expert")

    def download_name(self, field_name) -> str:
        return self.consent_letter_name or "所在单位同意函"


class ExpertFile(models.Model):
    """A file an expert replaced (a new consent letter with a corrected or renewed
    application): kept as history, never deleted."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="old_files", verbose_name="专家")
    field = models.CharField("项目", max_length=30)
    file = models.FileField("文件", upload_to=RandomUploadPath("experts/history"))
    original_name = models.CharField("文件名", max_length=200)
    replaced_at = models.DateTimeField("替换时间", auto_now_add=True)

    class Meta:
        verbose_name = "专家历史文件"
        verbose_name_plural = "专家历史文件"
        ordering = ["-replaced_at"]

    def __str__(self):
        return f"{self.expert.name} · {self.original_name}"

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.expert.user_id or user.has_perm("experts.view_expert")

    def download_name(self, field_name) -> str:
        return self.original_name


class Appointment(models.Model):
    """One term in the pool and its numbered appointment letter (聘书); every term is kept."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="appointments", verbose_name="专家")
    number = models.CharField("聘书编号", max_length=30, unique=True)
    start = models.DateField("聘期起")
    end = models.DateField("聘期止")
    letter = models.FileField("聘书", upload_to=RandomUploadPath("experts/letters"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="审核人")
    created_at = models.DateTimeField("聘任时间", auto_now_add=True)

    class Meta:
        verbose_name = "聘书"
        verbose_name_plural = "聘书"
        ordering = ["-start"]

    def __str__(self):
        return self.number

    def can_view_file(self, user, field_name) -> bool:
        return user.pk == self.expert.user_id or user.has_perm("experts.view_appointment")

    def download_name(self, field_name) -> str:
        return f"聘书{self.number}.pdf"


class TrainingSession(models.Model):
    """Training for experts (004 §11, §25): only experts who passed one for the programme
    within their term may go on site."""

    class Programme(models.TextChoices):
        CAPABILITY = "capability", "服务能力评价"
        CREDIT = "credit", "社会信用评价"

    title = models.CharField("培训名称", max_length=100)
    programme = models.CharField("评价项目", max_length=12, choices=Programme.choices, default=Programme.CAPABILITY)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    place = models.CharField("地点", max_length=100, blank=True)

    class Meta:
        verbose_name = "专家培训"
        verbose_name_plural = "专家培训"
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="experts_training_dates_in_order")]

    def __str__(self):
        return f"{self.title}（{self.starts_on:%Y-%m-%d}）"


class TrainingRecord(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="records",
                                verbose_name="培训")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="training_records", verbose_name="专家")
    attended = models.BooleanField("出勤", default=True)
    passed = models.BooleanField("考核合格", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        constraints = [models.UniqueConstraint(fields=["session", "expert"], name="experts_one_record_per_session")]

    def __str__(self):
        return f"{self.expert} · {self.session}"


class Conflict(models.Model):
    """A conflict of interest with an institution (004 §13(四)), declared by the expert or
    recorded by the office, over a date range. A former employer blocks for three years after
    the employment ended; ``blocks_until`` stores that last blocked day (empty: open-ended)."""

    class Kind(models.TextChoices):
        CURRENT_EMPLOYER = "current_employer", "现任职单位"
        FORMER_EMPLOYER = "former_employer", "三年内曾任职单位"
        INVESTMENT = "investment", "投资或持股"
        CONSULTING = "consulting", "咨询或有偿服务"
        FAMILY = "family", "亲属关系"
        OTHER = "other", "其他利害关系"

    FORMER_EMPLOYER_YEARS = 3

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts", verbose_name="专家")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    institution_credit_code = models.CharField("机构统一社会信用代码", max_length=18, blank=True,
                                               validators=[validate_credit_code])
    institution_name = models.CharField("机构名称", max_length=100)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("截止日期", null=True, blank=True, help_text="仍然存在的，留空。")
    blocks_until = models.DateField("回避至", null=True, blank=True, editable=False)
    note = models.CharField("说明", max_length=300, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="登记人")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "利益冲突"
        verbose_name_plural = "利益冲突"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["institution_credit_code"]), models.Index(fields=["institution_name"])]

    def __str__(self):
        return f"{self.expert.name} · {self.get_kind_display()} · {self.institution_name}"

    def save(self, *args, **kwargs):
        self.institution_credit_code = self.institution_credit_code.strip().upper()
        if self.ends_on is None:
            self.blocks_until = None
        elif self.kind == self.Kind.FORMER_EMPLOYER:
            self.blocks_until = self.ends_on + relativedelta(years=self.FORMER_EMPLOYER_YEARS)
        else:
            self.blocks_until = self.ends_on
        super().save(*args, **kwargs)
