"""What the 继教办 edits of a project: its sessions, lecturers and quiz (inlines the project's
admin in ``education.admin`` gathers), the amendment form, the yearly requirement, and the
amendment record."""
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model

from accounts.validators import validate_mobile
from core.admin_records import RecordAdminMixin

from .models import Amendment, CreditYear, Lecturer, Project, QuizQuestion, Session


class SettledInlineMixin:
    """After approval the hours may only change by an amendment: nothing is added or removed,
    and ``settled_readonly`` fields are shown, not edited."""

    settled_readonly: tuple[str, ...] = ()

    def _settled(self, obj) -> bool:
        return obj is not None and obj.is_settled

    def get_readonly_fields(self, request, obj=None):
        return self.settled_readonly if self._settled(obj) else ()

    def has_add_permission(self, request, obj=None):
        return not self._settled(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._settled(obj) and super().has_delete_permission(request, obj)


class SessionInline(SettledInlineMixin, admin.TabularInline):
    model = Session
    extra = 1
    fields = ("title", "starts_at", "ends_at", "hours")
    settled_readonly = ("hours",)


class LecturerForm(forms.ModelForm):
    mobile = forms.CharField(label="授课人手机号", max_length=11, help_text="授课人在本站注册的账号，学分记入该账号。")

    class Meta:
        model = Lecturer
        fields = ["session", "mobile", "name", "unit", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["mobile"].initial = self.instance.user.mobile

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"].strip()
        validate_mobile(mobile)
        user = get_user_model().objects.filter(mobile=mobile, is_active=True).first()
        if user is None:
            raise forms.ValidationError("该手机号尚未在本站注册账号：请授课人先注册，学分才能记入其账号。")
        self.instance.user = user
        return mobile


class LecturerInline(SettledInlineMixin, admin.TabularInline):
    model = Lecturer
    form = LecturerForm
    extra = 1
    settled_readonly = ("session",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            project_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Session.objects.filter(project_id=project_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuizQuestionInline(SettledInlineMixin, admin.StackedInline):
    model = QuizQuestion
    extra = 0
    fields = ("position", "text", "options", "answer")


class AmendForm(forms.Form):
    """变更学分或学时: the new values and the reason, for ``project_amend``."""

    credit_value = forms.DecimalField(label="项目学分", max_digits=4, decimal_places=1, min_value=Decimal("0.5"),
                                      max_value=Decimal("25"))
    reason = forms.CharField(label="变更原因", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_value"].initial = instance_for.credit_value
        self.sessions = list(instance_for.sessions.all())
        for session in self.sessions:
            self.fields[f"hours_{session.pk}"] = forms.DecimalField(
                label=f"学时：{session.title}", max_digits=4, decimal_places=1, min_value=Decimal("0.5"),
                max_value=Decimal("12"), initial=session.hours)
        self.order_fields(["credit_value", *[f"hours_{s.pk}" for s in self.sessions], "reason"])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        return {"credit_value": data["credit_value"], "reason": data["reason"],
                "session_hours": {s.pk: data[f"hours_{s.pk}"] for s in self.sessions}}


@admin.register(CreditYear)
class CreditYearAdmin(admin.ModelAdmin):
    list_display = ("year", "total", "class_one_min", "class_one_max", "class_two_min", "class_two_max")


@admin.register(Amendment)
class AmendmentAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("project", "at", "by", "reason")
    list_select_related = ("project", "by")
    readonly_fields = ("project", "changes", "reason", "by", "at")
    search_fields = ("project__number", "project__title")


def project_amendable(project: Project) -> bool:
    return project.state in (Project.State.APPROVED, Project.State.OPEN)
