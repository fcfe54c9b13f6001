from django import forms

from accounts.validators import validate_mobile

from .models import Registration


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["name", "id_number", "unit", "title", "mobile", "email", "invoice_title", "invoice_tax_id"]
        help_texts = {
            "id_number": "用于向国家和省级继续医学教育平台报送学分，页面上只显示部分号码。",
            "invoice_title": "需要单位抬头的发票时填写；留空则以姓名开具。",
        }
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off"})}

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        validate_mobile(mobile)
        return mobile

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


class CancelForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=300)
