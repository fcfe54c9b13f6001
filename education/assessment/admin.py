"""Assessment results as recorded (read only), and the form staff enter a result with."""
from decimal import Decimal

from django import forms
from django.contrib import admin

from core.admin_records import RecordAdminMixin

from .models import AssessmentResult


@admin.register(AssessmentResult)
class AssessmentResultAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("registration", "source", "score", "passed", "recorded_by", "recorded_at", "note")
    list_filter = ("source", "passed", "registration__project")
    list_select_related = ("registration__project", "recorded_by")
    readonly_fields = ("registration", "source", "score", "passed", "answers", "recorded_by", "note", "recorded_at")


class ResultForm(forms.Form):
    score = forms.DecimalField(label="成绩（百分制）", max_digits=5, decimal_places=1, min_value=Decimal("0"),
                               max_value=Decimal("100"))
    note = forms.CharField(label="说明", max_length=300, help_text="考核方式、时间等，如“现场笔试，12 月 4 日”。")

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].help_text = f"合格分数：{instance_for.project.pass_mark}。"
