"""Projects as the 继教办 files them: the project, its sessions and lecturers, its quiz, the
amendments made after approval, and the credits a person needs each year."""
import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from core.fsm import ConcurrentTransitionMixin
from education.rules import PROJECT_CAP

# 2026-14-01-001(国): year, discipline, sub-discipline, serial, and the level that filed it.
NUMBER_PATTERN = re.compile(r"^(?P<year>\d{4})-\d{2}-\d{2}-\d{3}(?:[(（](?P<level>国|省)[)）])?$")


def validate_project_number(value: str) -> None:
    if not NUMBER_PATTERN.match((value or "").strip()):
        raise ValidationError("项目编号格式应为“年度-学科-二级学科-序号”，如 2026-14-01-001(国)。", code="number_format")


class CreditYear(models.Model):
    """The credits a health professional needs in a year (defaults: 25 in all; 一类 5-10 and 二类
    15-20, which cannot stand in for each other)."""

    year = models.PositiveSmallIntegerField("年度", unique=True, validators=[MinValueValidator(2000)])
    total = models.DecimalField("全年至少（学分）", max_digits=4, decimal_places=1, default=Decimal("25"))
    class_one_min = models.DecimalField("一类学分至少", max_digits=4, decimal_places=1, default=Decimal("5"))
    class_one_max = models.DecimalField("一类学分最多计入", max_digits=4, decimal_places=1, default=Decimal("10"))
    class_two_min = models.DecimalField("二类学分至少", max_digits=4, decimal_places=1, default=Decimal("15"))
    class_two_max = models.DecimalField("二类学分最多计入", max_digits=4, decimal_places=1, default=Decimal("20"))

    class Meta:
        verbose_name = "年度学分要求"
        verbose_name_plural = "年度学分要求"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年度学分要求"

    def clean(self):
        if self.class_one_min > self.class_one_max or self.class_two_min > self.class_two_max:
            raise ValidationError("每类的最少学分不能大于最多计入的学分。")
        if self.class_one_max + self.class_two_max < self.total:
            raise ValidationError("两类最多计入的学分之和不能少于全年要求，否则无人能够达标。")

    @classmethod
    def for_year(cls, year: int) -> "CreditYear":
        """The year's requirement as set in the admin, or the national defaults."""
        return cls.objects.filter(year=year).first() or cls(year=year)


class Project(ConcurrentTransitionMixin, models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"

    class CreditClass(models.IntegerChoices):
        ONE = 1, "一类学分"
        TWO = 2, "二类学分"

    class Mode(models.TextChoices):
        ONSITE = "onsite", "现场培训"
        ONLINE = "online", "线上课程"

    class Assessment(models.TextChoices):
        NONE = "none", "不设考核"
        QUIZ = "quiz", "在线测验"
        STAFF = "staff", "考核结果由继教办录入"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        FILED = "filed", "已备案，待审批"
        APPROVED = "approved", "已批准，待发布"
        OPEN = "open", "已发布"
        CREDITED = "credited", "学分已授予"
        CANCELLED = "cancelled", "已取消"

    number = models.CharField("项目编号", max_length=30, unique=True, validators=[validate_project_number])
    title = models.CharField("项目名称", max_length=200)
    level = models.CharField("项目级别", max_length=12, choices=Level.choices, default=Level.NATIONAL,
                             help_text="国家级：学员每 3 学时 1 学分、授课每学时 2 学分；省级（含全国性学会向国家继续医学"
                                       "教育委员会备案的项目）：学员每 6 学时 1 学分、授课每学时 1 学分。")
    credit_class = models.PositiveSmallIntegerField("学分类别", choices=CreditClass.choices, default=CreditClass.ONE)
    credit_value = models.DecimalField("项目学分", max_digits=4, decimal_places=1,
                                       validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(PROJECT_CAP)],
                                       help_text="每人最多可获得的学分，不超过 25。批准后如需变更，须记录变更原因。")
    organiser = models.CharField("主办单位", max_length=100)
    head = models.CharField("项目负责人", max_length=50)
    description = models.TextField("项目简介", blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    mode = models.CharField("举办形式", max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    place = models.CharField("举办地点或线上平台", max_length=200)
    capacity = models.PositiveIntegerField("招生人数", validators=[MinValueValidator(1)])
    fee = models.DecimalField("报名费（元）", max_digits=8, decimal_places=2, default=Decimal("0"),
                              validators=[MinValueValidator(Decimal("0"))], help_text="0 表示免费。")
    member_fee = models.DecimalField("会员价（元）", max_digits=8, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0"))],
                                     help_text="有效会员（含会员单位的职工账号）的报名费；留空表示与报名费相同。")
    attendance_threshold = models.PositiveSmallIntegerField(
        "出勤要求（%）", default=80, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="实际出勤学时占总学时的比例低于此值不授予学分。")
    assessment = models.CharField("考核方式", max_length=8, choices=Assessment.choices, default=Assessment.NONE)
    pass_mark = models.PositiveSmallIntegerField("合格分数（百分制）", default=60,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)])
    state = FSMField("状态", max_length=12, choices=State.choices, default=State.DRAFT, protected=True)
    review_comment = models.TextField("审批意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    credited_at = models.DateTimeField("学分授予时间", null=True, blank=True)

    class Meta:
        verbose_name = "继教项目"
        verbose_name_plural = "继教项目"
        permissions = [("approve_project", "可审批继教项目")]
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["state", "starts_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="education_project_ends_after_start",
                                   violation_error_message="结束日期不能早于开始日期。"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("education:project", args=[self.pk])

    def clean(self):
        match = NUMBER_PATTERN.match((self.number or "").strip())
        marked = match and match.group("level")
        if marked and marked != ("国" if self.level == self.Level.NATIONAL else "省"):
            raise ValidationError({"level": f"项目编号标注为“{marked}”，与所选项目级别不一致。"})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})

    @property
    def is_settled(self) -> bool:
        """Approved or later: credit value and hours change only by a recorded amendment."""
        return self.state in (self.State.APPROVED, self.State.OPEN, self.State.CREDITED)

    def registration_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state == self.State.OPEN and today <= self.starts_on

    def status(self, today: dt.date) -> tuple[str, str]:
        """(label, tone) for the project's badge in the public column."""
        if self.state == self.State.CREDITED:
            return "已结束", "secondary"
        if self.registration_open(today):
            return "报名中", "success"
        return "进行中", "primary"

    def price_for(self, *, is_member: bool) -> Decimal:
        return self.member_fee if is_member and self.member_fee is not None else self.fee

    # --- transitions: check and move state only -----------------------------------

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.DRAFT, target=State.FILED)
    def file(self, *, by=None, description=None):
        """备案: the project with its sessions and lecturers goes for approval."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.FILED, target=State.DRAFT)
    def return_for_correction(self, *, comment: str, by=None, description=None):
        self.review_comment = comment

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.FILED, target=State.APPROVED)
    def approve(self, *, at, by=None, description=None):
        """From now on credit value and hours change only by an amendment."""
        self.review_comment = ""
        self.approved_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.APPROVED, target=State.OPEN)
    def publish(self, *, by=None, description=None):
        """Listed in the public 学分继教 column; registration opens."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=State.OPEN, target=State.CREDITED)
    def credit(self, *, at, by=None, description=None):
        """Credits computed and certificates queued, once."""
        self.credited_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[State.DRAFT, State.FILED, State.APPROVED, State.OPEN], target=State.CANCELLED)
    def cancel(self, *, reason: str, by=None, description=None):
        self.review_comment = reason


