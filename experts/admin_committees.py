"""The committees' membership in the admin: seat and release members, constitute the committee.
Every button calls experts.committees; the members list is a read-only record."""
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from core.admin_records import HistoryInline, ReadOnlyInline
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available

from . import committees
from .exceptions import ExpertsError
from .models import Committee, CommitteeMember

PERM = "experts.manage_committee"


class AddMemberForm(forms.Form):
    mobile = forms.CharField(label="委员的登录手机号", max_length=11,
                             help_text="评价委员会委员须为在聘的评价专家（填写其专家账号的手机号）。")
    role = forms.ChoiceField(label="职务", choices=CommitteeMember.Role.choices, initial=CommitteeMember.Role.MEMBER)
    title = forms.CharField(label="职务/单位", max_length=100, required=False)

    def __init__(self, *args, instance_for=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        user = get_user_model().objects.filter(mobile=(data.pop("mobile", "") or "").strip()).first()
        if user is None:
            self.add_error("mobile", "没有使用该手机号的账号。")
        data["user"] = user
        return data


class ReleaseMemberForm(forms.Form):
    member_id = forms.TypedChoiceField(label="离任委员", coerce=int)
    reason = forms.CharField(label="离任原因", max_length=200)

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_id"].choices = [(m.pk, str(m)) for m in instance_for.members.filter(until__isnull=True)]


class MemberInline(ReadOnlyInline):
    model = CommitteeMember
    fk_name = "committee"
    fields = ("name", "role", "title", "expert", "since", "until", "leave_reason", "added_by")


@admin.register(Committee)
class CommitteeAdmin(TransitionButtonsMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "state", "size", "term_start", "term_end")
    fields = ("kind", "name", "state", "term_start", "term_end", "constituted_at", "size_rule")
    readonly_fields = ("state", "constituted_at", "size_rule")
    inlines = (MemberInline, HistoryInline)
    refusal_errors = TransitionButtonsMixin.refusal_errors + (ExpertsError,)
    transitions = (
        AdminTransition("add_member", "增加委员", committees.committee_add_member, PERM, lambda c: True,
                        form_class=AddMemberForm),
        AdminTransition("release_member", "委员离任", committees.committee_release_member, PERM,
                        lambda c: c.members.filter(until__isnull=True).exists(), form_class=ReleaseMemberForm),
        AdminTransition("constitute", "组建完成", committees.committee_constitute, PERM,
                        transition_available("constitute")),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            current=Count("members", filter=Q(members__until__isnull=True)))

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "kind") if obj is not None else self.readonly_fields

    @admin.display(description="现任人数")
    def size(self, obj):
        return obj.current

    @admin.display(description="人数要求")
    def size_rule(self, obj):
        if obj is None or not obj.kind:
            return "评价领导小组 9~25 人（第九条）；评价委员会 9~15 人（第十条）"
        fewest, most = obj.size_range
        return f"{fewest}~{most} 人"

    def has_delete_permission(self, request, obj=None):
        return False
