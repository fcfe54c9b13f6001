"""Shared records: the working-day calendar's overrides, in-site messages and deliveries."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm_log.models import StateLog

from .uploads import RandomUploadPath


class CalendarOverride(models.Model):
    """A staff correction to the official calendar for one date.

    Used for years the calendar package does not know yet, or for local arrangements.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "休息日（节假日）"
        WORKDAY = "workday", "工作日（调休上班）"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("说明", max_length=100, blank=True, help_text="例如：春节、国庆节调休")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class ConfirmedCalendarYear(models.Model):
    """A year the calendar package does not cover, whose holidays and make-up days staff
    have entered completely as overrides. Dates in it are then no longer provisional."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    note = models.CharField("依据", max_length=200, blank=True, help_text="例如：国务院办公厅放假安排通知文号")
    created_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "已确认的年度日历"
        verbose_name_plural = "已确认的年度日历"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} 年"


class Message(models.Model):
    """An in-site message (站内消息) in a user's inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages", verbose_name="收件人"
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    url = models.CharField("相关页面", max_length=500, blank=True)
    attachment = models.FileField("附件", upload_to=RandomUploadPath("messages"), blank=True)
    attachment_name = models.CharField("附件名", max_length=200, blank=True)
    created_at = models.DateTimeField("发送时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def can_view_file(self, user, field_name: str) -> bool:
        return user.pk == self.recipient_id or user.has_perm("core.view_message")

    def download_name(self, field_name: str) -> str:
        return self.attachment_name


class Delivery(models.Model):
    """One email or SMS to send, tracked so that sending is idempotent and retried."""

    class Channel(models.TextChoices):
        EMAIL = "email", "邮件"
        SMS = "sms", "短信"

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="deliveries", verbose_name="用户",
    )
    address = models.CharField("地址", max_length=254, help_text="邮箱或手机号")
    template = models.CharField("模板", max_length=100)
    subject = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("内容")
    params = models.JSONField("短信模板参数", default=dict, blank=True)
    provider_id = models.CharField("服务商回执编号", max_length=100, blank=True)
    attachment = models.FileField("附件", upload_to=RandomUploadPath("deliveries"), blank=True)
    attachment_name = models.CharField("附件名", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    enqueued_at = models.DateTimeField("入队时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知发送记录"
        verbose_name_plural = "通知发送记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}：{self.subject or self.body[:30]}"


class OutboxJob(models.Model):
    """Work that must happen after a commit (an invoice, a certificate), recorded in the same
    transaction as the change that calls for it. It is sent to Celery on commit, marked done
    when its task succeeds, and re-sent by a scanner while it stays pending (core.outbox), so
    a broker outage or a killed worker delays the work and never loses it."""

    class State(models.TextChoices):
        PENDING = "pending", "待执行"
        DONE = "done", "已完成"

    key = models.CharField("任务标识", max_length=200, unique=True, help_text="任务名与参数，同一任务只记一行。")
    task = models.CharField("任务", max_length=150)
    args = models.JSONField("参数", default=list)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField("发送次数", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    enqueued_at = models.DateTimeField("最近发送时间", null=True, blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "enqueued_at"])]

    def __str__(self):
        return f"后台任务 #{self.pk}（{self.get_state_display()}）"


class StagedUpload(models.Model):
    """A file chosen on a form that was refused for another field, kept (for a day) so the
    person need not choose it again; the form's session holds the token (core.staging)."""

    token = models.UUIDField(db_index=True)
    field = models.CharField(max_length=50)
    file = models.FileField(upload_to=RandomUploadPath("staged"))
    original_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "暂存的上传文件"
        verbose_name_plural = "暂存的上传文件"
        constraints = [models.UniqueConstraint(fields=["token", "field"], name="core_staged_once_per_field")]

    def __str__(self):
        return self.original_name


class HistoryEntry(StateLog):
    """A logged transition (django-fsm-log) as the admin lists it under its record: a row
    reads by its local time, never as the library's UTC timestamp and step name."""

    class Meta:
        proxy = True
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self):
        return f"{timezone.localtime(self.timestamp):%Y-%m-%d %H:%M}"
