from django.contrib import admin
from import_export import fields, resources

from core.admin_exports import CheckedExportMixin
from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from core.downloads import admin_file_link

from . import services
from .exceptions import MembershipError
from .models import (
    ArchivedFile,
    Contact,
    IndividualProfile,
    Member,
    MembershipTerm,
    MembershipType,
    ProfileChange,
    UnitProfile,
)


@admin.register(MembershipType)
class MembershipTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "annual_dues", "review_required", "is_active", "position")
    list_editable = ("position", "is_active")
    list_filter = ("kind",)


class UnitProfileInline(admin.StackedInline):
    model = UnitProfile
    can_delete = False
    fields = ("institution_type", "licence_no", "legal_representative", "address", "opened_on", "beds",
              "dental_chairs", "practising_licence_link", "business_licence_link")
    readonly_fields = ("practising_licence_link", "business_licence_link")

    @admin.display(description="医疗机构执业许可证")
    def practising_licence_link(self, obj):
        return admin_file_link(obj, "practising_licence")

    @admin.display(description="营业执照")
    def business_licence_link(self, obj):
        return admin_file_link(obj, "business_licence")


class IndividualProfileInline(admin.StackedInline):
    model = IndividualProfile
    can_delete = False
    fields = ("gender", "id_number", "title", "employer", "specialty", "photo_link")
    readonly_fields = ("photo_link",)

    @admin.display(description="照片")
    def photo_link(self, obj):
        return admin_file_link(obj, "photo")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class TermInline(admin.TabularInline):
    model = MembershipTerm
    extra = 0
    can_delete = False
    fields = ("start", "end", "certificate_no", "order", "certificate_link")
    readonly_fields = fields

    @admin.display(description="证书")
    def certificate_link(self, obj):
        return admin_file_link(obj, "certificate")

    def has_add_permission(self, request, obj=None):
        return False


class ArchivedFileInline(admin.TabularInline):
    model = ArchivedFile
    extra = 0
    can_delete = False
    fields = ("field", "original_name", "archived_at", "link")
    readonly_fields = fields

    @admin.display(description="下载")
    def link(self, obj):
        return admin_file_link(obj, "file")

    def has_add_permission(self, request, obj=None):
        return False


class MemberResource(resources.ModelResource):
    state = fields.Field(attribute="get_state_display", column_name="状态")
    kind = fields.Field(attribute="get_kind_display", column_name="类别")
    membership_type = fields.Field(attribute="membership_type__name", column_name="会员类型")
    mobile = fields.Field(attribute="user__mobile", column_name="登录手机号")

    class Meta:
        model = Member
        fields = ("member_no", "name", "credit_code", "kind", "membership_type", "state", "mobile", "created_at")
        export_order = fields


PERM = "membership.change_member"
can = transition_available


@admin.register(Member)
class MemberAdmin(RecordAdminMixin, TransitionButtonsMixin, CheckedExportMixin, admin.ModelAdmin):
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, MembershipError)
    resource_classes = [MemberResource]
    list_display = ("name", "member_no", "kind", "membership_type", "state", "mobile", "submitted_at")
    list_filter = ("state", "kind", "membership_type")
    search_fields = ("name", "credit_code", "member_no", "user__mobile", "user__email")
    list_select_related = ("membership_type", "user")
    date_hierarchy = "created_at"
    fields = ("user", "kind", "membership_type", "state", "name", "credit_code", "member_no", "review_comment",
              "submitted_at", "created_at")
    readonly_fields = ("user", "kind", "state", "name", "credit_code", "member_no", "review_comment",
                       "submitted_at", "created_at")
    inlines = [UnitProfileInline, IndividualProfileInline, ContactInline, TermInline, ArchivedFileInline,
               HistoryInline]
    transitions = (
        AdminTransition("approve", "审核通过", services.member_approve, PERM, can("approve")),
        AdminTransition("return", "退回修改", services.member_return, PERM, can("return_for_correction"),
                        reason_label="审核意见", reason_arg="comment"),
        AdminTransition("reject", "不予通过", services.member_reject, PERM, can("reject"),
                        reason_label="不通过原因", style="danger"),
        AdminTransition("suspend", "暂停资格", services.member_suspend, PERM, can("suspend"),
                        reason_label="暂停原因", style="danger"),
        AdminTransition("reinstate", "恢复资格", services.member_reinstate, PERM, can("reinstate")),
        AdminTransition("revoke", "撤销资格", services.member_revoke, PERM, can("revoke"), reason_label="撤销原因",
                        style="danger"),
    )

    @admin.display(description="手机号", ordering="user__mobile")
    def mobile(self, obj):
        return obj.user.mobile

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        drop = IndividualProfileInline if obj.is_unit else UnitProfileInline
        return [inline for inline in self.inlines if inline is not drop]


@admin.register(ProfileChange)
class ProfileChangeAdmin(RecordAdminMixin, TransitionButtonsMixin, admin.ModelAdmin):
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, MembershipError)
    list_display = ("member", "name", "credit_code", "decision", "submitted_at")
    list_filter = ("decision",)
    readonly_fields = ("member", "name", "credit_code", "decision", "reason", "submitted_at", "decided_by",
                       "decided_at")
    transitions = (
        AdminTransition("accept", "同意变更", services.profile_change_decide, PERM, lambda c: c.decision == "pending",
                        object_arg="change_id", fixed={"accept": True}),
        AdminTransition("reject", "不同意变更", services.profile_change_decide, PERM, lambda c: c.decision == "pending",
                        object_arg="change_id", fixed={"accept": False}, reason_label="不同意的原因", style="danger"),
    )


@admin.register(MembershipTerm)
class MembershipTermAdmin(RecordAdminMixin, CheckedExportMixin, admin.ModelAdmin):
    list_display = ("certificate_no", "member", "start", "end", "has_certificate")
    search_fields = ("certificate_no", "member__name", "member__member_no")
    list_filter = ("end",)
    list_select_related = ("member",)
    readonly_fields = ("member", "order", "start", "end", "certificate_no", "certificate_link", "created_at",
                       "reminded_30_at", "reminded_7_at")
    exclude = ("certificate",)

    @admin.display(description="证书", boolean=True)
    def has_certificate(self, obj):
        return bool(obj.certificate)

    @admin.display(description="证书文件")
    def certificate_link(self, obj):
        return admin_file_link(obj, "certificate")


# The admin index's work queues (core.admin_queues) for 会员部.
register_queue(Queue("待审核入会申请", "membership.change_member", Member, {"state": Member.State.SUBMITTED}))
register_queue(Queue("待审核登记信息变更", "membership.change_profilechange", ProfileChange,
                     {"decision": ProfileChange.Decision.PENDING}))
