from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_fsm import can_proceed

from core.admin_exports import CheckedExportMixin
from core.admin_kept import KeptChangelistMixin
from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, ReadOnlyInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from core.downloads import admin_file_link

from . import selectors, services
from .admin_forms import (
    AnswerAppealForm,
    DowngradeForm,
    ExtendForm,
    FinalReportForm,
    InitialResultForm,
    RectificationSendBackForm,
    ReturnForm,
    RevokeForm,
    SpotCheckForm,
)
from .application_form import section
from .exceptions import EvaluationError
from .models import (
    Appeal,
    Criterion,
    Deadline,
    Evaluation,
    Fee,
    GradeBand,
    Objection,
    Option,
    Programme,
    ProgrammeDocument,
    ProvincialAssociation,
    ProvincialReview,
    RectificationReport,
    ResultChange,
    SpotCheck,
    SubmittedDocument,
    SupersededFile,
)

PERM = "evaluation.change_evaluation"
REVIEW_PERM = "evaluation.change_provincialreview"
SPOT_PERM = "evaluation.change_spotcheck"
can = transition_available


def _pending(review) -> bool:
    return review.is_pending


class DocumentInline(admin.StackedInline):
    model = ProgrammeDocument
    extra = 0


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


class GradeBandInline(admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "is_open", "validity_years")
    inlines = [DocumentInline, FeeInline, GradeBandInline]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    verbose_name_plural = "自评选项（社会信用评价）"


class ItemInline(admin.TabularInline):
    model = Criterion
    fk_name = "parent"
    fields = ("code", "text", "max_points", "evidence_required", "required", "position")
    extra = 0
    show_change_link = True
    verbose_name = "条目"
    verbose_name_plural = "本章条目"


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """The standard: chapters list their items; an item has its maximum, whether evidence is
    required, guidance, and (credit) its self-assessment options."""

    list_display = ("code", "text_short", "programme", "parent", "max_points", "evidence_required")
    list_filter = ("programme", ("parent", admin.EmptyFieldListFilter), "evidence_required")
    search_fields = ("code", "text")
    list_select_related = ("programme", "parent")
    fields = ("programme", "parent", "code", "text", "max_points", "evidence_required", "guidance", "required",
              "position")

    def get_inlines(self, request, obj):
        return [ItemInline] if obj is not None and obj.parent_id is None else [OptionInline]

    @admin.display(description="章节 / 要求")
    def text_short(self, obj):
        return obj.text[:60]


class SubmittedDocumentInline(admin.TabularInline):
    model = SubmittedDocument
    extra = 0
    can_delete = False
    fields = ("document", "link", "uploaded_at", "superseded", "office_comment")
    readonly_fields = ("document", "link", "uploaded_at", "superseded")

    def get_readonly_fields(self, request, obj=None):
        # Per-file comments are written while the office decides on acceptance, and kept after.
        if obj is None or not can_proceed(obj.accept):
            return self.fields
        return self.readonly_fields

    @admin.display(description="文件")
    def link(self, obj):
        return admin_file_link(obj, "file")

    def has_add_permission(self, request, obj=None):
        return False


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 0
    can_delete = False
    fields = ("kind", "starts_on", "due_on", "provisional", "status")
    readonly_fields = fields

    @admin.display(description="状态")
    def status(self, obj):
        if obj.met_at:
            return "已完成"
        if obj.acted_at:
            return "已到期处理"
        return "逾期" if obj.due_on < timezone.localdate() else "进行中"

    def has_add_permission(self, request, obj=None):
        return False


class SupersededFileInline(ReadOnlyInline):
    model = SupersededFile
    fields = ("field", "link", "reason", "replaced_at", "replaced_by")

    @admin.display(description="文件")
    def link(self, obj):
        return admin_file_link(obj, "file", "下载")


class ProvincialReviewInline(ReadOnlyInline):
    model = ProvincialReview
    fields = ("association", "opened_at", "decision", "opinion", "decided_by", "decided_at")
    show_change_link = True


class AppealInline(ReadOnlyInline):
    model = Appeal
    fields = ("reasons", "submitted_at", "answer", "answered_at", "answered_by")


class ObjectionInline(ReadOnlyInline):
    model = Objection
    fields = ("name", "contact", "text", "submitted_at", "decision", "decision_reason", "decided_by", "decided_at")
    show_change_link = True


class SpotCheckInline(ReadOnlyInline):
    model = SpotCheck
    fields = ("kind", "checked_on", "outcome", "findings", "due_on", "state", "recorded_by")
    show_change_link = True


