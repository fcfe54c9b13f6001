"""Credits for the 继教办: the awards (with the roster export the CME platforms take), the
certificates (void and reissue, never edit) and the transcripts people asked for."""
from decimal import Decimal

from django import forms
from django.contrib import admin
from import_export import fields, resources

from core.admin_exports import CheckedExportMixin
from core.admin_records import RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin
from core.downloads import admin_file_link
from education.exceptions import EducationError

from . import services
from .models import CreditAward, CreditCertificate, Transcript

# The column layout of the provincial and national CME platforms' batch upload.
ROSTER_COLUMNS = ("姓名", "身份证号", "工作单位", "职称", "项目编号", "项目名称", "学分", "学分类别", "授予日期")


class RosterResource(resources.ModelResource):
    """The export is the one place an ID number appears in full: it needs ``export_creditaward``."""

    name = fields.Field(attribute="name", column_name="姓名")
    id_number = fields.Field(attribute="id_number", column_name="身份证号")
    unit = fields.Field(attribute="unit", column_name="工作单位")
    title = fields.Field(attribute="title", column_name="职称")
    project_number = fields.Field(attribute="project__number", column_name="项目编号")
    project_title = fields.Field(attribute="project__title", column_name="项目名称")
    credits = fields.Field(attribute="credits", column_name="学分")
    credit_class = fields.Field(attribute="get_credit_class_display", column_name="学分类别")
    awarded_on = fields.Field(attribute="awarded_on", column_name="授予日期")

    class Meta:
        model = CreditAward
        fields = ("name", "id_number", "unit", "title", "project_number", "project_title", "credits", "credit_class",
                  "awarded_on")
        export_order = fields

    def dehydrate_awarded_on(self, award):
        return award.awarded_on.strftime("%Y-%m-%d")

    def dehydrate_credits(self, award):
        return str(award.credits)


class GrantedFilter(admin.SimpleListFilter):
    title = "是否授予"
    parameter_name = "granted"

    def lookups(self, request, model_admin):
        return [("yes", "已授予学分"), ("no", "未授予")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(credits__gt=0)
        if self.value() == "no":
            return queryset.filter(credits=0)
        return queryset


class CertificateInline(admin.TabularInline):
    model = CreditCertificate
    extra = 0
    can_delete = False
    fields = ("number", "state", "credits", "issued_at", "void_reason", "voided_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CreditAward)
class CreditAwardAdmin(RecordAdminMixin, CheckedExportMixin, admin.ModelAdmin):
    resource_classes = [RosterResource]
    list_display = ("name", "id_number_masked", "unit", "project", "role", "hours", "credits", "credit_class",
                    "awarded_on", "reason")
    list_filter = (GrantedFilter, "role", "year", "credit_class", "project")
    list_select_related = ("project",)
    search_fields = ("name", "project__number", "project__title")
    fields = ("project", "role", "name", "id_number_masked", "unit", "title", "hours", "required_hours", "credits",
              "credit_class", "year", "awarded_on", "reason", "computed_at")
    readonly_fields = fields
    inlines = (CertificateInline,)

    @admin.display(description="身份证号码")
    def id_number_masked(self, award):
        return award.id_number_masked or "—"


class ReissueForm(forms.Form):
    reason = forms.CharField(label="作废原因", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    credits = forms.DecimalField(label="更正后的学分", max_digits=4, decimal_places=1, required=False,
                                 min_value=Decimal("0.1"), help_text="学分无误（如只更正姓名或单位）时留空。")

    def __init__(self, *args, instance_for, **kwargs):
        super().__init__(*args, **kwargs)


@admin.register(CreditCertificate)
class CreditCertificateAdmin(RecordAdminMixin, TransitionButtonsMixin, admin.ModelAdmin):
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, EducationError)
    list_display = ("number", "holder", "project", "credits", "state", "issued_at", "voided_at")
    list_filter = ("state",)
    list_select_related = ("award__project",)
    search_fields = ("number", "award__name", "award__project__number")
    fields = ("number", "holder", "project", "credits", "state", "issued_at", "pdf_link", "replaces", "replacement",
              "voided_at", "voided_by", "void_reason")
    readonly_fields = fields
    transitions = (
        AdminTransition("reissue", "作废并重新签发", services.certificate_reissue, "education.change_creditcertificate",
                        lambda c: c.state == CreditCertificate.State.VALID, form_class=ReissueForm,
                        object_arg="certificate_id", style="danger"),
    )

    @admin.display(description="持证人")
    def holder(self, certificate):
        return certificate.award.name

    @admin.display(description="项目")
    def project(self, certificate):
        return certificate.award.project

    @admin.display(description="证书文件")
    def pdf_link(self, certificate):
        return admin_file_link(certificate, "pdf", "下载") if certificate.pdf else "生成中"

    @admin.display(description="替代它的证书")
    def replacement(self, certificate):
        replacement = getattr(certificate, "replaced_by", None)
        return replacement.number if replacement else "—"


@admin.register(Transcript)
class TranscriptAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("user", "year", "requested_at")
    list_select_related = ("user",)
    fields = ("user", "year", "requested_at", "pdf_link")
    readonly_fields = fields

    @admin.display(description="学分证明")
    def pdf_link(self, transcript):
        return admin_file_link(transcript, "pdf", "下载") if transcript.pdf else "生成中"
