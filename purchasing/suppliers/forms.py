"""The supplier application: the company, its 营业执照 and the licences its products need (each
with number, expiry and scan, kept across a refused submission), and for a visitor the login."""
from django import forms
from django.contrib.auth import password_validation

from accounts import verification
from accounts.validators import validate_mobile
from core.identifiers import validate_credit_code

from .models import LicenceKind, licence_validator

KINDS = [kind.value for kind in LicenceKind]
PRODUCT_KINDS = [k for k in KINDS if k != LicenceKind.BUSINESS]


class SupplierApplicationForm(forms.Form):
    """Which scans are needed depends on the numbers typed, so the form asks for them itself
    (not StagedUploadsMixin, which needs every upload field); ``staged`` names the scans kept
    from a refused submission (core.staging)."""

    upload_fields = tuple(f"{kind}_file" for kind in KINDS)

    name = forms.CharField(label="企业名称（与营业执照一致）", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, validators=[validate_credit_code])
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_mobile = forms.CharField(label="联系电话（手机）", max_length=11, validators=[validate_mobile])
    address = forms.CharField(label="经营地址", max_length=200)

    def __init__(self, *args, user=None, on_file=frozenset(), staged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staged = staged or {}
        self.on_file = set(on_file)  # kinds already on file (a returned application): a new scan is optional
        for kind in KINDS:
            label = LicenceKind(kind).label
            if kind != LicenceKind.BUSINESS:
                self.fields[f"{kind}_number"] = forms.CharField(label=f"{label}编号", max_length=50, required=False)
            self.fields[f"{kind}_expires"] = forms.DateField(
                label=f"{label}有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                help_text="长期有效的留空。")
            self.fields[f"{kind}_file"] = forms.FileField(label=f"{label}扫描件", required=False,
                                                          validators=[licence_validator],
                                                          help_text="PDF、JPG 或 PNG，不超过 10 MB。")
            self.fields[f"{kind}_file"].marked_required = kind == LicenceKind.BUSINESS
        if user is None or not user.is_authenticated:  # a new account: the mobile is proven by its code
            self.fields["mobile"] = forms.CharField(label="登录手机号", max_length=11, validators=[validate_mobile])
            self.fields["code"] = verification.code_field()
            self.fields["email"] = forms.EmailField(label="电子邮箱")
            self.fields["password1"] = forms.CharField(label="设置登录密码", widget=forms.PasswordInput)
            self.fields["password2"] = forms.CharField(label="确认密码", widget=forms.PasswordInput)
        self.show_staged(self.staged)

    def show_staged(self, staged: dict[str, str]) -> None:
        self.staged = staged
        for name, original in staged.items():
            if name in self.fields:
                self.fields[name].help_text = self[name].help_text = f"已上传：{original}（如需更换，请重新选择文件）"

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean(self):
        data = super().clean()
        if not self._file("business"):
            self.add_error("business_file", "请上传营业执照。")
        given = [kind for kind in PRODUCT_KINDS if (data.get(f"{kind}_number") or "").strip()]
        if not given and not self.errors.get("credit_code"):
            self.add_error(f"{PRODUCT_KINDS[0]}_number", "请至少填写一种经营资质（医疗器械经营许可证、第二类医疗器械经营备案凭证或药品经营许可证）。")
        for kind in given:
            if not self._file(kind):
                self.add_error(f"{kind}_file", f"请上传{LicenceKind(kind).label}扫描件。")
        if "password1" in self.fields and data.get("password1"):
            if data["password1"] != data.get("password2"):
                self.add_error("password2", "两次输入的密码不一致。")
            else:
                try:
                    password_validation.validate_password(data["password1"])
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        return data

    def _file(self, kind: str) -> bool:
        return (bool(self.cleaned_data.get(f"{kind}_file")) or f"{kind}_file" in self.staged
                or kind in self.on_file)

    def profile(self) -> dict:
        fields = ("name", "credit_code", "contact_name", "contact_mobile", "address", "mobile", "email")
        return {f: self.cleaned_data[f] for f in fields if f in self.cleaned_data}

    def licences(self, staged_file) -> dict:
        """kind → number, expiry and file (uploaded now or kept from before) for each given."""
        chosen = {}
        for kind in KINDS:
            number = self.cleaned_data["credit_code"] if kind == LicenceKind.BUSINESS else (
                self.cleaned_data.get(f"{kind}_number") or "").strip()
            upload = self.cleaned_data.get(f"{kind}_file") or staged_file(f"{kind}_file")
            if number and upload:
                chosen[kind] = {"number": number, "expires_on": self.cleaned_data.get(f"{kind}_expires"),
                                "file": upload}
        return chosen
