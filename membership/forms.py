from django import forms
from django.contrib.auth import get_user_model, password_validation

from accounts import verification
from accounts.validators import validate_mobile
from core.forms import StagedUploadsMixin
from core.identifiers import validate_credit_code, validate_id_number

from .models import (
    Contact,
    IndividualProfile,
    Kind,
    Member,
    MembershipType,
    UnitProfile,
    licence_validator,
    photo_validator,
)


class CategoryForm(forms.Form):
    membership_type = forms.ModelChoiceField(
        label="会员类别", queryset=MembershipType.objects.filter(is_active=True), widget=forms.RadioSelect,
        empty_label=None, error_messages={"required": "请选择会员类别。"},
    )


class GuideForm(forms.Form):
    agree = forms.BooleanField(label="我已阅读《会员服务指南》，同意遵守协会章程并履行会员义务",
                               error_messages={"required": "请阅读会员服务指南并勾选同意。"})


class UnitForm(StagedUploadsMixin, forms.Form):
    upload_fields = ("practising_licence", "business_licence")

    name = forms.CharField(label="单位名称", max_length=100, help_text="与营业执照一致。")
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, validators=[validate_credit_code])
    institution_type = forms.ChoiceField(label="机构类型", choices=[("", "请选择"), *UnitProfile.InstitutionType.choices],
                                         help_text="机构类型决定评价收费标准，请按执业许可证选择。")
    licence_no = forms.CharField(label="医疗机构执业许可证登记号", max_length=50)
    legal_representative = forms.CharField(label="法定代表人", max_length=50)
    address = forms.CharField(label="地址", max_length=200)
    opened_on = forms.DateField(label="开业日期", widget=forms.DateInput(attrs={"type": "date"}))
    beds = forms.IntegerField(label="床位数", min_value=0, initial=0)
    dental_chairs = forms.IntegerField(label="牙椅数", min_value=0, initial=0)
    practising_licence = forms.FileField(label="医疗机构执业许可证", validators=[licence_validator],
                                         help_text="PDF、JPG 或 PNG，不超过 10 MB。")
    business_licence = forms.FileField(label="营业执照", validators=[licence_validator],
                                       help_text="PDF、JPG 或 PNG，不超过 10 MB。")

    def __init__(self, *args, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        taken = Member.objects.filter(credit_code=code)
        if self.member:
            taken = taken.exclude(pk=self.member.pk)
        if taken.exists():
            raise forms.ValidationError("该统一社会信用代码已注册会员，请直接登录或联系协会会员部。")
        return code


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ("name", "position", "mobile", "email")
        labels = {"name": "联系人姓名"}


class ContactEditForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ("name", "position", "mobile", "email", "is_primary")


class PersonForm(StagedUploadsMixin, forms.Form):
    upload_fields = ("photo",)

    name = forms.CharField(label="姓名", max_length=100)
    gender = forms.ChoiceField(label="性别", choices=IndividualProfile.Gender.choices, widget=forms.RadioSelect)
    id_number = forms.CharField(label="身份证号码", max_length=18, validators=[validate_id_number])
    title = forms.CharField(label="职称", max_length=50, help_text="例如：主任医师、副主任医师、主治医师。")
    employer = forms.CharField(label="工作单位", max_length=100)
    specialty = forms.CharField(label="专业", max_length=50)
    photo = forms.FileField(label="本人照片", validators=[photo_validator], help_text="JPG 或 PNG，不超过 5 MB。")

    def clean_id_number(self):
        number = self.cleaned_data["id_number"].strip().upper()
        if IndividualProfile.objects.filter(id_number=number).exists():
            raise forms.ValidationError("该身份证号码已注册个人会员，请直接登录。")
        return number


class AccountForm(forms.Form):
    mobile = forms.CharField(label="登录手机号", max_length=11, validators=[validate_mobile],
                             help_text="用于登录和接收通知。填写后点击“获取验证码”。")
    code = verification.code_field()
    email = forms.EmailField(label="电子邮箱", help_text="也可用于登录，找回密码时使用。")
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput(render_value=False),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput(render_value=False))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif p1:
            user = get_user_model()(mobile=cleaned.get("mobile") or "", email=cleaned.get("email") or "")
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ProfileForm(forms.Form):
    """The member's own details page. Registered name/credit code changes go to review."""

    name = forms.CharField(label="名称/姓名", max_length=100)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False,
                                  validators=[validate_credit_code])

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if member.kind == Kind.UNIT:
            self.fields["credit_code"].required = True
            extra = forms.fields_for_model(UnitProfile, fields=("institution_type", "licence_no",
                                                                "legal_representative", "address", "beds",
                                                                "dental_chairs"))
        else:
            del self.fields["credit_code"]
            extra = forms.fields_for_model(IndividualProfile, fields=("title", "employer", "specialty"))
        self.fields.update(extra)
        self.detail_fields = tuple(extra)

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").upper()
        if code and Member.objects.filter(credit_code=code).exclude(pk=self.member.pk).exists():
            raise forms.ValidationError("该统一社会信用代码已被其他会员使用。")
        return code
