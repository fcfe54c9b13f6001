"""What was recorded of a participant at each session, and every recording with who and why."""
from django.conf import settings
from django.db import models

from education.projects.models import Session
from education.registration.models import Registration


class Attendance(models.Model):
    """A participant at one session: when they checked in and out (one row per pair)."""

    registration = models.ForeignKey(Registration, verbose_name="报名", on_delete=models.PROTECT,
                                     related_name="attendances")
    session = models.ForeignKey(Session, verbose_name="课程", on_delete=models.PROTECT, related_name="attendances")
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)

    class Meta:
        verbose_name = "出勤"
        verbose_name_plural = "出勤"
        ordering = ["session__starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["registration", "session"],
                                               name="education_one_attendance_per_session")]

    def __str__(self):
        return f"{self.registration.name} · {self.session.title}"


class AttendanceEvent(models.Model):
    """One recording: a scan, or staff entering it by hand with a reason. Never changed."""

    class Kind(models.TextChoices):
        CHECK_IN = "in", "签到"
        CHECK_OUT = "out", "签退"

    class Method(models.TextChoices):
        SCAN = "scan", "扫码"
        MANUAL = "manual", "工作人员补录"

    attendance = models.ForeignKey(Attendance, verbose_name="出勤", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("类型", max_length=3, choices=Kind.choices)
    method = models.CharField("方式", max_length=6, choices=Method.choices)
    at = models.DateTimeField("签到/签退时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("补录原因", max_length=300, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "签到记录"
        verbose_name_plural = "签到记录"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(method="scan") | ~models.Q(reason=""),
                                   name="education_manual_attendance_has_reason",
                                   violation_error_message="补录须填写原因。"),
        ]

    def __str__(self):
        return f"{self.attendance} {self.get_kind_display()} {self.get_method_display()}"
