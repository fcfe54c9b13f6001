from django import forms
from django.utils import timezone

from accounts.validators import validate_mobile

from .models import voucher_validator


class InvoiceInfoForm(forms.Form):
    """Where the invoice goes. Its title and tax id are fixed by the payable, not typed."""

    invoice_email = forms.EmailField(label="收票邮箱", help_text="电子发票（PDF）将发送至此邮箱。")
    invoice_mobile = forms.CharField(label="收票手机号", max_length=11, validators=[validate_mobile],
                                     help_text="发票开具后将短信通知此手机号。")


class BankTransferForm(forms.Form):
    voucher = forms.FileField(label="转账凭证（回执）", validators=[voucher_validator],
                              help_text="银行转账回单的照片或 PDF，不超过 10 MB。")
    account_name = forms.CharField(label="付款账户名称", max_length=200,
                                   help_text="须为注册单位（或个人会员本人）的账户，不支持他人代缴。")
    amount = forms.DecimalField(label="转账金额（元）", max_digits=10, decimal_places=2, min_value=0.01)
    transferred_on = forms.DateField(label="转账日期", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_transferred_on(self):
        value = self.cleaned_data["transferred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("转账日期不能晚于今天。")
        return value