class ResultChangeInline(ReadOnlyInline):
    model = ResultChange
    fields = ("kind", "from_grade", "to_grade", "reason", "approval", "approved_on", "spot_check", "recorded_by",
              "recorded_at")


class OverdueFilter(admin.SimpleListFilter):
    """Evaluations with a running clock past its due date (the 逾期 queue links here)."""

    title = "时限"
    parameter_name = "overdue"

    @staticmethod
    def lookups_today() -> dict:
        return {"deadlines__met_at__isnull": True, "deadlines__due_on__lt": timezone.localdate()}

    def lookups(self, request, model_admin):
        return [("yes", "有逾期时限")]

    def queryset(self, request, queryset):
        return queryset.filter(**self.lookups_today()).distinct() if self.value() == "yes" else queryset


@admin.register(Evaluation)
class EvaluationAdmin(KeptChangelistMixin, RecordAdminMixin, TransitionButtonsMixin, CheckedExportMixin,
                      admin.ModelAdmin):
    view_on_site = False  # the evaluation's page is the institution's own, not a public one
    list_per_page = 50
    show_full_result_count = False  # the total is one more count over every evaluation on each page
    list_display = ("member", "programme", "state", "grade", "current_due", "certificate_no", "valid_until")
    list_filter = ("state", "programme", "grade", OverdueFilter)
    search_fields = ("member__name", "member__credit_code", "certificate_no")
    list_select_related = ("member", "programme")
    readonly_fields = ("programme", "member", "state", "agreed_at", "declarations", "handler_name", "handler_mobile",
                       "office_comment", "submitted_at", "fee", "self_score", "score", "grade", "report_link",
                       "report_revised", "meetings_held", "certificate_no", "published_at", "valid_until", "extended",
                       "extension_reason", "notice_status", "final_report_link", "revoke_reason", "assign_link",
                       "acceptance_notice_link", "application_form_shown")
    fields = readonly_fields
    inlines = [SubmittedDocumentInline, ProvincialReviewInline, DeadlineInline, AppealInline,
               ObjectionInline, SpotCheckInline, ResultChangeInline, SupersededFileInline, HistoryInline]
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, EvaluationError)
    transitions = (
        AdminTransition("accept", "受理", services.evaluation_accept, PERM, can("accept")),
        AdminTransition("return", "退回修改", services.evaluation_return, PERM, can("return_for_correction"),
                        form_class=ReturnForm),
        AdminTransition("reject", "不予受理", services.evaluation_reject, PERM, can("reject"),
                        reason_label="不予受理理由", style="danger"),
        AdminTransition("request_supplement", "要求补充材料", services.evaluation_request_supplement, PERM,
                        can("request_supplement"), reason_label="需要补充的材料", reason_arg="comment"),
        AdminTransition("initial", "出具初评结果", services.evaluation_initial_result, PERM, can("give_initial_result"),
                        form_class=InitialResultForm),
        AdminTransition("answer", "答复复议", services.evaluation_answer_appeal, PERM, can("answer_appeal"),
                        form_class=AnswerAppealForm),
        AdminTransition("final_report", "上传最终评价报告", services.evaluation_upload_final_report, PERM,
                        lambda e: e.is_current_result, form_class=FinalReportForm),
        AdminTransition("extend", "延期", services.evaluation_extend, PERM, can("extend"), form_class=ExtendForm),
        AdminTransition("downgrade", "降级", services.evaluation_downgrade, PERM, can("downgrade"),
                        form_class=DowngradeForm, style="danger"),
        AdminTransition("revoke", "撤销（摘牌）", services.evaluation_revoke, PERM, can("revoke"),
                        form_class=RevokeForm, style="danger"),
        AdminTransition("spot_check", "记录抽查/考核", services.spot_check_record, SPOT_PERM,
                        lambda e: e.is_current_result, form_class=SpotCheckForm),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("deadlines")

    @admin.display(description="当前时限")
    def current_due(self, obj):
        clock = obj.current_clock()
        if clock is None:
            return "—"
        late = clock.due_on < timezone.localdate()
        return format_html('<span style="color:{}">{} {}{}</span>', "#ba2121" if late else "inherit",
                           clock.get_kind_display().split("（")[0], f"{clock.due_on:%m-%d}", "（逾期）" if late else "")

    @admin.display(description="公示情况")
    def notice_status(self, obj):
        if not can_proceed(obj.publish):
            return "—"
        pending = obj.objections.filter(decision=Objection.Decision.PENDING).count()
        if selectors.notice_held(obj):
            return f"公示期已满，因 {pending} 件待处理异议暂缓发布：处理完最后一件异议（不成立）后自动发布。"
        return f"公示中，待处理异议 {pending} 件。"

    @admin.display(description="受理通知书")
    def acceptance_notice_link(self, obj):
        return admin_file_link(obj, "acceptance_notice", "下载")

    @admin.display(description="申报表")
    def application_form_shown(self, obj):
        """The online form as the institution filled it (its PDF, and each part to read)."""
        form = obj.online_form
        if form is None:
            return "—"
        return render_to_string("admin/evaluation/application_form_field.html", {
            "form": form, "sections": form.filled().display(), "years": form.years,
            "pdf": admin_file_link(form, "pdf", "下载申报表 PDF") if form.pdf else "",
            "versions": form.versions.count(),
            "comments": [(section(key).title, text) for key, text in form.section_comments.items()]})

    @admin.display(description="评价报告")
    def report_link(self, obj):
        return admin_file_link(obj, "report", "下载")

    @admin.display(description="最终评价报告")
    def final_report_link(self, obj):
        return admin_file_link(obj, "final_report", "下载")

    @admin.display(description="评价人员")
    def assign_link(self, obj):
        names = "、".join(a.evaluator.get_full_name() for a in obj.assignments.select_related("evaluator"))
        url = reverse("admin:evaluation_assignment_add") + f"?evaluation={obj.pk}"
        return format_html('{} <a href="{}">指派评价人员</a>', names or "未指派", url)


@admin.register(Objection)
class ObjectionAdmin(RecordAdminMixin, TransitionButtonsMixin, admin.ModelAdmin):
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, EvaluationError)
    list_display = ("evaluation", "name", "contact", "submitted_at", "decision")
    list_filter = ("decision",)
    readonly_fields = ("evaluation", "name", "contact", "text", "attachment_link", "submitted_at", "decision",
                       "decision_reason", "decided_by", "decided_at")
    fields = readonly_fields
    transitions = (
        AdminTransition("uphold", "异议成立", services.objection_decide, "evaluation.change_objection",
                        lambda o: o.decision == "pending", fixed={"upheld": True},
                        reason_label="核查说明（成立后退回评审委员会）", style="danger"),
        AdminTransition("dismiss", "异议不成立", services.objection_decide, "evaluation.change_objection",
                        lambda o: o.decision == "pending", fixed={"upheld": False}, reason_label="核查说明"),
    )

    @admin.display(description="附件")
    def attachment_link(self, obj):
        return admin_file_link(obj, "attachment")


