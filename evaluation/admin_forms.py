"""Forms behind the evaluation office's admin buttons (each feeds one service)."""
from django import forms

from .models import GradeBand, SpotCheck, report_validator


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


class ApprovedChangeForm(OfficeForm):
    """降级 / 撤销: the reason, the leading group's approval (004 §23) and, where one is the
    ground, the spot check or re-evaluation it rests on."""

    reason = forms.CharField(label="原因（将在协会网站公布）", widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))
    approval = forms.CharField(label="评价领导小组核准情况", widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
                               help_text="例如：经评价领导小组 2026 年第 3 次会议核准（文号或会议纪要）。")
    approved_on = forms.DateField(label="核准日期", widget=forms.DateInput(attrs={"type": "date"}))
    spot_check_id = forms.TypedChoiceField(label="依据的抽查/复评（可选）", required=False, coerce=int,
                                           empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        checks = self.evaluation.spot_checks.all() if self.evaluation else []
        self.fields["spot_check_id"].choices = [("", "—")] + [
            (c.pk, f"{c.checked_on:%Y-%m-%d} {c.get_kind_display()}：{c.get_outcome_display()}") for c in checks]


class DowngradeForm(ApprovedChangeForm):
    grade = forms.ChoiceField(label="调整后的等级")
    field_order = ["grade"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bands = GradeBand.objects.filter(programme=self.evaluation.programme) if self.evaluation else []
        self.fields["grade"].choices = [(b.grade, b.grade) for b in bands]


class RevokeForm(ApprovedChangeForm):
    pass


class SpotCheckForm(OfficeForm):
    """记录抽查/考核 (004 §21-22)."""

    kind = forms.ChoiceField(label="方式", choices=SpotCheck.Kind.choices)
    checked_on = forms.DateField(label="检查日期", widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label="发现的问题及结论", widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))
    outcome = forms.ChoiceField(label="结论", choices=SpotCheck.Outcome.choices,
                                help_text="限期整改：机构须在截止日前在线上报整改情况书面报告。复核不通过：据此报评价领导小组核准降级或撤销。")
    requirements = forms.CharField(label="整改要求（限期整改时必填）", required=False,
                                   widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    due_on = forms.DateField(label="整改报告截止日（限期整改时必填）", required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == SpotCheck.Outcome.RECTIFY:
            if not (cleaned.get("requirements") or "").strip():
                self.add_error("requirements", "限期整改须写明整改要求。")
            if not cleaned.get("due_on"):
                self.add_error("due_on", "限期整改须定整改报告截止日。")
        return cleaned


class RectificationSendBackForm(OfficeForm):
    note = forms.CharField(label="验收意见（整改不到位之处）", widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))
    due_on = forms.DateField(label="新的整改报告截止日", widget=forms.DateInput(attrs={"type": "date"}))


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
