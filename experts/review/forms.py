"""Forms of the on-site review: declining an invitation, challenging a group member, the group
report and its signature."""
from django import forms

from experts.pool.models import Conflict


class DeclineForm(forms.Form):
    reason = forms.CharField(label="婉拒原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    conflict_kind = forms.ChoiceField(
        label="是否因利益冲突", required=False, choices=[("", "否（时间、身体等其他原因）"), *Conflict.Kind.choices],
        help_text="选择利益冲突类型的，系统将登记为您的利益冲突申报，今后不再抽取您评价该单位。")


class ChallengeForm(forms.Form):
    invitation_id = forms.TypedChoiceField(label="申请回避的专家", coerce=int)
    reason = forms.CharField(label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="请说明该专家与本单位存在的利害关系（任职、投资、咨询、亲属等）。")

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation_id"].choices = [("", "请选择")] + [
            (m.pk, f"{m.expert.name}（{m.expert.get_specialty_display()}）") for m in group]


class ReportForm(forms.Form):
    overview = forms.CharField(label="一、评价概况及对被评价单位的总体评价", required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 5}))
    highlights = forms.CharField(label="二、被评价单位在诚信、服务、建设、管理中的亮点", required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 5}))
    problems = forms.CharField(label="三、存在的主要问题及改进意见、建议", required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 5}))


class SignForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    dissent = forms.CharField(label="保留意见（可不填）", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