class RectificationReportInline(ReadOnlyInline):
    model = RectificationReport
    fields = ("text", "link", "submitted_by", "submitted_at")

    @admin.display(description="书面报告")
    def link(self, obj):
        return admin_file_link(obj, "file", obj.file_name or "下载")


class RectificationOverdueFilter(admin.SimpleListFilter):
    """Rectification reports not in by their date (the 整改逾期 queue links here)."""

    title = "整改期限"
    parameter_name = "late"

    @staticmethod
    def lookups_today() -> dict:
        return {"state": SpotCheck.State.AWAITING, "due_on__lt": timezone.localdate()}

    def lookups(self, request, model_admin):
        return [("yes", "逾期未报整改情况")]

    def queryset(self, request, queryset):
        return queryset.filter(**self.lookups_today()) if self.value() == "yes" else queryset


def _reported(spot_check) -> bool:
    return spot_check.state == SpotCheck.State.REPORTED


def _open(spot_check) -> bool:
    return spot_check.state != SpotCheck.State.CLOSED


@admin.register(SpotCheck)
class SpotCheckAdmin(RecordAdminMixin, TransitionButtonsMixin, admin.ModelAdmin):
    """抽查与整改 (004 §21-22): recorded from the evaluation's 记录抽查/考核 button; here the
    office reads the institution's reports and accepts them, sets a new date, or closes."""

    refusal_errors = (*TransitionButtonsMixin.refusal_errors, EvaluationError)
    list_display = ("evaluation", "kind", "checked_on", "outcome", "state", "due_on")
    list_filter = ("state", "outcome", "kind", RectificationOverdueFilter)
    search_fields = ("evaluation__member__name", "evaluation__certificate_no")
    list_select_related = ("evaluation__member", "evaluation__programme")
    readonly_fields = ("evaluation", "kind", "checked_on", "findings", "outcome", "requirements", "due_on", "state",
                       "recorded_by", "recorded_at", "review_note", "reviewed_by", "reviewed_at")
    fields = readonly_fields
    inlines = [RectificationReportInline, HistoryInline]
    transitions = (
        AdminTransition("accept", "整改验收通过", services.rectification_review, SPOT_PERM, _reported,
                        object_arg="spot_check_id", fixed={"accepted": True}, reason_label="验收意见",
                        reason_arg="note"),
        AdminTransition("send_back", "整改不到位，重新限期", services.rectification_review, SPOT_PERM, _reported,
                        object_arg="spot_check_id", fixed={"accepted": False}, form_class=RectificationSendBackForm,
                        style="danger"),
        AdminTransition("close", "结案", services.spot_check_close, SPOT_PERM, _open, object_arg="spot_check_id",
                        reason_label="结案原因（例如已撤销或降级）"),
    )


