"""Attendance as recorded (read only): each participant per session, and every recording."""
from django import forms
from django.contrib import admin
from django.utils import timezone

from core.admin_records import RecordAdminMixin

from .models import Attendance, AttendanceEvent


@admin.register(Attendance)
class AttendanceAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("registration", "session", "checked_in_at", "checked_out_at")
    list_filter = ("session__project",)
    list_select_related = ("registration__project", "session")
    readonly_fields = ("registration", "session", "checked_in_at", "checked_out_at")
    search_fields = ("registration__name",)


@admin.register(AttendanceEvent)
class AttendanceEventAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("attendance", "kind", "method", "at", "by", "reason", "recorded_at")
    list_filter = ("method", "kind")
    list_select_related = ("attendance__registration__project", "attendance__session", "by")
    readonly_fields = ("attendance", "kind", "method", "at", "by", "reason", "recorded_at")


class RecordAttendanceForm(forms.Form):
    """补录签到/签退 on a registration: which session, which, when, and why."""

    session = forms.ModelChoiceField(label="课程", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=AttendanceEvent.Kind.choices)
    at = forms.DateTimeField(label="时间", help_text="格式：2026-12-04 09:00", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    reason = forms.CharField(label="补录原因", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = instance_for.project.sessions.all()
        self.fields["at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
