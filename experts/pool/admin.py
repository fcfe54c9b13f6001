"""The pool in the admin: applications (审核通过/退回修改/不予通过/提前解聘), terms and letters,
training sessions and records, conflicts, and the credit programme's evaluators."""
import tablib
from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export import fields, resources

from core.admin_exports import CheckedExportMixin
from core.admin_queues import Queue, register_queue
from core.admin_records import HistoryInline, ReadOnlyInline, RecordAdminMixin
from core.admin_transitions import AdminTransition, TransitionButtonsMixin, transition_available
from core.downloads import admin_file_link
from core.uploads import UploadValidator
from evaluation.models import Assignment
from evaluation.selectors import assignable_evaluations
from experts.exceptions import AssignmentRefused, ExpertsError
from experts.pool import selectors
from experts.pool import services as pool
from experts.pool.evaluators import assignment_create, evaluator_recheck_conflicts
from experts.pool.models import Appointment, Conflict, Evaluator, Expert, Specialty, TrainingRecord, TrainingSession
from experts.pool.qualifications import qualification_problems

EXPERT_PERM = "experts.change_expert"


@admin.register(Evaluator)
class EvaluatorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "employer_name", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "organisation", "employer_name", "user__mobile")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for assignment in evaluator_recheck_conflicts(evaluator=obj, by=request.user):
            messages.warning(request, f"{obj.name} 与 {assignment.evaluation.member.name} 存在利益冲突，"
                                      "已终止该评价指派（记录为“已回避”），其访问权限即时取消。")


