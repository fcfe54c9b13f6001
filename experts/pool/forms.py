"""Forms of the expert pool: the application (004 §9 checked at the fields) and conflict declarations."""
import datetime as dt

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from accounts import verification
from core.forms import StagedUploadsMixin
from core.identifiers import birth_date_of, validate_id_number
from experts.pool.models import Conflict, Expert
from experts.pool.qualifications import qualification_problems

APPLICATION_FIELDS = ("name", "gender", "id_number", "mobile", "email", "employer_name", "employer_credit_code",
                      "province", "specialty", "title", "title_since", "specialty_years", "management_years",
                      "education", "cv", "consent_letter")


class ExpertApplicationForm(StagedUploadsMixin, forms.ModelForm):
    """The application to the pool. 004 §9 is checked here (each unmet condition at its field)
    and again by the service; a visitor also proves their mobile by an SMS code and chooses a
    password for the new account. A consent letter chosen on a refused submission is kept
    (core.staging, ``staged``)."""

    upload_fields = ("consent_letter",)

    password1 = forms.CharField(label="设置登录密码", widget=forms.PasswordInput, required=False)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, required=False)

    class Meta:
        model = Expert
        fields = APPLICATION_FIELDS
        widgets = {"title_since": forms.DateInput(attrs={"type": "date"}), "cv": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "specialty_years": "从事本专业的年数（第九条（三）：5 年以上）。",
            "title_since": "副高级及以上职称须取得并受聘满 3 年。",
            "management_years": "在医疗机构中层、高层从事管理工作的年数；满 5 年可不受职称条件限制。",
            "consent_letter": "所在单位同意推荐的函件（加盖公章），PDF、JPG 或 PNG，不超过 10 MB。",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["province"].choices = [("", "请选择"), *self.fields["province"].choices[1:]]
        if user is not None and user.is_authenticated:
            del self.fields["password1"], self.fields["password2"]
            for name in ("mobile", "email"):
                self.fields[name].disabled = True
                self.fields[name].initial = getattr(user, name)
        else:  # a new account: the mobile is proven by its code
            self.fields["code"] = verification.code_field()
            self.order_fields([*list(self.fields)[:list(self.fields).index("mobile") + 1], "code"])
        if self.instance.pk:
            self.fields["id_number"].disabled = True

    def clean_id_number(self):
        # The model's validator only runs after clean(); the birth date is needed before it.
        value = self.cleaned_data["id_number"].strip().upper()
        validate_id_number(value)
        return value

    def clean(self):
        data = super().clean()
        if "password1" in self.fields:
            if not data.get("password1"):
                self.add_error("password1", "请设置登录密码。")
            elif data.get("password1") != data.get("password2"):
                self.add_error("password2", "两次输入的密码不一致。")
            else:
                try:
                    password_validation.validate_password(data["password1"])
                except forms.ValidationError as exc:
                    self.add_error("password1", exc)
        if self.errors:
            return data
        data["birth_date"] = birth_date_of(data["id_number"])
        today = timezone.localdate()
        for problem in qualification_problems(
                birth_date=data["birth_date"], title=data["title"], title_since=data.get("title_since"),
                specialty_years=data["specialty_years"], management_years=data["management_years"], today=today):
            self.add_error("id_number" if "岁以下" in problem else "specialty_years", problem)
        return data

    def profile_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items()
                if k not in ("consent_letter", "password1", "password2", "code")}


class ConflictForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择"), *Conflict.Kind.choices]

    class Meta:
        model = Conflict
        fields = ("kind", "institution_name", "institution_credit_code", "starts_on", "ends_on", "note")
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"})}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "截止日期不能早于起始日期。")
        if starts and starts > timezone.localdate() + dt.timedelta(days=3650):
            self.add_error("starts_on", "请填写实际的起始日期。")
        return data


# --- the on-site review --------------------------------------------------------------------------
