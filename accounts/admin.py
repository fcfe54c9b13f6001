from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

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
    filter_horizontal = ("groups",)
    readonly_fields = ("last_login", "date_joined")
    actions = ["deactivate"]

    # Accounts are deactivated, never deleted: their decisions in the logs, their messages and
    # everything they submitted keep pointing at them (001 §18(九)).
    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="停用所选账号（不能登录，记录保留）", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(request, f"已停用 {count} 个账号；其操作记录和提交的材料均保留。")