class AssignmentForm(forms.Form):
    evaluation = forms.ModelChoiceField(label="评价", queryset=assignable_evaluations())
    evaluator = forms.ModelChoiceField(label="评价人员", queryset=Evaluator.objects.filter(is_active=True))


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """The office assigns evaluators here; conflicts of interest are refused by the service."""

    list_display = ("evaluation", "evaluator", "state", "total", "assigned_at", "submitted_at")
    list_filter = ("state",)
    list_select_related = ("evaluation__member", "evaluation__programme", "evaluator")
    readonly_fields = ("evaluation", "evaluator", "state", "total", "comment", "assigned_by", "assigned_at",
                       "submitted_at")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AssignmentForm(request.POST or None, initial={"evaluation": request.GET.get("evaluation")})
        if request.method == "POST" and form.is_valid():
            try:
                assignment_create(by=request.user, **form.cleaned_data)
            except AssignmentRefused as exc:
                form.add_error("evaluator", str(exc))
            else:
                messages.success(request, "已指派评价人员。")
                return HttpResponseRedirect(reverse("admin:evaluation_evaluation_change",
                                                    args=[form.cleaned_data["evaluation"].pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": "指派评价人员"}
        return TemplateResponse(request, "admin/evaluation/assign.html", context)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the expert pool ----------------------------------------------------------------------------

class ExpertResource(resources.ModelResource):
    specialty = fields.Field(attribute="get_specialty_display", column_name="专业")
    title = fields.Field(attribute="get_title_display", column_name="职称")
    state = fields.Field(attribute="get_state_display", column_name="状态")

    class Meta:
        model = Expert
        fields = ("name", "gender", "mobile", "email", "employer_name", "province", "specialty", "title",
                  "specialty_years", "management_years", "state", "term_start", "term_end")
        export_order = fields


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label="解聘情形（第十五条）", choices=Expert.DismissalReason.choices)
    note = forms.CharField(label="说明（含评价领导小组批准情况）", widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, instance_for=None, **kwargs):
        super().__init__(*args, **kwargs)


class AppointmentInline(ReadOnlyInline):
    model = Appointment
    fields = ("number", "start", "end", "letter_link", "approved_by", "created_at")

    @admin.display(description="聘书")
    def letter_link(self, obj):
        return admin_file_link(obj, "letter", "下载")


class TrainingInline(ReadOnlyInline):
    model = TrainingRecord
    fields = ("session", "attended", "passed")


class ConflictInline(ReadOnlyInline):
    model = Conflict
    fields = ("kind", "institution_name", "institution_credit_code", "starts_on", "ends_on", "blocks_until",
              "declared_by", "note")


class AgeFilter(admin.SimpleListFilter):
    title = "年龄"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("under60", "60 岁以下"), ("60to69", "60-69 岁"), ("70plus", "70 岁及以上（不可抽取）")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        cut60, cut70 = today - relativedelta(years=60), today - relativedelta(years=70)
        return {"under60": queryset.filter(birth_date__gt=cut60),
                "60to69": queryset.filter(birth_date__lte=cut60, birth_date__gt=cut70),
                "70plus": queryset.filter(birth_date__lte=cut70)}.get(self.value(), queryset)


class TrainedFilter(admin.SimpleListFilter):
    title = "本聘期培训"
    parameter_name = "trained"

    def lookups(self, request, model_admin):
        return [("capability", "服务能力评价培训合格"), ("none", "未培训或未合格")]

    def queryset(self, request, queryset):
        if self.value() == "capability":
            return queryset.filter(selectors.trained("capability"))
        if self.value() == "none":
            return queryset.exclude(selectors.trained("capability"))
        return queryset


class DrawableFilter(admin.SimpleListFilter):
    title = "今日可抽取"
    parameter_name = "drawable"

    def lookups(self, request, model_admin):
        return [("yes", "可抽取"), ("no", "不可抽取")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(drawable_today=self.value() == "yes")
        return queryset


@admin.register(Expert)
class ExpertAdmin(RecordAdminMixin, TransitionButtonsMixin, CheckedExportMixin, admin.ModelAdmin):
    """The pool: filters by specialty, title, province, term state, training and age; counts
    per specialty on the list; who is drawable today."""

    resource_classes = [ExpertResource]
    list_display = ("name", "specialty", "title", "province", "employer_name", "state", "term_end", "age",
                    "drawable_today")
    list_filter = ("specialty", "title", "province", "state", TrainedFilter, AgeFilter, DrawableFilter)
    search_fields = ("name", "mobile", "employer_name", "id_number")
    # The letter is offered by its checked download link only (its storage path is no address).
    readonly_fields = [f.name for f in Expert._meta.fields if f.name not in ("id", "consent_letter")] + [
        "consent_link", "age_today", "qualification_verdict"]
    exclude = ("consent_letter",)
    inlines = [AppointmentInline, TrainingInline, ConflictInline, HistoryInline]
    refusal_errors = (*TransitionButtonsMixin.refusal_errors, ExpertsError)
    change_list_template = "admin/experts/expert/change_list.html"
    transitions = (
        AdminTransition("approve", "审核通过（聘任）", pool.expert_approve, EXPERT_PERM, transition_available("appoint")),
        AdminTransition("return", "退回修改", pool.expert_return, EXPERT_PERM,
                        transition_available("return_for_correction"), reason_label="退回意见", reason_arg="comment"),
        AdminTransition("reject", "不予通过", pool.expert_reject, EXPERT_PERM, transition_available("reject"),
                        reason_label="不通过原因", style="danger"),
        AdminTransition("dismiss", "提前解聘", pool.expert_dismiss, EXPERT_PERM, transition_available("dismiss"),
                        form_class=DismissForm, style="danger"),
    )

    def get_queryset(self, request):
        return selectors.pool()

    @admin.display(description="今日可抽取", boolean=True, ordering="drawable_today")
    def drawable_today(self, obj):
        return obj.drawable_today

    @admin.display(description="年龄")
    def age(self, obj):
        return obj.age_on(timezone.localdate())

    @admin.display(description="年龄（今日）")
    def age_today(self, obj):
        return f"{obj.age_on(timezone.localdate())} 岁" if obj.birth_date else "—"

    @admin.display(description="第九条资格审查")
    def qualification_verdict(self, obj):
        """What the application form computed as the applicant typed, computed again today."""
        problems = qualification_problems(
            birth_date=obj.birth_date, title=obj.title, title_since=obj.title_since,
            specialty_years=obj.specialty_years or 0, management_years=obj.management_years or 0,
            today=timezone.localdate())
        return "；".join(problems) if problems else "符合第九条（年龄、专业年限与职称或管理年限）"

    @admin.display(description="所在单位同意函")
    def consent_link(self, obj):
        return admin_file_link(obj, "consent_letter")

    def changelist_view(self, request, extra_context=None):
        counts = dict(Expert.objects.filter(state=Expert.State.APPOINTED).values_list("specialty")
                      .annotate(n=Count("pk")).values_list("specialty", "n"))
        extra_context = {**(extra_context or {}), "specialty_counts": [
            (label, counts.get(value, 0)) for value, label in Specialty.choices]}
        return super().changelist_view(request, extra_context)


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    fields = ("expert", "attended", "passed")
    autocomplete_fields = ("expert",)
    extra = 0


class TrainingImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", validators=[UploadValidator(kinds=("xlsx",), max_bytes=5 * 1024 * 1024)],
                           help_text="第一行为表头：身份证号码、姓名、出勤（是/否）、考核合格（是/否）。")


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "starts_on", "ends_on", "hours", "passed_count")
    list_filter = ("programme",)
    inlines = [TrainingRecordInline]
    change_form_template = "admin/experts/trainingsession/change_form.html"

    @admin.display(description="合格人数")
    def passed_count(self, obj):
        return obj.records.filter(passed=True).count()

    def get_urls(self):
        return [path("<int:pk>/import/", self.admin_site.admin_view(self.import_view),
                     name="experts_trainingsession_import"), *super().get_urls()]

    def import_view(self, request, pk):
        """Attendance and results imported from Excel, through the same service as typed ones."""
        session = get_object_or_404(TrainingSession, pk=pk)
        if not self.has_change_permission(request, session):
            raise PermissionDenied
        form = TrainingImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                dataset = tablib.Dataset().load(form.cleaned_data["file"].read(), format="xlsx")
            except Exception:  # any unreadable workbook is the uploader's to fix, not a crash
                form.add_error("file", "无法读取该 Excel 文件，请检查格式。")
            else:
                recorded, problems = pool.training_import(session_id=session.pk, rows=dataset.dict, by=request.user)
                messages.success(request, f"已导入 {recorded} 条培训记录。")
                for problem in problems:
                    messages.warning(request, problem)
                return HttpResponseRedirect(reverse("admin:experts_trainingsession_change", args=[session.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": f"导入培训记录：{session}", "original": session}
        return TemplateResponse(request, "admin/experts/trainingsession/import.html", context)


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    """The office records conflicts it learns of (through the same service as the expert's own
    declarations); recorded conflicts are kept, never edited or deleted."""

    list_display = ("expert", "kind", "institution_name", "institution_credit_code", "starts_on", "ends_on",
                    "blocks_until", "declared_by")
    list_filter = ("kind",)
    search_fields = ("expert__name", "institution_name", "institution_credit_code")
    fields = ("expert", "kind", "institution_name", "institution_credit_code", "starts_on", "ends_on", "note")
    autocomplete_fields = ("expert",)

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = pool.conflict_declare(by=request.user, expert_id=obj.expert_id,
                                        **{f: form.cleaned_data[f] for f in self.fields if f != "expert"})
        obj.pk = created.pk

# 待办事项: applications (first ones and reappointments) wait for the office's review.
register_queue(Queue("待审核专家入库申请", EXPERT_PERM, Expert, {"state": Expert.State.APPLIED}))
