"""The 团购办's admin: supplier review with licences, products, rounds with their products and
tiered prices (and the round report with its Excel export), and the records rounds leave:
answers, purchase orders with problems, service fees."""
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, ReadOnlyInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from core.downloads import admin_file_link
from purchasing.exceptions import PurchasingError
from purchasing.orders.reports import report_workbook, round_report
from purchasing.pricing import parse_tiers, tier_problems
from purchasing.rounds import services as rounds
from purchasing.suppliers import services as suppliers

from .models import (
    Licence,
    OrderLine,
    OrderProblem,
    Participation,
    Product,
    PurchaseOrder,
    Round,
    RoundItem,
    ServiceFee,
    Supplier,
)

can = transition_available
REVIEW = "purchasing.change_supplier"


class LicenceInline(ReadOnlyInline):
    model = Licence
    fields = ("kind", "number", "expires_on", "scan", "uploaded_at", "superseded_at")
    readonly_fields = fields
    verbose_name_plural = "证照（含被替换的历史证照）"

    @admin.display(description="扫描件")
    def scan(self, licence):
        return admin_file_link(licence, "file", licence.file_name or "下载")


@admin.register(Supplier)
class SupplierAdmin(RecordAdminMixin, TransitionButtonsMixin, admin.ModelAdmin):
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, PurchasingError)
    list_display = ("name", "credit_code", "contact_name", "contact_mobile", "state", "submitted_at")
    list_filter = ("state",)
    search_fields = ("name", "credit_code", "contact_mobile")
    fields = ("user", "name", "credit_code", "contact_name", "contact_mobile", "address", "state", "review_comment",
              "submitted_at", "approved_at")
    readonly_fields = fields
    inlines = (LicenceInline, HistoryInline)
    transitions = (
        AdminTransition("approve", "审核通过", suppliers.supplier_approve, REVIEW, can("approve")),
        AdminTransition("return", "退回修改", suppliers.supplier_return, REVIEW, can("return_for_correction"),
                        reason_label="退回意见", reason_arg="comment"),
        AdminTransition("reject", "不予通过", suppliers.supplier_reject, REVIEW, can("reject"),
                        reason_label="不予通过的理由", style="danger"),
    )


@admin.register(Licence)
class LicenceAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("supplier", "kind", "number", "expires_on", "superseded_at")
    list_filter = ("kind",)
    list_select_related = ("supplier",)
    fields = ("supplier", "kind", "number", "expires_on", "scan", "uploaded_at", "superseded_at", "warned_at",
              "lapsed_at")
    readonly_fields = fields

    @admin.display(description="扫描件")
    def scan(self, licence):
        return admin_file_link(licence, "file", licence.file_name or "下载")


@admin.register(Product)
class ProductAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("name", "specification", "supplier", "category", "registration_no", "list_price", "state")
    list_filter = ("state", "category")
    list_select_related = ("supplier",)
    search_fields = ("name", "brand", "registration_no", "supplier__name")
    fields = ("supplier", "category", "name", "specification", "unit", "brand", "manufacturer", "registration_no",
              "list_price", "state", "suspended_reason", "created_at")
    readonly_fields = fields