class Session(models.Model):
    """One teaching unit with its own check-in and check-out."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField("课程/单元", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("12"))])

    class Meta:
        verbose_name = "课程安排"
        verbose_name_plural = "课程安排"
        permissions = [("run_checkin", "可开启现场签到")]
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="education_session_ends_after_start",
                                   violation_error_message="结束时间应晚于开始时间。"),
        ]

    def __str__(self):
        return f"{self.title}（{timezone.localtime(self.starts_at):%m-%d %H:%M}，{self.hours} 学时）"

    def clean(self):
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": "结束时间应晚于开始时间。"})
            if self.hours and self.hours * 3600 > Decimal((self.ends_at - self.starts_at).total_seconds()):
                raise ValidationError({"hours": "学时不能超过这一单元的时长。"})


class Lecturer(models.Model):
    """Who teaches a session: credited for the hours taught (the person's account, by mobile)."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="lecturers")
    session = models.ForeignKey(Session, verbose_name="课程", on_delete=models.CASCADE, related_name="lecturers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="授课人账号", on_delete=models.PROTECT,
                             related_name="lectures")
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("工作单位", max_length=100)
    title = models.CharField("职称", max_length=50, blank=True)

    class Meta:
        verbose_name = "授课人"
        verbose_name_plural = "授课人"
        ordering = ["session__starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="education_one_lecturer_per_session",
                                               violation_error_message="该授课人已在这一课程中。")]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    def clean(self):
        if self.session_id and self.project_id and self.session.project_id != self.project_id:
            raise ValidationError({"session": "请选择本项目的课程。"})


class QuizQuestion(models.Model):
    """A single-choice question of the project's online quiz."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("序号", default=1)
    text = models.CharField("题目", max_length=300)
    options = models.TextField("选项", help_text="每行一个选项，至少两个。")
    answer = models.PositiveSmallIntegerField("正确选项（第几个）", validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "测验题目"
        verbose_name_plural = "测验题目"
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        count = len(self.option_list())
        if count < 2:
            raise ValidationError({"options": "至少填写两个选项，每行一个。"})
        if self.answer and self.answer > count:
            raise ValidationError({"answer": f"只有 {count} 个选项。"})


class Amendment(models.Model):
    """A change to credit value or hours after approval: what, who, when and why."""

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.PROTECT, related_name="amendments")
    changes = models.JSONField("变更内容", help_text="[[项目, 原值, 新值], …]")
    reason = models.TextField("变更原因")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="变更人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("变更时间", auto_now_add=True)

    class Meta:
        verbose_name = "项目变更记录"
        verbose_name_plural = "项目变更记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.project.number} {self.at:%Y-%m-%d}"
