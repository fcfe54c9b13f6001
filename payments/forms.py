from django import forms
from django.utils import timezone

from accounts.validators import validate_mobile
from core.uploads import UploadValidator

from .models import voucher_validator


class InvoiceInfoForm(forms.Form):
    """Where the invoice goes. Its title and tax id are fixed by the payable, not typed."""

    invoice_email = forms.EmailField(label="收票邮箱", help_text="电子发票（PDF）将发送至此邮箱。")
    invoice_mobile = forms.CharField(label="收票手机号", max_length=11, validators=[validate_mobile],
                                     help_text="发票开具后将短信通知此手机号。")


def same_payer(name: str, registered: str) -> bool:
    """Account names compared as a bank statement prints them: spacing and bracket width aside."""
    def normal(text):
        return "".join((text or "").split()).replace("（", "(").replace("）", ")")
    return normal(name) == normal(registered)


class BankTransferForm(forms.Form):
    voucher = forms.FileField(label="转账凭证（回执）", validators=[voucher_validator],
                              help_text="银行转账回单的照片或 PDF，不超过 10 MB。")
    account_name = forms.CharField(label="付款账户名称", max_length=200,
                                   help_text="须为注册单位（或个人会员本人）的账户，不支持他人代缴。")
    amount = forms.DecimalField(label="转账金额（元）", max_digits=10, decimal_places=2, min_value=0.01)
    transferred_on = forms.DateField(label="转账日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, registered_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered_name = registered_name
        self.fields["account_name"].help_text = (f"须为注册单位“{registered_name}”自己的对公账户（个人会员为本人账户），"
                                                 "不支持其它单位或个人代缴。")

    def clean_account_name(self):
        value = self.cleaned_data["account_name"].strip()
        if not same_payer(value, self.registered_name):
            raise forms.ValidationError(f"付款账户名称须与注册名称“{self.registered_name}”一致，不支持其它单位代缴"
                                        "（对公转账账户应为注册单位账户）。")
        return value

    def clean_transferred_on(self):
        value = self.cleaned_data["transferred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("转账日期不能晚于今天。")
        return value


class VerifyTransferForm(forms.Form):
    """Finance reads the payer from the bank statement; only the registered unit's own
    account can be verified (seed 000: 不支持其它单位代缴)."""

    statement_payer = forms.CharField(label="银行流水显示的付款户名", max_length=200,
                                      help_text="按银行到账流水如实填写；与注册名称不符的款项不能核实，请退回并原路退款。")

    def __init__(self, *args, instance_for=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = instance_for


_official_pdf = UploadValidator(kinds=("pdf",), max_bytes=10 * 1024 * 1024)


class RecordInvoiceForm(forms.Form):
    """Finance records a document issued outside the provider (the 会费票据 from the 财政电子票据
    platform, or a 数电发票 issued by hand)."""

    number = forms.RegexField(label="票据（发票）号码", regex=r"^[0-9A-Za-z-]{6,32}$", max_length=32,
                              error_messages={"invalid": "号码应为 6-32 位数字或字母。"})
    file = forms.FileField(label="票据文件（PDF）", validators=[_official_pdf])

    def __init__(self, *args, instance_for=None, **kwargs):
        super().__init__(*args, **kwargs)


class RecordReversalForm(RecordInvoiceForm):
    """The red-letter document that cancels one (a 会费票据's 冲红, or a reversal by hand)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].label = "红字票据（发票）号码"
        self.fields["file"].label = "红字票据文件（PDF）"
