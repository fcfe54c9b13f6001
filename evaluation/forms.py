from django import forms

from accounts.validators import validate_mobile

from .models import document_validator


class ApplyForm(forms.Form):
    agree = forms.BooleanField(label="我已阅读，并同意", error_messages={"required": "请阅读管理办法并勾选同意。"})
    declarations = forms.MultipleChoiceField(label="承诺事项（请逐项确认）", widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": "请逐项确认承诺事项。"})

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declarations"].choices = [(d, d) for d in programme.declaration_list()]

    def clean_declarations(self):
        chosen = self.cleaned_data["declarations"]
        if len(chosen) != len(self.fields["declarations"].choices):
            raise forms.ValidationError("请逐项确认全部承诺事项。")
        return chosen


class HandlerForm(forms.Form):
    handler_name = forms.CharField(label="经办人姓名", max_length=50)
    handler_mobile = forms.CharField(label="经办人手机号", max_length=11, validators=[validate_mobile])


class AppealForm(forms.Form):
    reasons = forms.CharField(label="复议理由", widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label="附件（可选）", required=False, validators=[document_validator])


class RectificationForm(forms.Form):
    text = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="逐条说明针对整改要求所采取的措施和效果。")
    file = forms.FileField(label="整改情况书面报告（加盖公章的扫描件，可选）", required=False,
                           validators=[document_validator])


class ObjectionForm(forms.Form):
    name = forms.CharField(label="姓名或单位", max_length=100)
    contact = forms.CharField(label="联系方式", max_length=100, help_text="电话或邮箱，便于核查时联系。")
    text = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label="证明材料（可选）", required=False, validators=[document_validator])