class RoundItemForm(forms.ModelForm):
    tier_text = forms.CharField(label="阶梯价", widget=forms.Textarea(attrs={"rows": 3, "cols": 24}),
                                help_text="每行“数量 单价”，如：<br>50 90.00<br>100 80.00")

    class Meta:
        model = RoundItem
        fields = ["product", "tier_text", "minimum_quantity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "product" not in self.fields:  # a published round: shown, not edited
            return
        self.fields["product"].queryset = Product.objects.filter(state=Product.State.LISTED).select_related("supplier")
        if self.instance.pk:
            self.fields["tier_text"].initial = "\n".join(f"{q} {p}" for q, p in self.instance.tier_list())

    def clean(self):
        data = super().clean()
        if "tier_text" not in self.fields:
            return data
        try:
            tiers = parse_tiers(data.get("tier_text", ""))
        except ValueError as exc:
            self.add_error("tier_text", str(exc))
            return data
        product = data.get("product")
        if product is not None:
            for problem in tier_problems(tiers, product.list_price):
                self.add_error("tier_text", problem)
        self.instance.tiers = [[q, str(p)] for q, p in tiers]
        return data


class RoundItemInline(admin.TabularInline):
    model = RoundItem
    form = RoundItemForm
    extra = 2

    def _editable(self, obj) -> bool:
        return obj is None or obj.state == Round.State.DRAFT

    def get_fields(self, request, obj=None):
        if self._editable(obj):
            return ["product", "tier_text", "minimum_quantity"]
        return ["product", "tier_list_display", "minimum_quantity", "outcome", "pooled_quantity", "final_price"]

    def get_readonly_fields(self, request, obj=None):
        return () if self._editable(obj) else self.get_fields(request, obj)

    @admin.display(description="阶梯价")
    def tier_list_display(self, item):
        return "；".join(f"≥{q}：¥{p}" for q, p in item.tier_list())

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(TransitionButtonsMixin, admin.ModelAdmin):
    """团购活动: products with tiered prices, publication, and the report."""

    refusal_errors = (*TransitionButtonsMixin.refusal_errors, PurchasingError)
    list_display = ("title", "opens_at", "closes_at", "state", "service_fee_percent", "report_link")
    list_filter = ("state",)
    fields = ("title", "description", "opens_at", "closes_at", "service_fee_percent", "state", "confirm_by",
              "closed_at", "cancel_reason")
    inlines = (RoundItemInline, HistoryInline)
    transitions = (
        AdminTransition("publish", "发布团购活动", rounds.round_publish, "purchasing.change_round", can("publish")),
        AdminTransition("cancel", "取消团购活动", rounds.round_cancel, "purchasing.change_round", can("cancel"),
                        reason_label="取消原因", style="danger"),
    )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["state", "confirm_by", "closed_at", "cancel_reason"]
        if obj is not None and obj.state != Round.State.DRAFT:
            fixed += ["title", "opens_at", "closes_at", "service_fee_percent"]
        return fixed

    def get_urls(self):
        return [path("<path:object_id>/report/", self.admin_site.admin_view(self.report_view),
                     name="purchasing_round_report"), *super().get_urls()]

    @admin.display(description="报表")
    def report_link(self, round_):
        return format_html('<a href="{}">团购报表</a>', reverse("admin:purchasing_round_report", args=[round_.pk]))

    def report_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        round_ = get_object_or_404(Round, pk=object_id)
        report = round_report(round_)
        if request.GET.get("format") == "xlsx":
            if not request.user.has_perm("purchasing.export_round"):
                raise PermissionDenied
            response = HttpResponse(report_workbook(round_, report), content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
            return response
        return TemplateResponse(request, "admin/purchasing/round_report.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "round": round_, "report": report,
            "title": f"团购报表：{round_.title}", "can_export": request.user.has_perm("purchasing.export_round")})


@admin.register(Participation)
class ParticipationAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("round", "member", "decision", "decided_at", "note")
    list_filter = ("decision", "round")
    list_select_related = ("round", "member")
    fields = ("round", "member", "decision", "decided_at", "note")
    readonly_fields = fields


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("product", "quantity", "list_price", "unit_price")


class OrderProblemInline(ReadOnlyInline):
    model = OrderProblem
    fields = ("reported_at", "reported_by", "text")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("number", "round", "supplier", "member", "amount", "state", "created_at")
    list_filter = ("state", "round")
    list_select_related = ("round", "supplier", "member")
    search_fields = ("number", "supplier__name", "member__name")
    fields = ("number", "round", "supplier", "member", "amount", "list_amount", "state", "pdf_link", "created_at",
              "accepted_at", "shipped_at", "shipping_note", "received_at", "payment_received_at")
    readonly_fields = fields
    inlines = (OrderLineInline, OrderProblemInline, HistoryInline)

    @admin.display(description="订单文件")
    def pdf_link(self, order):
        return admin_file_link(order, "pdf", "下载") if order.pdf else "生成中"


@admin.register(ServiceFee)
class ServiceFeeAdmin(RecordAdminMixin, admin.ModelAdmin):
    list_display = ("round", "supplier", "base_amount", "amount", "state", "paid_at")
    list_filter = ("state",)
    list_select_related = ("round", "supplier")
    fields = ("round", "supplier", "base_amount", "amount", "state", "paid_at")
    readonly_fields = fields


register_queue(Queue("待审核供应商", REVIEW, Supplier, {"state": Supplier.State.SUBMITTED}))
register_queue(Queue("有问题的团购订单", "purchasing.view_purchaseorder", PurchaseOrder,
                     {"problems__isnull": False, "state__in": [PurchaseOrder.State.SENT, PurchaseOrder.State.ACCEPTED,
                                                               PurchaseOrder.State.SHIPPED]}))