@admin.register(ResultChange)
class ResultChangeAdmin(RecordAdminMixin, admin.ModelAdmin):
    """Downgrades and revocations as published, each with the leading group's approval; they
    are made from the evaluation's 降级 / 撤销（摘牌） buttons."""

    list_display = ("evaluation", "kind", "from_grade", "to_grade", "approved_on", "recorded_at")
    list_filter = ("kind",)
    search_fields = ("evaluation__member__name",)
    list_select_related = ("evaluation__member", "evaluation__programme")
    readonly_fields = ("evaluation", "kind", "from_grade", "to_grade", "reason", "approval", "approved_on",
                       "spot_check", "recorded_by", "recorded_at")
    fields = readonly_fields


@admin.register(ProvincialAssociation)
class ProvincialAssociationAdmin(admin.ModelAdmin):
    list_display = ("province", "name", "contact", "is_active")
    list_filter = ("is_active",)
    search_fields = ("province", "name")


@admin.register(ProvincialReview)
class ProvincialReviewAdmin(RecordAdminMixin, TransitionButtonsMixin, admin.ModelAdmin):
    """省级协会初审 (004 §19(一)): the association's opinion recorded by the office (or by the
    association's own staff account, given this permission), or its lapse after 15 working days."""

    refusal_errors = (*TransitionButtonsMixin.refusal_errors, EvaluationError)
    list_display = ("evaluation", "association", "opened_at", "decision", "provincial_due", "decided_at")
    list_filter = ("decision", "association")
    search_fields = ("evaluation__member__name",)
    list_select_related = ("evaluation__member", "evaluation__programme", "association")
    readonly_fields = ("evaluation", "association", "opened_at", "decision", "opinion", "decided_by", "decided_at")
    fields = readonly_fields
    transitions = (
        AdminTransition("agree", "同意上报", services.provincial_review_decide, REVIEW_PERM, _pending,
                        object_arg="review_id", fixed={"agreed": True}, reason_label="省级协会审核意见",
                        reason_arg="opinion"),
        AdminTransition("object", "不同意上报", services.provincial_review_decide, REVIEW_PERM, _pending,
                        object_arg="review_id", fixed={"agreed": False}, reason_label="省级协会审核意见（不同意的理由）",
                        reason_arg="opinion", style="danger"),
        AdminTransition("lapse", "逾期未审，直接审核", services.provincial_review_lapse, REVIEW_PERM, _pending,
                        object_arg="review_id", reason_label="情况说明（例如催办经过）"),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("evaluation__deadlines")

    @admin.display(description="初审截止")
    def provincial_due(self, obj):
        clock = next((d for d in obj.evaluation.deadlines.all() if d.kind == "provincial"), None)
        return f"{clock.due_on:%Y-%m-%d}" if clock else "—"


# The admin index's work queues (core.admin_queues) for 评价办公室.
# Waiting for the office: evaluations at a state from which its programme allows that step.
register_queue(Queue("待受理评价申请", PERM, Evaluation, {"state__in": selectors.states_allowing("accept")}))
register_queue(Queue("待省级协会初审", REVIEW_PERM, ProvincialReview, {"decision": ProvincialReview.Decision.PENDING}))
register_queue(Queue("待答复复议", PERM, Evaluation, {"state__in": selectors.states_allowing("answer_appeal")}))
register_queue(Queue("待处理公示异议", "evaluation.change_objection", Objection,
                     {"decision": Objection.Decision.PENDING}))
register_queue(Queue("逾期评价时限", PERM, Evaluation, OverdueFilter.lookups_today, query="overdue=yes", urgent=True))
register_queue(Queue("待验收整改报告", SPOT_PERM, SpotCheck, {"state": SpotCheck.State.REPORTED}))
register_queue(Queue("逾期未报整改情况", SPOT_PERM, SpotCheck, RectificationOverdueFilter.lookups_today, query="late=yes",
                     urgent=True))
