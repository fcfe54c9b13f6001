"""Forms behind the evaluation office's admin buttons (each feeds one service)."""
from django import forms

from .models import GradeBand, report_validator


class OfficeForm(forms.Form):
    def __init__(self, *args, instance_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = instance_for


class InitialResultForm(OfficeForm):
    report = forms.FileField(label="评价报告（PDF）", validators=[report_validator],
                             help_text="得分取已提交评价人员评分的平均值，等级按等级标准自动确定。")


class AnswerAppealForm(OfficeForm):
    answer = forms.CharField(label="复议答复", widget=forms.Textarea(attrs={"rows": 5, "cols": 60}))
    revised_report = forms.FileField(label="修订后的评价报告（可选，仅可修订一次）", required=False,
                                     validators=[report_validator])


class DowngradeForm(OfficeForm):
    grade = forms.ChoiceField(label="调整后的等级")
    reason = forms.CharField(label="原因及评价领导小组核准情况", widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bands = GradeBand.objects.filter(programme=self.evaluation.programme) if self.evaluation else []
        self.fields["grade"].choices = [(b.grade, b.grade) for b in bands]


class ExtendForm(OfficeForm):
    months = forms.IntegerField(label="延期月数", min_value=1, max_value=6)
    reason = forms.CharField(label="延期原因（书面申请）", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


class FinalReportForm(OfficeForm):
    file = forms.FileField(label="最终评价报告（PDF）", validators=[report_validator])


class ReturnForm(OfficeForm):
    """退回修改: the overall comment, and where the programme has an online form, a comment per
    section of it (shown to the institution on that section)."""

    comment = forms.CharField(label="退回意见（各文件的意见请在“申报材料”中填写并保存）",
                              widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.evaluation is not None and self.evaluation.rules.application_form:
            from .application_form import SECTIONS

            for spec in SECTIONS:
                self.fields[f"section_{spec.key}"] = forms.CharField(
                    label=f"申报表 · {spec.title}", required=False, max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))

    def clean(self):
        cleaned = super().clean()
        sections = {name.removeprefix("section_"): cleaned.pop(name) for name in list(cleaned)
                    if name.startswith("section_")}
        cleaned["section_comments"] = {key: text for key, text in sections.items() if text.strip()}
        return cleaned
