from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group, Permission

from .models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("mobile", "email", "name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("-date_joined",)
    list_display = ("mobile", "name", "email", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("mobile", "name", "email")
    fieldsets = (
        (None, {"fields": ("mobile", "password")}),
        ("基本信息", {"fields": ("name", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("mobile", "email", "name", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":  # a few roles: boxes to tick, labelled by the role's name
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)
    actions = ["deactivate"]

    # Accounts are deactivated, never deleted: their decisions in the logs, their messages and
    # everything they submitted keep pointing at them (001 §18(九)).
    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="停用所选账号（不能登录，记录保留）", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(request, f"已停用 {count} 个账号；其操作记录和提交的材料均保留。")


# --- staff roles (groups) -----------------------------------------------------------------------

ACTIONS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def project_permissions():
    """The permissions of the portal's own apps (what a role can be given), Chinese-labelled."""
    from django.apps import apps
    from django.conf import settings

    labels = [config.label for config in apps.get_app_configs() if config.name in settings.PROJECT_APPS]
    return Permission.objects.filter(content_type__app_label__in=labels).select_related("content_type").order_by(
        "content_type__app_label", "content_type__model", "codename")


def permission_label(permission) -> str:
    """"会员管理 · 会员 · 修改": the app's and the model's Chinese names and the action (a custom
    permission's own name is Chinese already)."""
    model = permission.content_type.model_class()
    action, _, _ = permission.codename.partition("_")
    if model is None:
        return permission.name
    app = model._meta.app_config.verbose_name
    what = ACTIONS.get(action) if permission.codename == f"{action}_{model._meta.model_name}" else None
    return f"{app} · {model._meta.verbose_name} · {what or permission.name}"


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class RoleForm(forms.ModelForm):
    permissions = PermissionsField(label="权限", queryset=Permission.objects.none(), required=False,
                                   widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Group
        fields = ("name", "permissions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].queryset = project_permissions()
        self.fields["name"].label = "角色名称"


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """员工角色: the permissions are the portal's own, in Chinese, as boxes to tick. A role's
    permissions are also set by each app after every migrate (accounts.roles)."""

    form = RoleForm
    filter_horizontal = ()

